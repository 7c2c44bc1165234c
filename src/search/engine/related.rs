//! Related stories: for each story, a "more like this" query over the analyzer (the distinctive
//! folded words of its title, unit and summary, searched in the names and summary), weighted up by
//! the same unit, movement and district.
//!
//! The query is scored by a loop of its own ([`Engine::top_related`]) instead of tantivy's
//! `BooleanQuery`: the same scores to the bit (the test below compares them on every story, on
//! one segment and on several), without the union scorer's two 16 KB window buffers per query and
//! its dynamic calls per document. Measured (BENCHMARKS.md, item 31): related stories of 10,000
//! stories 0.39–0.42 s → 0.29–0.31 s, 2.39 → 1.85 G instructions — kept for that quarter of the stage.

use std::cmp::Reverse;

use rayon::prelude::*;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, Term, TERMINATED};

use super::{Engine, Fields};
use crate::site::index::SiteIndex;
use crate::text;

/// How many related stories a story page lists.
pub const RELATED_STORIES: usize = 5;

/// Per story of `index`, its related stories (positions in the index), best first.
pub fn related_stories(index: &SiteIndex<'_>, engine: &Engine) -> tantivy::Result<Vec<Vec<usize>>> {
    (0..index.stories.len()).into_par_iter().map(|i| engine.related(i, RELATED_STORIES)).collect()
}

/// Terms of a story's "more like this" query: its rarest words.
const RELATED_TERMS: usize = 16;
/// The most postings the words of a related-stories query may have together (the sum of their
/// document frequencies): the rarest words are taken first, so the work per story stays bounded
/// whatever the size of the site.
const RELATED_MAX_POSTINGS: u32 = 500;
/// Candidates per related story shown, re-ranked with the shared movements and district.
const RELATED_CANDIDATES: usize = 8;
const UNIT_BOOST: f32 = 8.0;
pub(super) const MOVEMENT_BOOST: f32 = 3.0;
pub(super) const DISTRICT_BOOST: f32 = 1.0;

/// A group a story belongs to, by position in the site index: shared ones raise a related
/// story's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    Movement(usize),
    District(usize),
}

/// The fields a related-stories query matches words in: the first three name fields (title,
/// unit, locality) and the summary.
pub(super) const RELATED_NAME_FIELDS: usize = 3;
pub(super) const RELATED_FIELDS: usize = RELATED_NAME_FIELDS + 1;

impl Engine {
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

pub(super) fn related_fields(fields: &Fields) -> [Field; RELATED_FIELDS] {
    let names = &fields.names;
    [names[0].folded, names[1].folded, names[2].folded, fields.summary]
}

/// Every word of the `targets` fields with its document frequency in each.
pub(super) fn related_doc_freqs(searcher: &tantivy::Searcher, targets: &[Field; RELATED_FIELDS]) -> tantivy::Result<rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::engine::Coverage;
    use crate::site::index::Publish;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};

    /// `n` stories sharing words, units and districts in varied measure (a deterministic xorshift).
    fn varied_stories(n: usize) -> crate::content::Content {
        const WORDS: [&str; 30] = [
            "trường", "học", "nông", "thôn", "mới", "thanh", "niên", "y", "tế", "xã", "điện", "quan", "sa", "pa", "bảo",
            "yên", "hợp", "tác", "chuyển", "đổi", "số", "giảm", "nghèo", "văn", "hóa", "cựu", "chiến", "binh", "phụ", "nữ",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut stories = Vec::with_capacity(n);
        for i in 0..n {
            let mut words = |k: usize| (0..k).map(|_| WORDS[below(WORDS.len())]).collect::<Vec<_>>().join(" ");
            let (title, summary, body) = (words(4), words(12), words(60));
            let (unit, district, day) = (below(60), below(9), 1 + below(28));
            let file = format!(
                "---\ntitle: \"{title} {i}\"\nkind: ca-nhan\nmovements: [m]\nunit: \"Đơn vị {unit}\"\nlocality: {{province: Lào Cai, district: \"Huyện {district}\"}}\ndate: 2022-01-{day:02}\nsummary: \"{summary}\"\n---\n{body}\n"
            );
            let rel = std::path::PathBuf::from(format!("content/stories/s{i}.md"));
            let mut diags = crate::diagnostics::Diagnostics::default();
            let story = crate::content::parse_story(&file, &rel, &rel, &mut diags);
            stories.push(story.unwrap_or_else(|| panic!("{:?}", diags.sorted())));
        }
        crate::content::Content { stories, ..Default::default() }
    }

    /// Related stories are scored as tantivy scores the same clauses as a `BooleanQuery` of
    /// `Should` clauses: every document, on one segment (`build`) and on several (`serve`).
    #[test]
    fn related_scores_are_those_of_a_tantivy_boolean_query() {
        let content = varied_stories(400);
        let index = SiteIndex::build(&content, &Publish::all());
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
