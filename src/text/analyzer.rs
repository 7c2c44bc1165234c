//! The one Vietnamese text analyzer of the project.
//!
//! Every comparison of Vietnamese text (slugs, unit and locality identity, award matching, and
//! later the search indexes) goes through here, so "Hoà"/"Hòa", NFD/NFC and "Đ"/"đ" behave the
//! same everywhere.
//!
//! Three forms of a text:
//! - [`nfc`]: Unicode NFC, nothing else (what we store and display);
//! - [`normalize`]: NFC, lowercase, one canonical tone placement per syllable, whitespace folded
//!   (the *exact* form: "Thuỷ" and "thủy" are equal, "thuy" is not);
//! - [`fold`]: `normalize` with every diacritic removed and đ → d (the *folded* form: what a
//!   citizen typing without diacritics produces).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The five Vietnamese tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng).
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// Unicode NFC of `text`.
pub fn nfc(text: &str) -> String {
    // Most text arrives in NFC already, and Vietnamese text is nearly all ASCII and precomposed
    // Latin letters: checking that costs far less than the general quick check or recomposing.
    if text.chars().all(is_stable_nfc) {
        return text.to_string();
    }
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_string(),
        _ => text.nfc().collect(),
    }
}

/// Whether `c` is in NFC on its own and never combines with a neighbour (quick check "yes",
/// combining class 0): ASCII, the Latin blocks Vietnamese letters are in, and the common
/// punctuation of U+2010–U+2027. A text of only such characters is in NFC.
pub fn is_stable_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{7f}' | '\u{a0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' | '\u{2010}'..='\u{2027}')
}

/// The exact comparison form: NFC, lowercase, canonical tone placement, single spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut syllable = String::new();
        for c in word.nfd().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() || is_combining_mark(c) {
                syllable.push(c);
            } else {
                out.push_str(&place_tone(&syllable));
                syllable.clear();
                out.push(c);
            }
        }
        out.push_str(&place_tone(&syllable));
    }
    out
}

/// The folded form: lowercase ASCII-like Vietnamese without any diacritic (đ → d).
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names denote the same thing (unit, locality, award title): equal in the exact form.
pub fn same_name(a: &str, b: &str) -> bool {
    // Names equal in the exact form are equal folded, and folding is far cheaper: most pairs
    // that differ are told apart before normalising.
    a == b || (folded_words(a) == folded_words(b) && normalize(a) == normalize(b))
}

/// Places the tone of one lowercase NFD syllable on a canonical vowel and returns it in NFC.
///
/// The rule only has to be deterministic for matching ("hoà" and "hòa" strip to the same toneless
/// syllable), but it follows the modern orthography so keys read naturally.
fn place_tone(syllable_nfd: &str) -> String {
    let tone = syllable_nfd.chars().find(|c| TONE_MARKS.contains(c));
    let toneless: String = syllable_nfd
        .chars()
        .filter(|c| !TONE_MARKS.contains(c))
        .nfc()
        .collect();
    let Some(tone) = tone else {
        return toneless;
    };
    let chars: Vec<char> = toneless.chars().collect();
    match tone_position(&chars) {
        Some(pos) => {
            let mut out = String::with_capacity(toneless.len() + 2);
            for (i, c) in chars.iter().enumerate() {
                out.push(*c);
                if i == pos {
                    out.push(tone);
                }
            }
            out.nfc().collect()
        }
        // Not a Vietnamese syllable (no vowel): keep the mark at the end, still deterministic.
        None => format!("{toneless}{tone}").nfc().collect(),
    }
}

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

fn has_hat_or_horn(c: char) -> bool {
    "ăâêôơư".contains(c)
}

/// Index in `chars` of the vowel that carries the tone.
fn tone_position(chars: &[char]) -> Option<usize> {
    let mut start = chars.iter().position(|c| is_vowel(*c))?;
    // "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
    if start > 0 {
        let prev = chars[start - 1];
        let next_is_vowel = chars.get(start + 1).is_some_and(|c| is_vowel(*c));
        if (prev == 'q' && chars[start] == 'u') || (prev == 'g' && chars[start] == 'i' && next_is_vowel)
        {
            if next_is_vowel {
                start += 1;
            }
        }
    }
    let end = chars[start..]
        .iter()
        .position(|c| !is_vowel(*c))
        .map_or(chars.len(), |p| start + p);
    let cluster = &chars[start..end];
    if let Some(p) = cluster.iter().rposition(|c| has_hat_or_horn(*c)) {
        return Some(start + p);
    }
    let closed = end < chars.len();
    Some(
        start
            + match cluster.len() {
                1 => 0,
                2 if closed => 1,
                2 => {
                    let pair: String = cluster.iter().collect();
                    if matches!(pair.as_str(), "oa" | "oe" | "uy") {
                        1
                    } else {
                        0
                    }
                }
                _ => 1,
            },
    )
}

/// Tone digits of [`exact_key`]: sắc 1, huyền 2, hỏi 3, ngã 4, nặng 5.
fn tone_digit(mark: char) -> char {
    match mark {
        '\u{0301}' => '1',
        '\u{0300}' => '2',
        '\u{0309}' => '3',
        '\u{0303}' => '4',
        _ => '5',
    }
}

