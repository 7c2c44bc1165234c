//! Vietnamese text handling shared by every stage: the analyzer (normalisation, folding,
//! tokens) and slugs built on it.
pub mod analyzer;
pub mod slug;

pub use analyzer::{exact_key, fold, folded_words, for_each_folded_word, has_diacritics, nfc, normalize, same_name, Token, tokens};
pub use slug::slugify;

/// Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after letters), as a reader
/// expects a list sorted: Unicode's collation for `vi` (ICU4X), not byte order, which puts
/// "Đời sống" after "Doanh nghiệp" only by accident and "Ủy ban" after "Văn hóa".
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    static COLLATOR: std::sync::LazyLock<icu_collator::CollatorBorrowed<'static>> = std::sync::LazyLock::new(|| {
        icu_collator::Collator::try_new(icu_locale_core::locale!("vi").into(), icu_collator::options::CollatorOptions::default())
            .expect("the Vietnamese collation is compiled in")
    });
    COLLATOR.compare(a, b)
}
