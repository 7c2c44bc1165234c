//! Server-side search with tantivy, using the project's Vietnamese analyzer.
//!
//! tantivy's own tokenizers split NFD text ("Điện" → "die" + "n") and only fold ASCII, so three
//! tokenizers here wrap [`crate::text::tokens`]: `vi` emits folded syllables, `vi_exact` exact
//! keys, `vi_pairs` adjacent folded pairs. Each names-tier field ([`NAME_FIELDS`]) is indexed in
//! all three forms, the summary and body in folded form.
//!
//! Matching is a tantivy query (any query word in any field, facet filters as required
//! clauses); facet counts come from tantivy's facet collector. Ranking is the browser client's
//! (`tim-kiem.js`), computed from this index's per-field term frequencies with the same impact
//! functions ([`terms::names_impact`], [`terms::body_impact`]), so `serve`, `search` and the
//! static index put the same stories first.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet as TantivyFacet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{DocId, DocSet, Index, IndexReader, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED};

use crate::search::facets::{self, FacetKind};
use crate::search::terms::{self, NameField, NAME_FIELDS};
use crate::search::Card;
use crate::site::index::SiteIndex;
use crate::text::{self, Token as Word};

/// Terms of a story's "more like this" query: its rarest words.
const RELATED_TERMS: usize = 16;
/// The most postings the words of a related-stories query may have together (the sum of their
/// document frequencies): the rarest words are taken first, so the work per story stays bounded
/// whatever the size of the site.
const RELATED_MAX_POSTINGS: u32 = 500;
/// Candidates per related story shown, re-ranked with the shared movements and district.
const RELATED_CANDIDATES: usize = 8;
const UNIT_BOOST: f32 = 8.0;
const MOVEMENT_BOOST: f32 = 3.0;
const DISTRICT_BOOST: f32 = 1.0;

/// Client constants (tim-kiem.js): body weight against names, the factor of a folded-only match
/// when the query has diacritics, the bonus of an adjacent pair, and how much a matched word
/// outweighs any score.
const BODY_WEIGHT: f64 = 0.2;
const FOLDED_ONLY: f64 = 0.55;
const PAIR_BONUS: f64 = 20.0;
const PER_MATCHED_WORD: f64 = 1e6;

#[derive(Clone, Copy)]
enum Form {
    Folded,
    Exact,
    Pairs,
}

/// A tantivy tokenizer wrapping the project analyzer.
#[derive(Clone, Copy)]
struct VietnameseTokenizer(Form);

struct VecStream {
    tokens: Vec<Token>,
    at: usize,
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

impl Tokenizer for VietnameseTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text_: &'a str) -> VecStream {
        let token = |position: usize, offsets: (usize, usize), text: String| Token { offset_from: offsets.0, offset_to: offsets.1, position, text, position_length: 1 };
        let tokens = match self.0 {
            // Body text is most of the index: the one-pass folding, without offsets (nothing is
            // highlighted from tantivy).
            Form::Folded => text::folded_words(text_).into_iter().enumerate().map(|(p, w)| token(p, (0, 0), w)).collect(),
            Form::Exact => text::tokens(&text::nfc(text_)).into_iter().enumerate().map(|(p, w)| token(p, (w.start, w.end), w.exact)).collect(),
            Form::Pairs => text::tokens(&text::nfc(text_))
                .windows(2)
                .enumerate()
                .map(|(p, pair)| token(p, (pair[0].start, pair[1].end), format!("{}{}{}", pair[0].folded, terms::PAIR_SEPARATOR, pair[1].folded)))
                .collect(),
        };
        VecStream { tokens, at: 0 }
    }
}

/// One names-tier field in its three indexed forms.
struct NameFields {
    field: NameField,
    folded: Field,
    exact: Field,
    pairs: Field,
}

struct Fields {
    names: Vec<NameFields>,
    summary: Field,
    body: Field,
    /// Words in summary and body, for the body impact's length normalisation.
    words: Field,
    /// Position of the story in the site index (newest first).
    doc: Field,
    /// `/movement/<id>`, `/kind/<id>`, `/district/<slug>`, `/award/<slug>`, `/year/<y>`, `/unit/<slug>`.
    facets: Field,
}

