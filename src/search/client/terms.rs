//! Stories → weighted search terms.
//!
//! Two tiers. *Names* (title, unit, commune, district, movements, awards, tags) give folded
//! syllables, exact keys for syllables with diacritics, and adjacent-syllable pairs, so names
//! rank first and phrases like "Điện Quan" beat scattered words. *Body* (summary and text) gives
//! folded syllables only, weighted by a BM25-style term frequency.

use rustc_hash::FxHashMap as HashMap;

use crate::content::markdown;
use crate::site::index::SiteIndex;
use crate::text::{self, Token};

/// The fields of the names tier, in descending weight (the order [`collect`] relies on).
pub const NAME_FIELDS: [NameField; 5] = [NameField::Title, NameField::Unit, NameField::Locality, NameField::Movement, NameField::AwardOrTag];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameField {
    Title,
    Unit,
    /// Commune and district.
    Locality,
    Movement,
    AwardOrTag,
}

impl NameField {
    /// Weight of a match in this field (title counts most).
    pub fn weight(self) -> f32 {
        match self {
            NameField::Title => 10.0,
            NameField::Unit => 6.0,
            NameField::Locality => 4.0,
            NameField::Movement => 3.0,
            NameField::AwardOrTag => 2.0,
        }
    }

    /// Field name in the tantivy schema.
    pub fn name(self) -> &'static str {
        match self {
            NameField::Title => "title",
            NameField::Unit => "unit",
            NameField::Locality => "locality",
            NameField::Movement => "movements",
            NameField::AwardOrTag => "awards",
        }
    }

    /// The texts of story `i` in this field; each is analysed on its own (no pair spans two).
    pub fn texts<'s>(self, index: &SiteIndex<'s>, i: usize) -> Vec<&'s str> {
        let s = index.stories[i];
        match self {
            NameField::Title => vec![s.title.as_str()],
            NameField::Unit => s.unit.as_deref().into_iter().collect(),
            NameField::Locality => s.locality.search_names(),
            NameField::Movement => index.movements.iter().filter(|m| s.movements.contains(&m.id)).map(|m| m.display_title()).collect(),
            NameField::AwardOrTag => s.awards.iter().map(|a| a.title.as_str()).chain(s.tags.iter().map(String::as_str)).collect(),
        }
    }
}

/// Summary words count this many times in the body tier.
pub const SUMMARY_BOOST: f32 = 1.5;

/// Key prefixes of the names tier: folded unigram (none), exact key, folded pair.
pub const EXACT_PREFIX: &str = "=";
pub const PAIR_SEPARATOR: char = ' ';

/// Postings of a term: (story position, impact quantised to 1..=255), positions ascending.
pub type Postings = Vec<(u32, u8)>;

/// The inverted index of the stories: every term of each tier with its postings.
#[derive(Debug, Default)]
pub struct Inverted {
    pub names: HashMap<String, Postings>,
    pub body: HashMap<String, Postings>,
}

/// Best field weight and number of occurrences of one names-tier term in a story.
#[derive(Clone, Copy, Default)]
struct NameHits {
    best: f32,
    count: u32,
}

/// The names-tier terms of one text, in order, repeats kept: each folded syllable, its exact key
/// when it has diacritics, and each adjacent pair of folded syllables.
fn name_terms(text_: &str) -> Vec<String> {
    let tokens: Vec<Token> = text::tokens(&text::nfc(text_));
    let mut terms = Vec::with_capacity(tokens.len() * 3);
    for (i, t) in tokens.iter().enumerate() {
        terms.push(t.folded.clone());
        if t.exact != t.folded {
            terms.push(format!("{EXACT_PREFIX}{}", t.exact));
        }
        if let Some(next) = tokens.get(i + 1) {
            terms.push(format!("{}{PAIR_SEPARATOR}{}", t.folded, next.folded));
        }
    }
    terms
}

/// The names-tier terms of a block of stories, each with an id and its postings. Stories of a
/// block share a few movements, districts, communes and units: each distinct text is analysed once.
#[derive(Default)]
struct NameTermTable<'s> {
    of_text: HashMap<&'s str, Vec<u32>>,
    ids: HashMap<String, u32>,
    postings: Vec<Postings>,
}

