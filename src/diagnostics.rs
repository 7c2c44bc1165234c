//! Located problems found in a site, reported to staff in Vietnamese as
//! `path:line:column: lỗi|cảnh báo: message`.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }

    /// Line and column of a byte offset in `text` (column counted in characters).
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position::new(line, before[line_start..].chars().count() + 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub position: Position,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.position.line,
            self.position.column,
            label,
            self.message
        )
    }
}

/// Every problem of a run, kept in the order of files then positions.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, path: &Path, position: Position, message: impl Into<String>) {
        self.push(path, position, Severity::Error, message.into());
    }

    pub fn warning(&mut self, path: &Path, position: Position, message: impl Into<String>) {
        self.push(path, position, Severity::Warning, message.into());
    }

    fn push(&mut self, path: &Path, position: Position, severity: Severity, message: String) {
        self.items.push(Diagnostic { path: path.to_path_buf(), position, severity, message });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, for stable output.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// "Did you mean" for a misspelt key or id: the closest candidate, if close enough.
pub fn did_you_mean<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(found, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_messages_are_said_in_vietnamese() {
        assert_eq!(toml_message("unknown variant `bitbucket`, expected one of `github`, `gitlab`"), "giá trị \"bitbucket\" không hợp lệ; chọn một trong: github, gitlab");
        assert_eq!(toml_message("invalid type: string \"mười\", expected usize"), "cần một số nguyên, không có dấu nháy, nhưng gặp chuỗi \"mười\"");
        assert_eq!(toml_message("missing field `repo`"), "thiếu khóa bắt buộc `repo`");
        assert!(toml_message("string values must be quoted, expected literal string").starts_with("chữ phải đặt trong dấu nháy kép"));
        assert!(toml_message("something new").contains("(bộ đọc TOML báo: something new)"));
    }

    #[test]
    fn offsets_become_line_and_character_column() {
        let text = "a: 1\nđiện: x\n";
        assert_eq!(Position::of_offset(text, 0), Position::new(1, 1));
        let off = text.find('x').unwrap();
        assert_eq!(Position::of_offset(text, off), Position::new(2, 7));
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("titel", ["title", "kind"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "kind"]), None);
    }
}

/// Why a file could not be read, in Vietnamese for the common cases (the OS says it in English).
/// A TOML parser message (the `toml` crate's, English) in Vietnamese, with what to do; the rare
/// others keep the parser's words after a Vietnamese sentence.
pub fn toml_message(raw: &str) -> String {
    let raw = raw.trim();
    // The words between the first pair of backticks after `after`.
    let quoted = |after: &str| raw.split_once(after).and_then(|(_, rest)| rest.split('`').nth(1)).map(str::to_string);
    let listed = |after: &str| {
        raw.split_once(after).map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect::<Vec<_>>().join(", ")).unwrap_or_default()
    };
    if raw.contains("string values must be quoted") {
        "chữ phải đặt trong dấu nháy kép, ví dụ title = \"Người tốt, việc tốt\"".to_string()
    } else if raw.contains("invalid basic string") || raw.contains("invalid literal string") || raw.contains("unterminated") {
        "dấu nháy mở ở đây chưa được đóng: thêm dấu nháy đóng ở cuối giá trị, trên cùng một dòng".to_string()
    } else if raw.contains("duplicate key") {
        "một khóa được viết hai lần: giữ một, xóa dòng kia".to_string()
    } else if raw.contains("unclosed table") || raw.contains("unclosed array of tables") {
        "tên bảng thiếu dấu ] đóng, ví dụ [editor]".to_string()
    } else if raw.contains("unclosed array") {
        "danh sách thiếu dấu ] đóng".to_string()
    } else if let Some(variant) = quoted("unknown variant") {
        format!("giá trị \"{variant}\" không hợp lệ; chọn một trong: {}", listed("expected"))
    } else if let Some(field) = quoted("unknown field") {
        format!("khóa `{field}` không được hỗ trợ (các khóa hợp lệ: {})", listed("expected"))
    } else if let Some(field) = quoted("missing field") {
        format!("thiếu khóa bắt buộc `{field}`")
    } else if let Some((found, expected)) = raw.strip_prefix("invalid type: ").and_then(|r| r.split_once(", expected ")) {
        let wanted = match expected.trim() {
            e if e.contains("usize") || e.contains("u64") || e.contains("i64") || e.contains("integer") => "một số nguyên, không có dấu nháy",
            e if e.contains("bool") => "true hoặc false",
            e if e.contains("string") => "một chuỗi trong dấu nháy kép",
            e if e.contains("map") || e.contains("struct") => "một bảng [tên-bảng]",
            e if e.contains("sequence") => "một danh sách [ … ]",
            _ => expected,
        };
        format!("cần {wanted}, nhưng gặp {}", found.replace("string", "chuỗi").replace("integer", "số nguyên"))
    } else {
        format!("kiểm tra dấu nháy, dấu bằng và dấu ngoặc (bộ đọc TOML báo: {raw})")
    }
}

pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "tệp hoặc thư mục không tồn tại (liên kết tượng trưng trỏ tới tệp đã mất?)".to_string(),
        ErrorKind::PermissionDenied => "không có quyền truy cập (kiểm tra quyền của tệp, thư mục)".to_string(),
        ErrorKind::IsADirectory => "đây là thư mục, không phải tệp".to_string(),
        ErrorKind::NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục".to_string(),
        ErrorKind::AlreadyExists => "đã có tệp hoặc thư mục này".to_string(),
        ErrorKind::DirectoryNotEmpty => "thư mục không trống".to_string(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "ổ đĩa đã đầy (hoặc hết hạn mức): giải phóng chỗ trống rồi chạy lại".to_string(),
        ErrorKind::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc, không ghi được".to_string(),
        ErrorKind::AddrInUse => "cổng này đang được chương trình khác dùng (có thể là một `nguoitot serve` khác): thử --port khác, ví dụ --port 1112".to_string(),
        ErrorKind::AddrNotAvailable => "máy này không có địa chỉ đó: dùng 127.0.0.1 hoặc 0.0.0.0".to_string(),
        ErrorKind::InvalidFilename => "tên tệp không hợp lệ hoặc quá dài".to_string(),
        ErrorKind::FileTooLarge => "tệp quá lớn".to_string(),
        ErrorKind::OutOfMemory => "hết bộ nhớ".to_string(),
        ErrorKind::Interrupted | ErrorKind::TimedOut | ErrorKind::WouldBlock => "thao tác bị ngắt giữa chừng: chạy lại".to_string(),
        // Rare: the system's own words, said to be so.
        _ => format!("lỗi hệ thống ({error})"),
    }
}