/// The exact search key of one syllable: lowercase, NFC, tone mark removed and written as a digit
/// at the end ("Hoà", "hòa" → "hoa2"; "Điện" → "điên5"). Independent of where the tone was placed,
/// and simple enough that the browser client computes the very same key.
pub fn exact_key(syllable: &str) -> String {
    let mut tone = None;
    let toneless: String = syllable
        .nfd()
        .flat_map(char::to_lowercase)
        .filter(|c| {
            let is_tone = TONE_MARKS.contains(c);
            if is_tone {
                tone = Some(*c);
            }
            !is_tone
        })
        .nfc()
        .collect();
    match tone {
        Some(t) => format!("{toneless}{}", tone_digit(t)),
        None => toneless,
    }
}

/// Whether a text carries any Vietnamese diacritic (its folded form differs).
pub fn has_diacritics(text: &str) -> bool {
    fold(text) != text.to_lowercase()
}

/// i and y as the whole vowel of a syllable after its initial consonant are one sound spelt two
/// ways (kì/kỳ, lí/lý, sĩ/sỹ, tỉ/tỷ, qui/quy): the folded word of search writes both as i, so
/// either spelling finds the other; the exact key keeps the letter written, so the reader's own
/// spelling ranks first. Slugs keep the letter written too (they use [`fold`]).
pub fn i_for_y(folded_word: &mut String) {
    let b = folded_word.as_bytes();
    let n = b.len();
    if n < 2 || b[n - 1] != b'y' {
        return;
    }
    let before = b[n - 2];
    let after_consonant = before.is_ascii_alphabetic() && !b"aeiouy".contains(&before);
    let after_qu = n >= 3 && before == b'u' && b[n - 3] == b'q';
    if after_consonant || after_qu {
        folded_word.pop();
        folded_word.push('i');
    }
}

/// One syllable of a text, in its three forms, with its byte range in the NFC text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// As written (NFC), for highlighting.
    pub original: String,
    /// Exact search key ([`exact_key`]): diacritics kept, tone placement ignored.
    pub exact: String,
    /// Folded form ([`fold`]), with [`i_for_y`].
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// Splits an NFC text into syllable tokens (letters and digits; everything else separates).
pub fn tokens(text_nfc: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    let push = |s: usize, e: usize, out: &mut Vec<Token>| {
        let original = &text_nfc[s..e];
        let mut folded = fold(original);
        i_for_y(&mut folded);
        // A run of lone combining marks (no letter to carry them) is not a word.
        if !folded.is_empty() {
            out.push(Token { original: original.to_string(), exact: exact_key(original), folded, start: s, end: e });
        }
    };
    for (i, c) in text_nfc.char_indices() {
        let inside = c.is_alphanumeric() || is_combining_mark(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text_nfc.len(), &mut out);
    }
    out
}

/// The folded letter of each character from U+0080 to U+1EFF (Latin letters with diacritics,
/// Vietnamese among them): its lowercase base letter (đ → d), or `'\0'` where folding is not one
/// letter (marks, punctuation, ligatures…), which the general path handles.
static LATIN_FOLDS: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
    (0x80u32..0x1F00)
        .map(|code| {
            let Some(c) = char::from_u32(code) else { return '\0' };
            let mut base = Vec::new();
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    base.push(d);
                }
            });
            match base.as_slice() {
                [b] if b.is_alphanumeric() => {
                    let mut lower = b.to_lowercase();
                    match (lower.next(), lower.next()) {
                        (Some('đ'), None) => 'd',
                        (Some(l), None) => l,
                        _ => '\0',
                    }
                }
                _ => '\0',
            }
        })
        .collect()
});

/// The folded words of a text: the same words as [`tokens`] in their folded form, computed in
/// one pass over the text (body text of large sites needs nothing else).
pub fn folded_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_folded_word(text, |w| words.push(w.to_string()));
    words
}

