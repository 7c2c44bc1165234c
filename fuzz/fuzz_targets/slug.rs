//! The slugifier: any text gives an address segment of `[a-z0-9-]`, stable under NFC/NFD.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nguoitot::text;
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let slug = text::slugify(s);
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    assert_eq!(slug, text::slugify(&s.nfd().collect::<String>()), "NFD gives the same slug");
});
