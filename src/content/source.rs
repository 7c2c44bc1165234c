//! Reading a content file: clean text (BOM, CRLF, control characters, NFC) and the front matter
//! split from the body.

use crate::diagnostics::Position;

/// Text as every later stage expects it: no BOM, `\n` line ends, no control characters besides
/// tab and newline (pasted from word processors and PDFs, they are invisible, invalid in HTML and
/// can hide words like `java\x01script:` from a reader), Unicode NFC.
pub fn clean_text(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let stray = |c: char| c.is_control() && c != '\n' && c != '\t';
    // Nearly every file is clean already (no `\r`, which is stray here too): one pass says so.
    if raw.chars().all(|c| !stray(c) && crate::text::analyzer::is_stable_nfc(c)) {
        return raw.to_string();
    }
    let unix = if raw.contains('\r') { raw.replace("\r\n", "\n").replace('\r', "\n") } else { raw.to_string() };
    let visible = if unix.contains(stray) { unix.replace(stray, "") } else { unix };
    crate::text::nfc(&visible)
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
        assert_eq!(clean_text("a\u{1}b\u{b}c\td\ne\u{7f}\u{85}"), "abc\td\ne");
    }

    #[test]
    fn cleans_bom_crlf_and_nfd() {
        let raw = "\u{feff}---\r\ntitle: Đie\u{0302}\u{0323}n\r\n---\r\n";
        assert_eq!(clean_text(raw), "---\ntitle: Điện\n---\n");
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
