//! Scoring a related-stories query: its clauses one after the other into an array of scores, then
//! the best documents through a bounded heap.
//!
//! Why it exists: tantivy's `BooleanQuery` scores the same (its union scorer sums a document's
//! clause scores in clause order, as this does — the test below compares every story's scores,
//! on one segment and on several), but sets up two 16 KB window buffers per query and makes
//! dynamic calls per document. Related stories of 10,000 stories took 0.39–0.42 s with it and
//! 0.29–0.31 s with this (`bench_stage … related`, BENCHMARKS.md, item 32) — a quarter of the
//! stage, which runs once per story; kept for that.

use std::cmp::Reverse;

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, Term, TERMINATED};

use super::UNIT_BOOST;
use crate::search::engine::Engine;

/// A clause of a related-stories query: a word of a field, scored with BM25, or the story's unit,
/// scoring [`UNIT_BOOST`].
pub(super) enum RelatedClause {
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
    pub(super) fn top_related(&self, searcher: &Searcher, clauses: &[RelatedClause], limit: usize) -> tantivy::Result<Vec<RelatedKey>> {
        RELATED_SCORES.with_borrow_mut(|(scores, scored)| {
            // Left over only if an earlier query failed half-way: the array must start at zero.
            for doc in scored.drain(..) {
                scores[doc as usize] = 0.0;
            }
            let mut best = Vec::new();
            for segment in searcher.segment_readers().iter().filter(|s| self.related_segments.contains(&s.segment_id())) {
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
pub(super) type RelatedKey = (i64, Reverse<u64>);

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


#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::engine::Coverage;
    use crate::site::index::{Publish, SiteIndex};
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
        // All sealed (a multiple of the seal block), so that related stories are found among all
        // of them with the whole index's statistics, as tantivy's query scores them.
        let content = varied_stories(3 * crate::search::SEAL_BLOCK);
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

