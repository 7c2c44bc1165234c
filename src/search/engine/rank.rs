//! Ranking as the browser client ranks (`tim-kiem.js`), computed from the index's per-field term
//! frequencies with the same impact functions ([`terms::names_impact`], [`terms::body_impact`]).

use std::collections::{HashMap, HashSet};

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::Engine;
use crate::search::client::terms::{self, NameField};
use crate::text::Token as Word;

/// Client constants (tim-kiem.js): body weight against names, the factor of a folded-only match
/// when the query has diacritics, the bonus of an adjacent pair, how much a matched word
/// outweighs any score, and how much a word matched in a name with the tones the reader typed
/// outweighs any score (below a matched word: tones order the stories holding the same words).
const BODY_WEIGHT: f64 = 0.2;
const FOLDED_ONLY: f64 = 0.55;
const PAIR_BONUS: f64 = 20.0;
const PER_MATCHED_WORD: f64 = 1e8;
const PER_EXACT_WORD: f64 = 1e5;

/// The client's ranking, computed from the index's term frequencies.
///
/// Per query word: the names impact (best field weight and occurrences across the names fields);
/// with diacritics in the word, a folded-only match counts [`FOLDED_ONLY`]; the body impact
/// (summary words boosted) counts [`BODY_WEIGHT`]; the better of the two times the word's idf.
/// An adjacent pair in a name adds [`PAIR_BONUS`] times its impact. Every matched word adds
/// [`PER_MATCHED_WORD`], every word with diacritics matched with its tones in a name
/// [`PER_EXACT_WORD`]: "Thạnh An" puts the Thạnh An story before any number of Thanh An fields.
pub(super) struct Ranker {
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
    pub(super) fn new(engine: &Engine, searcher: &Searcher, words: &[Word]) -> tantivy::Result<Ranker> {
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

    pub(super) fn score_segment(&self, segment: &SegmentReader) -> HashMap<DocId, f64> {
        let words_column = segment.fast_fields().u64("words").expect("words is a fast field").first_or_default_col(0);
        let mut scores: HashMap<DocId, f64> = HashMap::new();
        let mut matched: HashMap<DocId, u32> = HashMap::new();
        let mut matched_exactly: HashMap<DocId, u32> = HashMap::new();
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
                    if exact.contains(&doc) {
                        *matched_exactly.entry(doc).or_insert(0) += 1;
                    } else {
                        s *= FOLDED_ONLY;
                    }
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
        scores
            .into_iter()
            .map(|(doc, score)| {
                let exact = matched_exactly.get(&doc).copied().unwrap_or(0) as f64;
                (doc, matched[&doc] as f64 * PER_MATCHED_WORD + exact * PER_EXACT_WORD + score)
            })
            .collect()
    }
}
