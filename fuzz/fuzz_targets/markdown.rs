//! Markdown → HTML → sanitizer, as every story body goes (after the same cleaning as a file).
//! Never a panic, and nothing in the output that a browser would run: parsed as a browser parses
//! it (html5ever), no script-capable element, no `on…` attribute, no URL whose scheme a browser
//! would read as `javascript:` (the URL standard drops tabs and newlines anywhere and C0 controls
//! and spaces at the ends).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nguoitot::content::{markdown, source};
use scraper::Html;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let text = source::clean_text(raw);
    let md = text.as_str();
    let html = markdown::to_html(md);
    let fragment = Html::parse_fragment(&html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name();
        assert!(!matches!(name, "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math" | "form" | "base" | "meta" | "link"), "<{name}> in {html}");
        for (attribute, value) in element.attrs() {
            assert!(!attribute.to_ascii_lowercase().starts_with("on"), "{attribute} in {html}");
            if !matches!(attribute, "href" | "src" | "srcset" | "action" | "formaction" | "poster" | "cite" | "background" | "data" | "xlink:href") {
                continue;
            }
            let value: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(!value.starts_with("javascript:") && !value.starts_with("vbscript:") && !value.starts_with("data:text/html"), "{attribute}={value} in {html}");
        }
    }
    let _ = markdown::plain_text(md);
    let _ = markdown::first_paragraph_text(md);
    let _ = markdown::truncate_words(md, 120);
    let _ = markdown::local_images(md);
    let _ = markdown::local_links(md);
});