/// A group a story belongs to, by position in the site index: shared ones raise a related
/// story's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Movement(usize),
    District(usize),
}

/// Facet filters; each one given must match.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub values: Vec<(FacetKind, String)>,
}

#[derive(Debug, Clone)]
pub struct SearchRequest<'q> {
    pub query: &'q str,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
}

/// One result: the story's position in the site index, and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f64,
}

/// A facet value with its label and how many matching stories have it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Per facet (in [`FacetKind::ALL`] order), the values present among all matches.
    pub facets: Vec<(FacetKind, Vec<FacetCount>)>,
}

/// A tantivy index over the published stories of a build, with what results show.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    avg_len: f32,
    cards: std::sync::Arc<[Card]>,
    facet_labels: HashMap<(&'static str, String), String>,
    /// Per story, its unit's facet path: a clause of its related-stories query (units are small).
    units: Vec<Option<TantivyFacet>>,
    /// Per story, its movements and district with their boosts: added to the best candidates of
    /// the query instead of matched by it, as these groups hold a large share of the site and
    /// matching them for every story would make related stories quadratic in the site's size.
    groups: Vec<Vec<(Group, f32)>>,
    /// Per segment, the story position of each of its documents (the `doc` field), read once:
    /// ranking and ties read it for every matching document.
    positions: std::sync::Arc<HashMap<tantivy::index::SegmentId, std::sync::Arc<[u64]>>>,
    /// Per word, its document frequency in the fields related stories match (title, unit,
    /// locality, summary): read once from the term dictionaries instead of per query.
    /// FxHash: looked up for every word of every story's related-stories query.
    related_df: rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]>,
    /// Stories in the index, and each related field's average length: with `related_df`, all a
    /// related-stories word's BM25 weight needs (looked up once here, not once per query word).
    related_docs: u64,
    related_avg_fieldnorms: [f32; RELATED_FIELDS],
    coverage: Coverage,
}

/// The fields a related-stories query matches words in: the first three name fields (title,
/// unit, locality) and the summary.
const RELATED_NAME_FIELDS: usize = 3;
const RELATED_FIELDS: usize = RELATED_NAME_FIELDS + 1;

/// What an engine indexes: everything, or only what related stories need (folded title, unit,
/// locality and summary, the unit facet; the story bodies are most of the indexing work of a build).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Names, summary and body: searching ([`Engine::query`]) and related stories.
    Search,
    /// Folded title, unit, locality and summary: related stories only.
    Related,
}

impl Engine {
    /// Indexes every story of `index` in memory, for searching and related stories.
    pub fn build(index: &SiteIndex<'_>) -> tantivy::Result<Engine> {
        Engine::build_with(index, crate::search::cards(index).into(), Coverage::Search)
    }

    /// Indexes every story of `index` in memory, as far as `coverage` needs; `cards` are
    /// [`crate::search::cards`] of `index`, shared with the client index.
    pub fn build_with(index: &SiteIndex<'_>, cards: std::sync::Arc<[Card]>, coverage: Coverage) -> tantivy::Result<Engine> {
        let mut builder = Schema::builder();
        let text_options = |tokenizer: &str, record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
        };
        let names = NAME_FIELDS
            .iter()
            .map(|&field| NameFields {
                field,
                folded: builder.add_text_field(field.name(), text_options("vi", IndexRecordOption::WithFreqsAndPositions)),
                exact: builder.add_text_field(&format!("{}_exact", field.name()), text_options("vi_exact", IndexRecordOption::WithFreqs)),
                pairs: builder.add_text_field(&format!("{}_pairs", field.name()), text_options("vi_pairs", IndexRecordOption::WithFreqs)),
            })
            .collect::<Vec<_>>();
        let summary = builder.add_text_field("summary", text_options("vi", IndexRecordOption::WithFreqsAndPositions));
        let body = builder.add_text_field("body", text_options("vi", IndexRecordOption::WithFreqs));
        let words = builder.add_u64_field("words", FAST);
        let doc = builder.add_u64_field("doc", FAST | INDEXED | STORED);
        let facet_field = builder.add_facet_field("facets", FacetOptions::default());
        let fields = Fields { names, summary, body, words, doc, facets: facet_field };

