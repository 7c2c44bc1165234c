//! The Vietnamese analyzer: every form agrees with every other on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nguoitot::text;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let nfc = text::nfc(s);
    assert_eq!(text::nfc(&nfc), nfc, "NFC is idempotent");
    let tokens = text::tokens(&nfc);
    let folded: Vec<String> = tokens.iter().map(|t| t.folded.clone()).collect();
    assert_eq!(text::folded_words(s), folded, "one-pass folding matches the tokens");
    for t in &tokens {
        assert_eq!(&nfc[t.start..t.end], t.original);
        assert_eq!(text::exact_key(&t.original), t.exact);
        assert!(!t.folded.is_empty());
    }
    let normalized = text::normalize(s);
    assert_eq!(text::normalize(&normalized), normalized, "normalize is idempotent");
    assert!(text::same_name(s, &normalized));
    let _ = text::fold(s);
});
