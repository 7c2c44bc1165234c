//! Stories → weighted search terms.
//!
//! Two tiers. *Names* (title, unit, commune, district, movements, awards, tags) give folded
//! syllables, exact keys for syllables with diacritics, and adjacent-syllable pairs, so names
//! rank first and phrases like "Điện Quan" beat scattered words. *Body* (summary and text) gives
//! folded syllables only, weighted by a BM25-style term frequency.

use std::collections::HashMap;

use crate::content::markdown;
use crate::site::index::SiteIndex;
use crate::text::{self, Token};

/// Field weights of the names tier (title counts most).
pub const TITLE: f32 = 10.0;
pub const UNIT: f32 = 6.0;
pub const LOCALITY: f32 = 4.0;
pub const MOVEMENT: f32 = 3.0;
pub const AWARD_OR_TAG: f32 = 2.0;
const SUMMARY_BOOST: f32 = 1.5;

/// Key prefixes of the names tier: folded unigram (none), exact key, folded pair.
pub const EXACT_PREFIX: &str = "=";
pub const PAIR_SEPARATOR: char = ' ';

/// Impacts of one document: term → score (already quantised to 1..=255).
#[derive(Debug, Default)]
pub struct DocTerms {
    pub names: HashMap<String, u8>,
    pub body: HashMap<String, u8>,
}

fn add_names(terms: &mut HashMap<String, f32>, text_: &str, weight: f32) {
    let tokens: Vec<Token> = text::tokens(&text::nfc(text_));
    for (i, t) in tokens.iter().enumerate() {
        bump(terms, t.folded.clone(), weight);
        if t.exact != t.folded {
            bump(terms, format!("{EXACT_PREFIX}{}", t.exact), weight);
        }
        if let Some(next) = tokens.get(i + 1) {
            bump(terms, format!("{}{PAIR_SEPARATOR}{}", t.folded, next.folded), weight);
        }
    }
}

fn bump(terms: &mut HashMap<String, f32>, key: String, weight: f32) {
    let slot = terms.entry(key).or_insert(0.0);
    // The best field counts; repeats add a little.
    *slot = if *slot == 0.0 { weight } else { slot.max(weight) + 0.5 };
}

fn quantise(score: f32, scale: f32) -> u8 {
    (score * scale).round().clamp(1.0, 255.0) as u8
}

/// Story text of the body tier: the summary (boosted) and the Markdown body as plain text.
fn body_parts(s: &crate::content::Story) -> [(String, f32); 2] {
    [(s.summary.clone(), SUMMARY_BOOST), (markdown::plain_text(&s.body), 1.0)]
}

/// Mean number of words per story body, for length normalisation (counted cheaply by
/// whitespace: a normalisation constant needs no exact syllable count).
pub fn average_body_length(index: &SiteIndex<'_>) -> f32 {
    use rayon::prelude::*;
    let total: usize = index.stories.par_iter().map(|s| s.summary.split_whitespace().count() + s.body.split_whitespace().count()).sum();
    (total as f32 / index.stories.len().max(1) as f32).max(1.0)
}

/// Terms of the published stories `range` (index order, newest first).
pub fn collect(index: &SiteIndex<'_>, range: std::ops::Range<usize>, avg_len: f32) -> Vec<DocTerms> {
    use rayon::prelude::*;
    range
        .into_par_iter()
        .map(|i| {
            let s = index.stories[i];
            let mut names = HashMap::new();
            add_names(&mut names, &s.title, TITLE);
            if let Some(u) = &s.unit {
                add_names(&mut names, u, UNIT);
            }
            for part in [&s.locality.commune, &s.locality.district].into_iter().flatten() {
                add_names(&mut names, part, LOCALITY);
            }
            for m in index.movements.iter().filter(|m| s.movements.contains(&m.id)) {
                add_names(&mut names, m.display_title(), MOVEMENT);
            }
            for a in &s.awards {
                add_names(&mut names, &a.title, AWARD_OR_TAG);
            }
            for t in &s.tags {
                add_names(&mut names, t, AWARD_OR_TAG);
            }
            let mut tf: HashMap<String, f32> = HashMap::new();
            let mut len = 0;
            for (text_, boost) in body_parts(s) {
                for word in text::folded_words(&text_) {
                    *tf.entry(word).or_insert(0.0) += boost;
                    len += 1;
                }
            }
            // BM25 saturation (k1 = 1.2, b = 0.75): long stories do not win by length alone.
            let norm = 1.2 * (0.25 + 0.75 * len as f32 / avg_len);
            DocTerms {
                names: names.into_iter().map(|(k, v)| (k, quantise(v, 10.0))).collect(),
                body: tf.into_iter().map(|(k, f)| (k, quantise(f * 2.2 / (f + norm), 100.0))).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_folded_exact_and_pair_terms() {
        let mut t = HashMap::new();
        add_names(&mut t, "Xã Điện Quan", LOCALITY);
        for key in ["xa", "dien", "quan", "=xa4", "=điên5", "xa dien", "dien quan"] {
            assert!(t.contains_key(key), "{key} in {:?}", t.keys().collect::<Vec<_>>());
        }
        assert!(!t.contains_key("=quan"), "no exact key for a syllable without diacritics");
    }
}