        let tantivy_index = Index::create_in_ram(builder.build());
        for (name, form) in [("vi", Form::Folded), ("vi_exact", Form::Exact), ("vi_pairs", Form::Pairs)] {
            tantivy_index.tokenizers().register(name, VietnameseTokenizer(form));
        }

        let site_facets = facets::facets(index);
        let mut facet_labels = HashMap::new();
        for f in &site_facets {
            for (value, label) in &f.values {
                facet_labels.insert((f.kind.id(), value.clone()), label.clone());
            }
        }
        // Ranking and ties read the `doc` field, so segments and their order do not matter (BM25
        // statistics are the whole index's). For related stories only, one indexing thread makes
        // one segment: each of the 100,000 related-stories queries then sets up its scorers once,
        // not once per segment, and `build` indexes beside the client index, which keeps the
        // other core busy.
        let threads = match coverage {
            Coverage::Search => std::thread::available_parallelism().map_or(1, |n| n.get()).min(4),
            Coverage::Related => 1,
        };
        // 100 MB of indexing memory a thread, and never less than two threads had: one thread
        // alone would otherwise flush more often and make several segments again.
        let memory = threads.max(2) * 100_000_000;
        let mut writer: tantivy::IndexWriter = tantivy_index.writer_with_num_threads(threads, memory)?;
        // Built once and never updated: merging segments in the background would be wasted work.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let (mut units, mut groups) = (Vec::with_capacity(index.stories.len()), Vec::with_capacity(index.stories.len()));
        for i in 0..index.stories.len() {
            let s = index.stories[i];
            let mut document = TantivyDocument::default();
            // Related stories match folded words of the first names fields only; the other forms
            // and fields (two thirds of the tokenizing) are for searching.
            let name_fields = if coverage == Coverage::Search { fields.names.len() } else { RELATED_NAME_FIELDS };
            for f in &fields.names[..name_fields] {
                for value in f.field.texts(index, i) {
                    document.add_text(f.folded, value);
                    if coverage == Coverage::Search {
                        document.add_text(f.exact, value);
                        document.add_text(f.pairs, value);
                    }
                }
            }
            if coverage == Coverage::Search {
                let [(summary_text, _), (body_text, _)] = terms::body_parts(s);
                let word_count = text::folded_words(&summary_text).len() + text::folded_words(&body_text).len();
                document.add_text(fields.summary, &summary_text);
                document.add_text(fields.body, &body_text);
                document.add_u64(fields.words, word_count as u64);
            } else {
                document.add_text(fields.summary, &s.summary);
            }
            document.add_u64(fields.doc, i as u64);
            for f in site_facets.iter().filter(|_| coverage == Coverage::Search) {
                for v in f.story_values(index, i) {
                    document.add_facet(fields.facets, facet_path(f.kind.id(), &f.values[v].0));
                }
            }
            let movement_at = |id: &String| index.movements.iter().position(|m| &m.id == id);
            let mut near: Vec<(Group, f32)> = s.movements.iter().filter_map(movement_at).map(|m| (Group::Movement(m), MOVEMENT_BOOST)).collect();
            let unit = index.unit_of[i].map(|u| facet_path("unit", &index.units[u].slug));
            if let Some(path) = &unit {
                document.add_facet(fields.facets, path.clone());
            }
            if let Some((d, _)) = index.district_of[i] {
                near.push((Group::District(d), DISTRICT_BOOST));
            }
            units.push(unit);
            groups.push(near);
            writer.add_document(document)?;
        }
        writer.commit()?;
        let reader = tantivy_index.reader()?;
        let related_df = related_doc_freqs(&reader.searcher(), &related_fields(&fields))?;
        // As tantivy's `Bm25Weight::for_terms` computes them.
        let related_docs = tantivy::query::Bm25StatisticsProvider::total_num_docs(&reader.searcher())?;
        let mut related_avg_fieldnorms = [0.0; RELATED_FIELDS];
        for (avg, field) in related_avg_fieldnorms.iter_mut().zip(related_fields(&fields)) {
            *avg = tantivy::query::Bm25StatisticsProvider::total_num_tokens(&reader.searcher(), field)? as f32 / related_docs as f32;
        }
        let positions = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| {
                let docs = segment.fast_fields().u64("doc").expect("doc is a fast field").first_or_default_col(0);
                (segment.segment_id(), (0..segment.max_doc()).map(|id| docs.get_val(id)).collect())
            })
            .collect::<HashMap<_, _>>()
            .into();
        Ok(Engine {
            reader,
            fields,
            // Only searching ranks by body length.
            avg_len: if coverage == Coverage::Search { terms::average_body_length(index) } else { 1.0 },
            cards,
            facet_labels,
            units,
            groups,
            positions,
            related_df,
            related_docs,
            related_avg_fieldnorms,
            coverage,
        })
    }

    pub fn len(&self) -> usize {
        self.cards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    /// What a result shows for story `doc`.
    pub fn card(&self, doc: usize) -> &Card {
        &self.cards[doc]
    }

    /// The best `limit` stories for `query`, best first (ties: newer first).
    pub fn search(&self, query: &str, limit: usize) -> tantivy::Result<Vec<Hit>> {
        Ok(self.query(&SearchRequest { query, filters: Filters::default(), offset: 0, limit })?.hits)
    }

    /// Matches, a page of ranked hits and facet counts. An empty query with filters lists the
    /// filtered stories newest first; an empty query without filters matches nothing.
    pub fn query(&self, request: &SearchRequest<'_>) -> tantivy::Result<SearchResults> {
        if self.coverage != Coverage::Search {
            return Err(tantivy::TantivyError::InvalidArgument("this engine indexes no story bodies: build it with Coverage::Search".into()));
        }
        let words = text::tokens(&text::nfc(request.query));
        if words.is_empty() && request.filters.values.is_empty() {
            return Ok(SearchResults { total: 0, hits: vec![], facets: FacetKind::ALL.iter().map(|k| (*k, vec![])).collect() });
        }
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.push((Occur::Must, if words.is_empty() { Box::new(AllQuery) } else { self.any_word(&words) }));
        for (kind, value) in &request.filters.values {
            let term = Term::from_facet(self.fields.facets, &facet_path(kind.id(), value));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::Basic)), 0.0))));
        }
        let matching = BooleanQuery::new(clauses);

        let ranker = Ranker::new(self, &searcher, &words)?;
        let positions = self.positions.clone();
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset).tweak_score(move |segment: &SegmentReader| {
            let scores = ranker.score_segment(segment);
            let docs = positions[&segment.segment_id()].clone();
            move |id: DocId, _| {
                let doc = docs[id as usize];
                (scores.get(&id).copied().unwrap_or(0.0), Reverse(doc))
            }
        });
        let mut facet_collector = FacetCollector::for_field("facets");
        for kind in FacetKind::ALL {
            facet_collector.add_facet(TantivyFacet::from_path([kind.id()]));
        }
        let (top, total, facet_counts) = searcher.search(&matching, &(top, Count, facet_collector))?;
        let hits = top.into_iter().map(|((score, Reverse(doc)), _)| Hit { doc: doc as usize, score }).collect();
        let facets = FacetKind::ALL
            .iter()
            .map(|kind| {
                let counts = facet_counts
                    .get(TantivyFacet::from_path([kind.id()]))
                    .filter_map(|(facet, count)| {
                        let value = facet.to_path().last()?.to_string();
                        let label = self.facet_labels.get(&(kind.id(), value.clone()))?.clone();
                        Some(FacetCount { value, label, count })
                    })
                    .collect();
                (*kind, counts)
            })
            .collect();
        Ok(SearchResults { total, hits, facets })
    }

    /// Whether `value` is a value of facet `kind` on this site (for the API's 400s).
    pub fn has_facet_value(&self, kind: FacetKind, value: &str) -> bool {
        self.facet_labels.contains_key(&(kind.id(), value.to_string()))
    }

    /// Up to `limit` stories related to story `doc`: a "more like this" query over the analyzer
    /// (the distinctive folded words of its title, unit and summary, searched in the names and
    /// summary), weighted up by the same unit, movement and district. Deterministic: clauses are
    /// built in sorted order, scores rounded, ties go to the newer story.
    pub fn related(&self, doc: usize, limit: usize) -> tantivy::Result<Vec<usize>> {
        let searcher = self.reader.searcher();
        let clauses = self.related_clauses(doc);
        // The story itself is dropped from one candidate more rather than excluded by the query
        // (an exclusion is checked at every matching document): the same candidates either way.
        let candidates = limit * RELATED_CANDIDATES;
        let found = self.top_related(&searcher, &clauses, candidates + 1)?;
        // The same movements and district, added to the candidates' scores.
        let mut ranked: Vec<(i64, Reverse<u64>)> = found
            .into_iter()
            .filter(|(_, d)| d.0 != doc as u64)
            .take(candidates)
            .map(|(score, d)| {
                let shared: f32 = self.groups[doc].iter().filter(|g| self.groups[d.0 as usize].contains(g)).map(|(_, boost)| boost).sum();
                (score + (shared * 100.0).round() as i64, d)
            })
            .collect();
        ranked.sort_by(|a, b| b.cmp(a));
        Ok(ranked.into_iter().take(limit).map(|(_, Reverse(d))| d as usize).collect())
    }

    /// The "more like this" query of story `doc`: its rarest words in the related fields, and its unit.
    fn related_clauses(&self, doc: usize) -> Vec<RelatedClause> {
        let card = &self.cards[doc];
        let text_ = format!("{} {} {}", card.title, card.unit.as_deref().unwrap_or(""), card.snippet);
        let mut words: Vec<String> = text::folded_words(&text_).into_iter().filter(|w| w.chars().count() >= 2).collect();
        words.sort();
        words.dedup();
        // Words in over a twentieth of the stories say little about what this story is like.
        let common = (self.len() as u32 / 20).max(2);
        let targets = related_fields(&self.fields);
        let mut candidates: Vec<(u32, &String, usize)> = Vec::new();
        for w in &words {
            for (f, &df) in self.related_df.get(w).into_iter().flat_map(|dfs| dfs.iter().enumerate()) {
                if df > 0 && df <= common.min(RELATED_MAX_POSTINGS) {
                    candidates.push((df, w, f));
                }
            }
        }
        // The rarest terms say most about the story (as MoreLikeThis picks them), in a fixed
        // order, as long as their postings fit the budget. (Keys are distinct: the unstable sort
        // gives the stable sort's order.)
        candidates.sort_unstable();
        let mut clauses: Vec<RelatedClause> = Vec::with_capacity(RELATED_TERMS + 1);
        for (df, w, f) in candidates.into_iter().take(RELATED_TERMS).scan(0u32, |postings, candidate| {
            *postings += candidate.0;
            (*postings <= RELATED_MAX_POSTINGS).then_some(candidate)
        }) {
            // The weight `Bm25Weight::for_terms` gives, from the statistics already at hand.
            let weight = tantivy::query::Bm25Weight::for_one_term_without_explain(df.into(), self.related_docs, self.related_avg_fieldnorms[f]);
            clauses.push(RelatedClause::Word(Term::from_field_text(targets[f], w), weight));
        }
        if let Some(path) = &self.units[doc] {
            clauses.push(RelatedClause::Unit(Term::from_facet(self.fields.facets, path)));
        }
        clauses
    }

    /// A query matching stories with any of the words in any field.
    fn any_word(&self, words: &[Word]) -> Box<dyn Query> {
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words {
            for field in self.fields.names.iter().map(|f| f.folded).chain([self.fields.summary, self.fields.body]) {
                any.push((Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, &w.folded), IndexRecordOption::Basic))));
            }
        }
        Box::new(BoostQuery::new(Box::new(BooleanQuery::new(any)), 0.0))
    }
}