impl<'s> NameTermTable<'s> {
    /// The term ids of `text_`, in order, repeats kept.
    fn terms_of(&mut self, text_: &'s str) -> &[u32] {
        let NameTermTable { of_text, ids, postings } = self;
        of_text.entry(text_).or_insert_with(|| {
            name_terms(text_)
                .into_iter()
                .map(|term| {
                    *ids.entry(term).or_insert_with(|| {
                        postings.push(Vec::new());
                        (postings.len() - 1) as u32
                    })
                })
                .collect()
        })
    }

    fn into_map(self) -> HashMap<String, Postings> {
        let mut postings = self.postings;
        self.ids.into_iter().map(|(term, id)| (term, std::mem::take(&mut postings[id as usize]))).collect()
    }
}

fn quantise(score: f32, scale: f32) -> u8 {
    (score * scale).round().clamp(1.0, 255.0) as u8
}

/// Impact of a names-tier term: the best field's weight counts; each repeat adds a little.
/// Shared with the tantivy engine, which derives `best` and `count` from per-field frequencies.
pub fn names_impact(best_weight: f32, occurrences: u32) -> u8 {
    quantise(best_weight + 0.5 * occurrences.saturating_sub(1) as f32, 10.0)
}

/// Impact of a body word: BM25 saturation (k1 = 1.2, b = 0.75) of its frequency (summary
/// words count [`SUMMARY_BOOST`] times), so long stories do not win by length alone.
///
/// The story's length is taken in steps of about 9 % ([`length_step`]), so that an edit of a
/// sentence leaves the impacts of the story's other words, and the files holding them, unchanged.
pub fn body_impact(frequency: f32, words: usize, avg_len: f32) -> u8 {
    let norm = 1.2 * (0.25 + 0.75 * length_step(words) / avg_len);
    quantise(frequency * 2.2 / (frequency + norm), 100.0)
}

/// `words` rounded to the nearest power of 2^(1/8).
fn length_step(words: usize) -> f32 {
    if words == 0 {
        return 0.0;
    }
    2f32.powf(((words as f32).log2() * 8.0).round() / 8.0)
}

/// Story text of the body tier: the summary (boosted) and the Markdown body as plain text.
pub fn body_parts(s: &crate::content::Story) -> [(String, f32); 2] {
    [(s.summary.clone(), SUMMARY_BOOST), (markdown::plain_text(&s.body), 1.0)]
}

/// Mean number of words per story body, for length normalisation, rounded to the nearest power
/// of two: one story more or less does not move it, so it does not change every story's impacts
/// (and every file of the index) either. Counted cheaply by ASCII whitespace: a normalisation
/// constant needs no exact syllable count, and Unicode whitespace, which needs every character
/// decoded, took 5 % of a 100,000-story build.
pub fn average_body_length(index: &SiteIndex<'_>) -> f32 {
    use rayon::prelude::*;
    let total: usize = index.stories.par_iter().map(|s| s.summary.split_ascii_whitespace().count() + s.body.split_ascii_whitespace().count()).sum();
    let mean = (total as f32 / index.stories.len().max(1) as f32).max(1.0);
    2f32.powf(mean.log2().round())
}

/// Stories inverted together: each block is inverted on its own thread, then blocks are merged
/// in order (so postings stay sorted), term by term rather than posting by posting.
const BLOCK: usize = 1024;

/// Inverts every published story of `index` (positions in index order, newest first).
pub fn invert(index: &SiteIndex<'_>, avg_len: f32) -> Inverted {
    use rayon::prelude::*;
    let starts: Vec<usize> = (0..index.stories.len()).step_by(BLOCK).collect();
    let blocks: Vec<Inverted> = starts.into_par_iter().map(|start| invert_block(index, start..(start + BLOCK).min(index.stories.len()), avg_len)).collect();
    let mut all = Inverted::default();
    for block in blocks {
        for (all_tier, tier) in [(&mut all.names, block.names), (&mut all.body, block.body)] {
            for (term, postings) in tier {
                match all_tier.get_mut(&term) {
                    Some(list) => list.extend(postings),
                    None => {
                        all_tier.insert(term, postings);
                    }
                }
            }
        }
    }
    all
}

