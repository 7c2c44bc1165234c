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
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "tệp không tồn tại (liên kết tượng trưng trỏ tới tệp đã mất?)".to_string(),
        ErrorKind::PermissionDenied => "không có quyền đọc tệp (kiểm tra quyền truy cập)".to_string(),
        ErrorKind::IsADirectory => "đây là thư mục, không phải tệp".to_string(),
        _ => error.to_string(),
    }
}