/// A clause of a related-stories query: a word of a field, scored with BM25, or the story's unit,
/// scoring [`UNIT_BOOST`].
enum RelatedClause {
    Word(Term, tantivy::query::Bm25Weight),
    Unit(Term),
}

thread_local! {
    /// Per document of a segment, its related-stories score so far, and the documents scored:
    /// kept between queries (a national site runs 100,000 of them).
    static RELATED_SCORES: std::cell::RefCell<(Vec<f32>, Vec<DocId>)> = Default::default();
}

impl Engine {
    /// The best `limit` documents for `clauses`, as a tantivy `BooleanQuery` of `Should` clauses
    /// would score them (its union scorer sums a document's clause scores in clause order,
    /// starting from zero, and so does this, so the scores are the same to the bit), but clause by
    /// clause into an array: without the union's two 16 KB window buffers set up per query and
    /// its dynamic calls per document, which were most of the cost of related stories.
    fn top_related(&self, searcher: &Searcher, clauses: &[RelatedClause], limit: usize) -> tantivy::Result<Vec<RelatedKey>> {
        RELATED_SCORES.with_borrow_mut(|(scores, scored)| {
            // Left over only if an earlier query failed half-way: the array must start at zero.
            for doc in scored.drain(..) {
                scores[doc as usize] = 0.0;
            }
            let mut best = Vec::new();
            for segment in searcher.segment_readers() {
                scores.resize(scores.len().max(segment.max_doc() as usize), 0.0);
                let alive = |doc: DocId| segment.alive_bitset().is_none_or(|a| a.is_alive(doc));
                let mut add = |doc: DocId, score: f32| {
                    // Every clause scores above zero (BM25's idf is positive, the boost too).
                    if scores[doc as usize] == 0.0 {
                        scored.push(doc);
                    }
                    scores[doc as usize] += score;
                };
                for clause in clauses {
                    let (term, record, weight) = match clause {
                        RelatedClause::Word(term, weight) => (term, IndexRecordOption::WithFreqs, Some(weight)),
                        RelatedClause::Unit(term) => (term, IndexRecordOption::Basic, None),
                    };
                    let Some(mut postings) = segment.inverted_index(term.field())?.read_postings(term, record)? else { continue };
                    let bm25 = weight.map(|weight| segment.get_fieldnorms_reader(term.field()).map(|fieldnorms| (fieldnorms, weight))).transpose()?;
                    while postings.doc() != TERMINATED {
                        let doc = postings.doc();
                        if alive(doc) {
                            add(doc, bm25.as_ref().map_or(UNIT_BOOST, |(fieldnorms, weight)| weight.score(fieldnorms.fieldnorm_id(doc), postings.term_freq())));
                        }
                        postings.advance();
                    }
                }
                let mut top = TopRelatedInSegment {
                    limit,
                    positions: self.positions[&segment.segment_id()].clone(),
                    best: std::collections::BinaryHeap::with_capacity(limit + 1),
                };
                for doc in scored.drain(..) {
                    top.collect(doc, std::mem::take(&mut scores[doc as usize]));
                }
                best.extend(top.best.into_iter().map(|Reverse(key)| key));
            }
            best.sort_unstable_by(|a, b| b.cmp(a));
            best.truncate(limit);
            Ok(best)
        })
    }
}