fn invert_block<'s>(index: &SiteIndex<'s>, range: std::ops::Range<usize>, avg_len: f32) -> Inverted {
    let mut names = NameTermTable::default();
    let mut hits: HashMap<u32, NameHits> = HashMap::default();
    // Body words get an id in the block, so counting a story's words allocates only for words
    // the block has not seen (a body has ~1,000 words, a few hundred distinct).
    let mut word_ids = WordIds::default();
    let mut word_postings: Vec<Postings> = Vec::new();
    let mut frequency: Vec<f32> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for i in range {
        let doc = i as u32;
        for field in NAME_FIELDS {
            let weight = field.weight();
            for text_ in field.texts(index, i) {
                for &id in names.terms_of(text_) {
                    let h = hits.entry(id).or_default();
                    h.best = h.best.max(weight);
                    h.count += 1;
                }
            }
        }
        for (id, h) in hits.drain() {
            names.postings[id as usize].push((doc, names_impact(h.best, h.count)));
        }
        let mut len = 0;
        for (text_, boost) in body_parts(index.stories[i]) {
            text::for_each_folded_word(&text_, |word| {
                let id = word_ids.id(word, || {
                    word_postings.push(Vec::new());
                    frequency.push(0.0);
                    word_postings.len() - 1
                });
                if frequency[id] == 0.0 {
                    seen.push(id);
                }
                frequency[id] += boost;
                len += 1;
            });
        }
        for id in seen.drain(..) {
            word_postings[id].push((doc, body_impact(frequency[id], len, avg_len)));
            frequency[id] = 0.0;
        }
    }
    Inverted {
        names: names.into_map(),
        body: word_ids.into_words().map(|(word, id)| (word, std::mem::take(&mut word_postings[id]))).collect(),
    }
}

/// Ids of the body words of a block. Most folded syllables fit in 8 bytes: those are keyed by
/// their bytes packed into an integer (no key to follow to the heap and compare on every lookup:
/// the lookup of each of ~100 million body words was the client index's largest cost).
#[derive(Default)]
struct WordIds {
    short: HashMap<u64, usize>,
    long: HashMap<String, usize>,
}

impl WordIds {
    /// The id of `word`; `new_id` makes one for a word not seen before.
    fn id(&mut self, word: &str, new_id: impl FnOnce() -> usize) -> usize {
        match pack(word) {
            Some(key) => *self.short.entry(key).or_insert_with(new_id),
            None => match self.long.get(word) {
                Some(&id) => id,
                None => *self.long.entry(word.to_string()).or_insert_with(new_id),
            },
        }
    }

    fn into_words(self) -> impl Iterator<Item = (String, usize)> {
        self.short.into_iter().map(|(key, id)| (unpack(key), id)).chain(self.long)
    }
}

/// A word of at most 8 bytes as an integer, zero-padded: folded words have no NUL byte, so no two
/// words share a key.
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() <= 8).then(|| bytes.iter().rev().fold(0u64, |key, &b| key << 8 | b as u64))
}

fn unpack(key: u64) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    String::from_utf8(bytes[..len].to_vec()).expect("packed from a str")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_folded_exact_and_pair_terms() {
        let terms = name_terms("Xã Điện Quan");
        assert_eq!(terms, ["xa", "=xa4", "xa dien", "dien", "=điên5", "dien quan", "quan"]);
    }

    #[test]
    fn texts_share_term_ids_and_a_text_seen_before_gives_the_same_terms() {
        let mut table = NameTermTable::default();
        let first = table.terms_of("Điện Quan").to_vec();
        assert_eq!(first.len(), 4, "dien, =điên5, dien quan, quan");
        let mut both = first.clone();
        both.extend_from_slice(table.terms_of("xã Điện Quan"));
        let dien = table.ids["dien"];
        assert_eq!(both.iter().filter(|&&id| id == dien).count(), 2, "the same term keeps one id across texts");
        assert_eq!(table.terms_of("Điện Quan"), first);
    }

    #[test]
    fn word_ids_are_one_per_word_short_or_long() {
        let mut ids = WordIds::default();
        let mut next = 0;
        let words = ["a", "dien", "quan", "nghieng", "12345678", "123456789", "hoptacxaxanh", "a", "nghieng", "123456789"];
        let got: Vec<usize> = words
            .iter()
            .map(|w| {
                ids.id(w, || {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 5, 6, 0, 3, 5]);
        let mut back: Vec<(String, usize)> = ids.into_words().collect();
        back.sort_by_key(|(_, id)| *id);
        assert_eq!(back.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>(), words[..7]);
    }
}
