//! Related stories: for each story, a "more like this" query over the analyzer (the distinctive
//! folded words of its title, unit and summary, searched in the names and summary), weighted up by
//! the same unit, movement and place. Related stories are found among the sealed stories, with
//! their statistics (see [`crate::search::sealed_stories`]): a new story is listed on other
//! stories' pages once it is sealed, and until then changes no other page.
//!
//! The query's clauses are made here and scored by [`scorer`].

mod scorer;

use std::cmp::Reverse;

use rayon::prelude::*;
use tantivy::schema::Field;
use tantivy::Term;

use super::{Engine, Fields};
use scorer::RelatedClause;
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
/// Candidates per related story shown, re-ranked with the shared movements and place.
const RELATED_CANDIDATES: usize = 8;
const UNIT_BOOST: f32 = 8.0;
pub(super) const MOVEMENT_BOOST: f32 = 3.0;
pub(super) const PLACE_BOOST: f32 = 1.0;

/// A group a story belongs to, by position in the site index: shared ones raise a related
/// story's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    Movement(usize),
    /// The current province and commune (positions in the site index).
    Place(usize, Option<usize>),
}

/// The fields a related-stories query matches words in: the first three name fields (title,
/// unit, locality) and the summary.
pub(super) const RELATED_NAME_FIELDS: usize = 3;
pub(super) const RELATED_FIELDS: usize = RELATED_NAME_FIELDS + 1;

impl Engine {
    /// Up to `limit` stories related to story `doc`: a "more like this" query over the analyzer
    /// (the distinctive folded words of its title, unit and summary, searched in the names and
    /// summary), weighted up by the same unit, movement and place. Deterministic: clauses are
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
        let common = (self.related_docs as u32 / 20).max(2);
        let targets = related_fields(&self.fields);
        let mut candidates: Vec<(u32, &String, usize)> = Vec::new();
        for w in &words {
            for (f, &df) in self.related_df.get(w).into_iter().flat_map(|dfs| dfs.iter().enumerate()) {
                // A word only this story has (df 1) finds nothing but itself.
                if df > 1 && df <= common.min(RELATED_MAX_POSTINGS) {
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

pub(super) fn related_fields(fields: &Fields) -> [Field; RELATED_FIELDS] {
    let names = &fields.names;
    [names[0].folded, names[1].folded, names[2].folded, fields.summary]
}

/// Every word of the `targets` fields with its document frequency in each, in `segments`.
pub(super) fn related_doc_freqs(segments: &[&tantivy::SegmentReader], targets: &[Field; RELATED_FIELDS]) -> tantivy::Result<rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]>> {
    let mut dfs: rustc_hash::FxHashMap<String, [u32; RELATED_FIELDS]> = Default::default();
    for segment in segments {
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