/// A related-stories candidate: its score in hundredths (so that two builds agree whatever the
/// order of float additions) and its story position, the newer story first on a tie.
type RelatedKey = (i64, Reverse<u64>);

/// The best `limit` candidates of a related-stories query in one segment: a bounded heap that most
/// documents leave at their first comparison.
struct TopRelatedInSegment {
    limit: usize,
    positions: std::sync::Arc<[u64]>,
    best: std::collections::BinaryHeap<Reverse<RelatedKey>>,
}

impl TopRelatedInSegment {
    fn collect(&mut self, doc: DocId, score: tantivy::Score) {
        let scaled = score * 100.0;
        // Most documents score below the worst one kept (even once rounded): rejected before
        // rounding and before their position is looked up (a cache miss at 100,000 stories).
        if self.best.len() >= self.limit && self.best.peek().is_some_and(|Reverse((worst, _))| scaled < *worst as f32 - 0.5) {
            return;
        }
        let key = (scaled.round() as i64, Reverse(self.positions[doc as usize]));
        if self.best.len() < self.limit {
            self.best.push(Reverse(key));
        } else if self.best.peek().is_some_and(|Reverse(worst)| key > *worst) {
            self.best.pop();
            self.best.push(Reverse(key));
        }
    }
}

fn related_fields(fields: &Fields) -> [Field; RELATED_FIELDS] {
    let names = &fields.names;
    [names[0].folded, names[1].folded, names[2].folded, fields.summary]
}

