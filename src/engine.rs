//! Server-side full-text search with tantivy, using the project's Vietnamese analyzer.
//!
//! tantivy's own tokenizers split NFD text ("Điện" → "die" + "n") and only fold ASCII, so two
//! tokenizers here wrap [`crate::text::tokens`]: `vi` emits folded syllables, `vi_exact` the exact
//! keys. Ranking mirrors the browser client: every matched query word counts far more than how
//! well it matched; names outrank body text; adjacent words in a name (a phrase) add a bonus; with
//! diacritics in the query, exact matches outrank folded ones.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use crate::content::markdown;
use crate::site::index::SiteIndex;
use crate::text;

/// One of the two analyzer tokenizers.
#[derive(Clone, Copy)]
struct VietnameseTokenizer {
    exact: bool,
}

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
        let nfc = text::nfc(text_);
        let tokens = text::tokens(&nfc)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                // Offsets into the NFC text; stored fields are NFC already.
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: if self.exact { t.exact } else { t.folded },
                position_length: 1,
            })
            .collect();
        VecStream { tokens, at: 0 }
    }
}

/// Weighted fields: (folded, exact, weight). Names first, body last.
struct Fields {
    weighted: Vec<(Field, Field, f32)>,
    doc: Field,
}

/// A tantivy index over the published stories of a build.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// One result: the story's position in the site index, and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
}

const WEIGHTS: [(&str, f32); 6] = [("title", 10.0), ("unit", 6.0), ("locality", 4.0), ("movements", 3.0), ("awards", 2.0), ("body", 0.2)];

impl Engine {
    /// Indexes every story of `index` in memory.
    pub fn build(index: &SiteIndex<'_>) -> tantivy::Result<Engine> {
        let mut builder = Schema::builder();
        let text_options = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let weighted: Vec<(Field, Field, f32)> = WEIGHTS
            .iter()
            .map(|(name, w)| (builder.add_text_field(name, text_options("vi")), builder.add_text_field(&format!("{name}_exact"), text_options("vi_exact")), *w))
            .collect();
        let doc = builder.add_u64_field("doc", STORED);
        let schema = builder.build();
        let tantivy_index = Index::create_in_ram(schema);
        tantivy_index.tokenizers().register("vi", VietnameseTokenizer { exact: false });
        tantivy_index.tokenizers().register("vi_exact", VietnameseTokenizer { exact: true });
        let mut writer = tantivy_index.writer_with_num_threads(1, 50_000_000)?;
        for (i, s) in index.stories.iter().enumerate() {
            let locality = [&s.locality.commune, &s.locality.district].into_iter().flatten().cloned().collect::<Vec<_>>().join(" . ");
            let movements = index.movements.iter().filter(|m| s.movements.contains(&m.id)).map(|m| m.display_title()).collect::<Vec<_>>().join(" . ");
            let awards = s.awards.iter().map(|a| a.title.as_str()).chain(s.tags.iter().map(String::as_str)).collect::<Vec<_>>().join(" . ");
            let body = format!("{} {}", s.summary, markdown::plain_text(&s.body));
            let values = [s.title.as_str(), s.unit.as_deref().unwrap_or(""), &locality, &movements, &awards, &body];
            let mut document = TantivyDocument::default();
            for ((folded, exact, _), value) in weighted.iter().zip(values) {
                document.add_text(*folded, value);
                document.add_text(*exact, value);
            }
            document.add_u64(doc, i as u64);
            writer.add_document(document)?;
        }
        writer.commit()?;
        let reader = tantivy_index.reader()?;
        Ok(Engine { index: tantivy_index, reader, fields: Fields { weighted, doc } })
    }

    /// The best `limit` stories for `query`, best first (ties: newer first).
    pub fn search(&self, query: &str, limit: usize) -> tantivy::Result<Vec<Hit>> {
        let words = text::tokens(&text::nfc(query));
        if words.is_empty() {
            return Ok(vec![]);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &words {
            let mut per_field: Vec<Box<dyn Query>> = Vec::new();
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (folded, exact, weight) in &self.fields.weighted {
                let folded_q: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(*folded, &w.folded), IndexRecordOption::WithFreqs));
                any.push((Occur::Should, Box::new(TermQuery::new(Term::from_field_text(*folded, &w.folded), IndexRecordOption::Basic))));
                // With diacritics in the query, a folded-only match counts a little over half.
                let factor = if w.exact != w.folded { 0.55 } else { 1.0 };
                per_field.push(Box::new(BoostQuery::new(folded_q, weight * factor)));
                if w.exact != w.folded {
                    let exact_q = Box::new(TermQuery::new(Term::from_field_text(*exact, &w.exact), IndexRecordOption::WithFreqs));
                    per_field.push(Box::new(BoostQuery::new(exact_q, *weight)));
                }
            }
            // Matched words dominate: each adds a constant far above any field score.
            clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 1_000_000.0))));
            clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(per_field))));
        }
        for pair in words.windows(2) {
            for (folded, _, weight) in self.fields.weighted.iter().take(3) {
                let terms = vec![Term::from_field_text(*folded, &pair[0].folded), Term::from_field_text(*folded, &pair[1].folded)];
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), weight * 2.0))));
            }
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(limit.max(1) * 4).order_by_score())?;
        let mut hits: Vec<Hit> = top
            .into_iter()
            .filter_map(|(score, address)| {
                let d: TantivyDocument = searcher.doc(address).ok()?;
                let doc = d.get_first(self.fields.doc)?.as_u64()? as usize;
                Some(Hit { doc, score })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        Ok(hits)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}