/// Calls `f` with each folded word of `text` in turn (as [`folded_words`], without a `String`
/// per word: counting the words of every story body is the client index's largest step).
pub fn for_each_folded_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut end = |word: &mut String| {
        if !word.is_empty() {
            i_for_y(word);
            f(word);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                end(&mut word);
            }
        } else if let Some(&folded) = LATIN_FOLDS.get(c as usize - 0x80).filter(|f| **f != '\0') {
            word.push(folded);
        } else {
            // Per-character decomposition: the order of the dropped marks does not matter; marks
            // vanish, letters and digits extend the word.
            unicode_normalization::char::decompose_canonical(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if d.is_alphanumeric() {
                    for l in d.to_lowercase() {
                        word.push(if l == 'đ' { 'd' } else { l });
                    }
                } else {
                    end(&mut word);
                }
            });
        }
    }
    end(&mut word);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i_and_y_after_a_consonant_are_one_letter_in_search() {
        let search = |w: &str| tokens(w)[0].folded.clone();
        for (a, b) in [("kỳ", "kì"), ("Lý", "Lí"), ("sỹ", "sĩ"), ("tỷ", "tỉ"), ("Quy", "qui")] {
            assert_eq!(search(a), search(b), "{a} / {b}");
            assert_ne!(tokens(a)[0].exact, tokens(b)[0].exact, "the exact key keeps the letter: {a} / {b}");
        }
        for kept in ["thủy", "huy", "tuy", "ay", "y"] {
            assert!(search(kept).ends_with('y'), "{kept}");
        }
        assert_eq!(folded_words("Kỳ Sơn, lí do"), ["ki", "son", "li", "do"]);
        assert_eq!(crate::text::slugify("Kỳ Sơn"), "ky-son", "slugs keep the letter written");
    }

    #[test]
    fn stable_characters_are_nfc_and_never_combine() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        let ranges = ['\0'..='\u{7f}', '\u{a0}'..='\u{24f}', '\u{1e00}'..='\u{1eff}', '\u{2010}'..='\u{2027}'];
        for c in ranges.into_iter().flatten() {
            assert!(is_stable_nfc(c));
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
        }
        assert!(!is_stable_nfc('\u{302}') && !is_stable_nfc('\u{2000}'));
        assert_eq!(nfc("Đie\u{302}\u{323}n Quan"), "Điện Quan");
    }

    #[test]
    fn folds_every_vowel_with_every_tone_and_d() {
        let table = [
            ("aàáảãạ", "aaaaaa"),
            ("ăằắẳẵặ", "aaaaaa"),
            ("âầấẩẫậ", "aaaaaa"),
            ("eèéẻẽẹ", "eeeeee"),
            ("êềếểễệ", "eeeeee"),
            ("iìíỉĩị", "iiiiii"),
            ("oòóỏõọ", "oooooo"),
            ("ôồốổỗộ", "oooooo"),
            ("ơờớởỡợ", "oooooo"),
            ("uùúủũụ", "uuuuuu"),
            ("ưừứửữự", "uuuuuu"),
            ("yỳýỷỹỵ", "yyyyyy"),
            ("Đđ", "dd"),
            ("ĐIỆN QUAN", "dien quan"),
        ];
        for (input, folded) in table {
            assert_eq!(fold(input), folded, "{input}");
            let upper: String = input.to_uppercase();
            assert_eq!(fold(&upper), folded, "{upper}");
            let decomposed: String = input.nfd().collect();
            assert_eq!(fold(&decomposed), folded, "NFD {input}");
        }
    }

    #[test]
    fn tone_placement_old_and_new_are_one_form() {
        for (a, b) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("uỷ ban", "ủy ban"),
            ("Khoẻ", "khỏe"),
            ("Hoà Bình", "hòa bình"),
        ] {
            assert_eq!(normalize(a), normalize(b), "{a} / {b}");
        }
        assert_ne!(normalize("hòa"), normalize("hoa"));
        assert_ne!(normalize("hòa"), normalize("họa"));
    }

    #[test]
    fn normalize_keeps_correct_spelling_and_accepts_nfd() {
        assert_eq!(normalize("Hoàng Tùng"), "hoàng tùng");
        assert_eq!(normalize("Nguyễn   Thị  Thủy"), "nguyễn thị thuỷ");
        assert_eq!(normalize("người"), "người");
        assert_eq!(normalize("quốc"), "quốc");
        assert_eq!(normalize("giữa"), "giữa");
        let nfd: String = "Điện Quan".nfd().collect();
        assert_eq!(normalize(&nfd), "điện quan");
        assert!(same_name("xã Điện Quan", &format!("XÃ {}", nfd.to_uppercase())));
    }

    #[test]
    fn exact_keys_ignore_tone_placement_and_unicode_form() {
        assert_eq!(exact_key("Hoà"), "hoa2");
        assert_eq!(exact_key("hòa"), "hoa2");
        assert_eq!(exact_key("THUỶ"), exact_key("thủy"));
        assert_eq!(exact_key("Điện"), "điên5");
        let nfd: String = "Điện".nfd().collect();
        assert_eq!(exact_key(&nfd), "điên5");
        assert_eq!(exact_key("hoa"), "hoa");
        assert_ne!(exact_key("hòa"), exact_key("họa"));
        assert!(has_diacritics("Hòa") && !has_diacritics("Hoa"));
    }

    #[test]
    fn folded_words_match_tokens() {
        for text in ["Đoàn TNCS, xã Điện Quan! Thuỷ-lợi 2022", "Hoà bình ĐỨC Ñandú", "xã Đie\u{0302}\u{0323}n Quan, Đắk Lắk", "\u{0302})?[n"] {
            let from_tokens: Vec<String> = tokens(&nfc(text)).into_iter().map(|t| t.folded).collect();
            assert_eq!(folded_words(text), from_tokens, "{text}");
        }
    }

    #[test]
    fn tokens_are_syllables_with_offsets() {
        let toks = tokens("Đoàn TNCS, xã Điện Quan!");
        let words: Vec<_> = toks.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, ["doan", "tncs", "xa", "dien", "quan"]);
        assert_eq!(toks[3].original, "Điện");
        assert_eq!(&"Đoàn TNCS, xã Điện Quan!"[toks[3].start..toks[3].end], "Điện");
    }
}