/// Every word of the `targets` fields with its document frequency in each.
fn related_doc_freqs(searcher: &tantivy::Searcher, targets: &[Field; RELATED_FIELDS]) -> tantivy::Result<rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]>> {
    let mut dfs: rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]> = Default::default();
    for segment in searcher.segment_readers() {
        for (f, field) in targets.iter().enumerate() {
            let inverted = segment.inverted_index(*field)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                let word = String::from_utf8_lossy(terms.key()).into_owned();
                dfs.entry(word).or_default()[f] += terms.value().doc_freq;
            }
        }
    }
    Ok(dfs)
}

fn facet_path(facet: &str, value: &str) -> TantivyFacet {
    TantivyFacet::from_path([facet, value])
}

/// The client's ranking, computed from the index's term frequencies.
///
/// Per query word: the names impact (best field weight and occurrences across the names fields);
/// with diacritics in the word, a folded-only match counts [`FOLDED_ONLY`]; the body impact
/// (summary words boosted) counts [`BODY_WEIGHT`]; the better of the two times the word's idf.
/// An adjacent pair in a name adds [`PAIR_BONUS`] times its impact. Every matched word adds
/// [`PER_MATCHED_WORD`].
struct Ranker {
    words: Vec<WordPlan>,
    names: Vec<(NameField, Field, Field, Field)>,
    summary: Field,
    body: Field,
    avg_len: f32,
}

