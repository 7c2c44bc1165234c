//! Vietnamese text handling shared by every stage: the analyzer (normalisation, folding,
//! tokens) and slugs built on it.
pub mod analyzer;
pub mod slug;

pub use analyzer::{exact_key, fold, folded_words, for_each_folded_word, has_diacritics, nfc, normalize, same_name, Token, tokens};
pub use slug::slugify;
