//! Matching a query: every query word, each in any field (when no story holds them all, any
//! word, said so in the results), facet filters as required clauses, facet counts from
//! tantivy's facet collector; the order is [`super::rank`]'s.

use std::cmp::Reverse;

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet as TantivyFacet, IndexRecordOption};
use tantivy::{DocId, SegmentReader, Term};

use super::rank::Ranker;
use super::{Coverage, Engine, FacetCount, Filters, Hit, SearchRequest, SearchResults};
use crate::search::facets::FacetKind;
use crate::text::{self, Token as Word};

impl Engine {
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
            return Ok(SearchResults { total: 0, all_words: true, hits: vec![], facets: FacetKind::ALL.iter().map(|k| (*k, vec![])).collect() });
        }
        let results = self.matching(request, &words, Occur::Must)?;
        if results.total > 0 || words.len() < 2 {
            return Ok(results);
        }
        Ok(SearchResults { all_words: false, ..self.matching(request, &words, Occur::Should)? })
    }

    /// The results of `request` with each word a clause of kind `each_word` (`Must`: every
    /// word; `Should`: any word, most words first).
    fn matching(&self, request: &SearchRequest<'_>, words: &[Word], each_word: Occur) -> tantivy::Result<SearchResults> {
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.push((Occur::Must, if words.is_empty() { Box::new(AllQuery) } else { self.words_query(words, each_word) }));
        for (kind, value) in &request.filters.values {
            let term = Term::from_facet(self.fields.facets, &facet_path(kind.id(), value));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::Basic)), 0.0))));
        }
        let matching = BooleanQuery::new(clauses);

        let ranker = Ranker::new(self, &searcher, words)?;
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
        Ok(SearchResults { total, all_words: true, hits, facets })
    }

    /// Whether `value` is a value of facet `kind` on this site (for the API's 400s).
    pub fn has_facet_value(&self, kind: FacetKind, value: &str) -> bool {
        self.facet_labels.contains_key(&(kind.id(), value.to_string()))
    }

    /// A query matching stories with each word (`Must`) or any word (`Should`), a word in any field.
    fn words_query(&self, words: &[Word], each_word: Occur) -> Box<dyn Query> {
        let per_word: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let in_any_field: Vec<(Occur, Box<dyn Query>)> = self
                    .fields
                    .names
                    .iter()
                    .map(|f| f.folded)
                    .chain([self.fields.summary, self.fields.body])
                    .map(|field| (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, &w.folded), IndexRecordOption::Basic)) as Box<dyn Query>))
                    .collect();
                (each_word, Box::new(BooleanQuery::new(in_any_field)) as Box<dyn Query>)
            })
            .collect();
        Box::new(BoostQuery::new(Box::new(BooleanQuery::new(per_word)), 0.0))
    }
}

pub(super) fn facet_path(facet: &str, value: &str) -> TantivyFacet {
    TantivyFacet::from_path([facet, value])
}