struct WordPlan {
    folded: String,
    exact: Option<String>,
    /// The folded pair with the previous word.
    pair: Option<String>,
    idf: f64,
}

/// Document → frequency of one term in one field of a segment.
fn frequencies(segment: &SegmentReader, field: Field, key: &str) -> HashMap<DocId, u32> {
    let mut out = HashMap::new();
    let Ok(inverted) = segment.inverted_index(field) else { return out };
    let Ok(Some(mut postings)) = inverted.read_postings(&Term::from_field_text(field, key), IndexRecordOption::WithFreqs) else { return out };
    let mut doc = postings.doc();
    while doc != TERMINATED {
        out.insert(doc, postings.term_freq());
        doc = postings.advance();
    }
    out
}

impl Ranker {
    fn new(engine: &Engine, searcher: &Searcher, words: &[Word]) -> tantivy::Result<Ranker> {
        let f = &engine.fields;
        let names: Vec<_> = f.names.iter().map(|n| (n.field, n.folded, n.exact, n.pairs)).collect();
        let n = searcher.num_docs() as f64;
        let plans = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                // The client's df: the larger of the names tier's and the body tier's.
                let mut names_docs = HashSet::new();
                let mut body_docs = HashSet::new();
                for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                    for (_, folded, _, _) in &names {
                        names_docs.extend(frequencies(segment, *folded, &w.folded).into_keys().map(|d| (ord, d)));
                    }
                    for field in [f.summary, f.body] {
                        body_docs.extend(frequencies(segment, field, &w.folded).into_keys().map(|d| (ord, d)));
                    }
                }
                let df = names_docs.len().max(body_docs.len()).max(1) as f64;
                WordPlan {
                    folded: w.folded.clone(),
                    exact: (w.exact != w.folded).then(|| w.exact.clone()),
                    pair: i.checked_sub(1).map(|p| format!("{}{}{}", words[p].folded, terms::PAIR_SEPARATOR, w.folded)),
                    idf: (1.0 + n / df).ln(),
                }
            })
            .collect();
        Ok(Ranker { words: plans, names, summary: f.summary, body: f.body, avg_len: engine.avg_len })
    }

    /// Names impact per document of a folded key (unigram or pair) over `forms` of each field.
    fn names_impacts(&self, segment: &SegmentReader, key: &str, form: impl Fn(&(NameField, Field, Field, Field)) -> Field) -> HashMap<DocId, f64> {
        let mut hits: HashMap<DocId, (f32, u32)> = HashMap::new();
        for entry in &self.names {
            for (doc, tf) in frequencies(segment, form(entry), key) {
                let h = hits.entry(doc).or_insert((0.0, 0));
                h.0 = h.0.max(entry.0.weight());
                h.1 += tf;
            }
        }
        hits.into_iter().map(|(doc, (best, count))| (doc, terms::names_impact(best, count) as f64)).collect()
    }

    fn score_segment(&self, segment: &SegmentReader) -> HashMap<DocId, f64> {
        let words_column = segment.fast_fields().u64("words").expect("words is a fast field").first_or_default_col(0);
        let mut scores: HashMap<DocId, f64> = HashMap::new();
        let mut matched: HashMap<DocId, u32> = HashMap::new();
        for w in &self.words {
            let names = self.names_impacts(segment, &w.folded, |e| e.1);
            let exact: HashSet<DocId> = match &w.exact {
                Some(key) => self.names.iter().flat_map(|e| frequencies(segment, e.2, key).into_keys()).collect(),
                None => HashSet::new(),
            };
            let summary = frequencies(segment, self.summary, &w.folded);
            let mut body: HashMap<DocId, f32> = frequencies(segment, self.body, &w.folded).into_iter().map(|(d, tf)| (d, tf as f32)).collect();
            for (doc, tf) in summary {
                *body.entry(doc).or_insert(0.0) += tf as f32 * terms::SUMMARY_BOOST;
            }
            let docs: HashSet<DocId> = names.keys().chain(body.keys()).copied().collect();
            for doc in docs {
                let mut s = names.get(&doc).copied().unwrap_or(0.0);
                if w.exact.is_some() && s != 0.0 {
                    s *= if exact.contains(&doc) { 1.0 } else { FOLDED_ONLY };
                }
                if let Some(&tf) = body.get(&doc) {
                    let impact = terms::body_impact(tf, words_column.get_val(doc) as usize, self.avg_len) as f64;
                    s = s.max(impact * BODY_WEIGHT);
                }
                *scores.entry(doc).or_insert(0.0) += s * w.idf;
                *matched.entry(doc).or_insert(0) += 1;
            }
            if let Some(pair) = &w.pair {
                for (doc, v) in self.names_impacts(segment, pair, |e| e.3) {
                    if let Some(score) = scores.get_mut(&doc) {
                        *score += v * PAIR_BONUS;
                    }
                }
            }
        }
        scores.into_iter().map(|(doc, score)| (doc, matched[&doc] as f64 * PER_MATCHED_WORD + score)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::index::Publish;

    /// Related stories are scored as tantivy scores the same clauses as a `BooleanQuery` of
    /// `Should` clauses: every document, on one segment (`build`) and on several (`serve`).
    #[test]
    fn related_scores_are_those_of_a_tantivy_boolean_query() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        crate::corpus::write_site(&root, 400, 3, std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (site, diagnostics) = crate::build::load(&root);
        let site = site.unwrap_or_else(|| panic!("{diagnostics:?}"));
        let index = SiteIndex::build(&site.content, &Publish::all());
        for coverage in [Coverage::Related, Coverage::Search] {
            let engine = Engine::build_with(&index, crate::search::cards(&index).into(), coverage).unwrap();
            let searcher = engine.reader.searcher();
            let every = searcher.num_docs() as usize;
            for doc in 0..index.stories.len() {
                let clauses = engine.related_clauses(doc);
                let ours = engine.top_related(&searcher, &clauses, every).unwrap();
                let query = BooleanQuery::new(
                    clauses
                        .iter()
                        .map(|clause| -> (Occur, Box<dyn Query>) {
                            match clause {
                                RelatedClause::Word(term, _) => (Occur::Should, Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))),
                                RelatedClause::Unit(term) => {
                                    (Occur::Should, Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic)), UNIT_BOOST)))
                                }
                            }
                        })
                        .collect(),
                );
                let mut tantivys: Vec<RelatedKey> = searcher
                    .search(&query, &TopDocs::with_limit(every).order_by_score())
                    .unwrap()
                    .into_iter()
                    .map(|(score, address)| ((score * 100.0).round() as i64, Reverse(engine.positions[&searcher.segment_reader(address.segment_ord).segment_id()][address.doc_id as usize])))
                    .collect();
                tantivys.sort_unstable_by(|a, b| b.cmp(a));
                assert!(!ours.is_empty(), "story {doc} matches at least itself");
                assert_eq!(ours, tantivys, "story {doc}, {coverage:?}");
            }
        }
    }
}
