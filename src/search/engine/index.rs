//! Indexing the published stories in memory: the schema, the documents, and what ranking and
//! related stories read once per build.

use std::collections::HashMap;

use tantivy::schema::{FacetOptions, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED};
use tantivy::{Index, TantivyDocument};

use super::query::facet_path;
use super::related::{related_doc_freqs, related_fields, Group, MOVEMENT_BOOST, PLACE_BOOST, RELATED_FIELDS, RELATED_NAME_FIELDS};
use super::tokenizer::{Form, VietnameseTokenizer};
use super::{Coverage, Engine, Fields, NameFields};
use crate::search::client::terms::{self, NAME_FIELDS};
use crate::search::facets;
use crate::search::Card;
use crate::site::index::SiteIndex;
use crate::text;

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
        let stories = index.stories.len();
        let (mut units, mut groups) = (vec![None; stories], vec![Vec::new(); stories]);
        let mut add = |writer: &mut tantivy::IndexWriter, i: usize| -> tantivy::Result<()> {
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
            if let Some((p, c)) = index.place_of[i] {
                near.push((Group::Place(p, c), PLACE_BOOST));
            }
            units[i] = unit;
            groups[i] = near;
            writer.add_document(document)?;
            Ok(())
        };
        // The stories related stories are found among (the sealed ones; all of a site too small
        // to have any), committed first so that their segments are theirs alone.
        let related_among = match crate::search::sealed_stories(stories) {
            0 => stories,
            sealed => sealed,
        };
        for i in stories - related_among..stories {
            add(&mut writer, i)?;
        }
        writer.commit()?;
        let related_segments: std::collections::HashSet<tantivy::index::SegmentId> = tantivy_index.searchable_segment_ids()?.into_iter().collect();
        for i in 0..stories - related_among {
            add(&mut writer, i)?;
        }
        writer.commit()?;
        let reader = tantivy_index.reader()?;
        let searcher = reader.searcher();
        let sealed_readers: Vec<&tantivy::SegmentReader> = searcher.segment_readers().iter().filter(|s| related_segments.contains(&s.segment_id())).collect();
        let related_df = related_doc_freqs(&sealed_readers, &related_fields(&fields))?;
        // As tantivy's `Bm25Weight::for_terms` computes them, over the sealed stories.
        let related_docs: u64 = sealed_readers.iter().map(|s| u64::from(s.num_docs())).sum();
        let mut related_avg_fieldnorms = [0.0; RELATED_FIELDS];
        for (avg, field) in related_avg_fieldnorms.iter_mut().zip(related_fields(&fields)) {
            let mut tokens = 0;
            for segment in &sealed_readers {
                tokens += segment.inverted_index(field)?.total_num_tokens();
            }
            *avg = tokens as f32 / related_docs.max(1) as f32;
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
            related_segments,
            coverage,
        })
    }
}
