//! Escaping for the markup written by hand rather than by Tera (which escapes on its own): body
//! images, photo `<picture>`s, feed summaries, embed snippets, statistics charts. (Story bodies
//! written without the sanitizer escape as html5ever does instead — `content::sanitized` — so that
//! both body paths give the same bytes.)

/// `text` escaped for HTML or XML text and double-quoted attributes: `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String does not fail");
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_both_quotes() {
        assert_eq!(super::escape(r#"<b a="x">Hà & 'Lào Cai'</b>"#), "&lt;b a=&quot;x&quot;&gt;Hà &amp; &#39;Lào Cai&#39;&lt;/b&gt;");
    }
}
