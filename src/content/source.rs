//! Reading a content file: clean text (BOM, CRLF, control characters, NFC) and the front matter
//! split from the body.

use crate::diagnostics::Position;

/// Text as every later stage expects it: no BOM, `\n` line ends, no control characters besides
/// tab and newline (pasted from word processors and PDFs, they are invisible, invalid in HTML and
/// can hide words like `java\x01script:` from a reader), Unicode NFC.
/// Takes the text by value: nearly every file is clean already and is returned as it came.
pub fn clean_text(mut raw: String) -> String {
    if raw.starts_with('\u{feff}') {
        raw.drain(..'\u{feff}'.len_utf8());
    }
    // No `\r` either, which is stray here too: one pass over the bytes says so.
    if is_clean(&raw) {
        return raw;
    }
    let raw = raw.as_str();
    let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
    let unix = if raw.contains('\r') { raw.replace("\r\n", "\n").replace('\r', "\n") } else { raw.to_string() };
    let visible = if unix.contains(stray) { unix.replace(stray, "") } else { unix };
    crate::text::nfc(&visible)
}

/// Whether `text` is clean as it is: no control characters besides tab and newline, and only
/// characters that are NFC and never combine ([`crate::text::analyzer::is_stable_nfc`]). Reads
/// bytes, as files are mostly ASCII: U+00A0–U+024F are the two-byte sequences `C2 A0`–`C9 8F`,
/// U+1E00–U+1EFF start `E1 B8`–`E1 BB`, U+2010–U+2027 are `E2 80 90`–`E2 80 A7`. Each byte is
/// judged with the two after it and no branch, so the loop runs on vector instructions (a branch
/// per character cost ~9 instructions a byte).
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let after = |skip: usize| bytes.get(skip..).unwrap_or_default();
    // `text` is valid UTF-8: a lead byte is followed by its continuation bytes, which pass here
    // (0x80–0xBF); lead bytes 0xCA and up other than E1 and E2 start characters never clean.
    let bad = |c: u8, c1: u8, c2: u8| {
        (c < 0x20 && c != b'\n' && c != b'\t')
            | (c == 0x7f)
            | (c >= 0xca && c != 0xe1 && c != 0xe2)
            | (c == 0xc2 && c1 < 0xa0)
            | (c == 0xc9 && c1 > 0x8f)
            | (c == 0xe1 && !(0xb8..=0xbb).contains(&c1))
            | (c == 0xe2 && (c1 != 0x80 || !(0x90..=0xa7).contains(&c2)))
    };
    let body = bytes.iter().zip(after(1)).zip(after(2)).fold(false, |found, ((&c, &c1), &c2)| found | bad(c, c1, c2));
    // The last two bytes, with nothing after them.
    let tail = (bytes.len().saturating_sub(2)..bytes.len()).any(|i| bad(bytes[i], bytes.get(i + 1).copied().unwrap_or(0), 0));
    !(body || tail)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    Yaml,
    Toml,
}

/// A content file split into its front matter and its Markdown body.
#[derive(Debug)]
pub struct SplitFile<'a> {
    pub format: FrontMatterFormat,
    pub front_matter: &'a str,
    /// Line (1-based) of the first front matter line, to locate parser errors in the file.
    pub front_matter_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Why a file could not be split; each with the position to report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("tệp không bắt đầu bằng phần thông tin (front matter): dòng đầu phải là `---` (YAML) hoặc `+++` (TOML)")]
    Missing,
    #[error("phần thông tin mở bằng `{0}` ở dòng 1 nhưng không có dòng `{0}` đóng lại")]
    Unclosed(&'static str),
}

pub fn split_front_matter(text: &str) -> Result<SplitFile<'_>, (SplitError, Position)> {
    let (fence, format) = if text.starts_with("---") {
        ("---", FrontMatterFormat::Yaml)
    } else if text.starts_with("+++") {
        ("+++", FrontMatterFormat::Toml)
    } else {
        return Err((SplitError::Missing, Position::START));
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != fence {
        return Err((SplitError::Missing, Position::START));
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut offset = fm_start;
    let mut line = 2;
    for l in text[fm_start..].split_inclusive('\n') {
        if l.trim_end() == fence {
            let body_start = offset + l.len();
            return Ok(SplitFile {
                format,
                front_matter: &text[fm_start..offset],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
        line += 1;
    }
    Err((SplitError::Unclosed(fence), Position::START))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_control_characters_but_keeps_tabs_and_newlines() {
        assert_eq!(clean_text("a\u{1}b\u{b}c\td\ne\u{7f}\u{85}".into()), "abc\td\ne");
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_check_for_every_character() {
        let by_character = |c: char| !(c.is_control() && c != '\n' && c != '\t') && crate::text::analyzer::is_stable_nfc(c);
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            // In the middle, at the end, and alone (the last bytes are judged apart).
            for text in [format!("a{c}b"), format!("ab{c}"), c.to_string()] {
                assert_eq!(is_clean(&text), by_character(c), "U+{:04X} in {text:?}", c as u32);
            }
        }
    }

    #[test]
    fn cleans_bom_crlf_and_nfd() {
        let raw = "\u{feff}---\r\ntitle: Đie\u{0302}\u{0323}n\r\n---\r\n";
        assert_eq!(clean_text(raw.into()), "---\ntitle: Điện\n---\n");
    }

    #[test]
    fn splits_yaml_and_toml() {
        let f = split_front_matter("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(f.format, FrontMatterFormat::Yaml);
        assert_eq!(f.front_matter, "title: A\n");
        assert_eq!(f.body, "Body\n");
        assert_eq!(f.body_line, 4);
        let f = split_front_matter("+++\ntitle = \"A\"\n+++\n").unwrap();
        assert_eq!(f.format, FrontMatterFormat::Toml);
        assert_eq!(f.body, "");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split_front_matter("title: A").unwrap_err().0, SplitError::Missing);
        assert_eq!(split_front_matter("---\ntitle: A\n").unwrap_err().0, SplitError::Unclosed("---"));
    }
}
