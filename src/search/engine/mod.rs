//! Server-side search with tantivy, using the project's Vietnamese analyzer: `nguoitot search`,
//! `serve`'s `/api/search`, and related stories at build time.
//!
//! [`tokenizer`] wraps [`crate::text::tokens`] for tantivy; [`index`] indexes the stories (each
//! names-tier field in three forms, the summary and body folded); [`query`] matches (any query
//! word in any field, facet filters as required clauses) and counts facets; [`rank`] ranks as the
//! browser client does, so `serve`, `search` and the static index put the same stories first;
//! [`related`] finds each story's related stories.

mod index;
mod query;
mod rank;
pub mod related;
mod tokenizer;

use std::collections::HashMap;

use tantivy::schema::{Facet as TantivyFacet, Field};
use tantivy::IndexReader;

use crate::search::client::terms::NameField;
use crate::search::facets::FacetKind;
use crate::search::Card;
use related::{Group, RELATED_FIELDS};

pub use related::{related_stories, RELATED_STORIES};

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
    /// Whether the results hold every word of the query. When no story does, the results are
    /// the stories holding most of the words, and say so.
    pub all_words: bool,
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
    /// Sealed stories, and each related field's average length: with `related_df`, all a
    /// related-stories word's BM25 weight needs (looked up once here, not once per query word).
    related_docs: u64,
    related_avg_fieldnorms: [f32; RELATED_FIELDS],
    /// The segments of the sealed stories, the only ones related stories are found among (see
    /// [`crate::search::sealed_stories`]).
    related_segments: std::collections::HashSet<tantivy::index::SegmentId>,
    coverage: Coverage,
}

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
}
