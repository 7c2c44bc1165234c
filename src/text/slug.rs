//! URL slugs: the folded form of the analyzer, ASCII letters and digits joined by hyphens.

use super::analyzer::fold;

/// "Đoàn TNCS Hồ Chí Minh xã Điện Quan" → "doan-tncs-ho-chi-minh-xa-dien-quan".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_titles_become_ascii() {
        assert_eq!(
            slugify("Đoàn TNCS Hồ Chí Minh xã Điện Quan"),
            "doan-tncs-ho-chi-minh-xa-dien-quan"
        );
        assert_eq!(slugify("  Trường THPT số 1 — TP. Lào Cai "), "truong-thpt-so-1-tp-lao-cai");
        assert_eq!(slugify("Hoà"), slugify("Hòa"));
        assert_eq!(slugify("!!!"), "");
    }
}
