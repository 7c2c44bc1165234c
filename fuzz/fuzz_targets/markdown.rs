//! Markdown → HTML → sanitizer, as every story body goes. Never a panic, and no tag that could run
//! script survives (text may say anything: in sanitized output a raw `<` only starts a tag).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nguoitot::content::markdown;

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else { return };
    let html = markdown::to_html(md).to_ascii_lowercase();
    for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or(rest)) {
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        assert!(!matches!(name, "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math" | "form"), "<{tag}>");
        for attribute in tag.split_whitespace().skip(1) {
            assert!(!(attribute.starts_with("on") && attribute.contains('=')), "<{tag}>");
            let value = attribute.split_once('=').map(|(_, v)| v.trim_matches('"')).unwrap_or("");
            assert!(!value.trim_start().starts_with("javascript:") && !value.starts_with("data:text/html"), "<{tag}>");
        }
    }
    let _ = markdown::plain_text(md);
    let _ = markdown::first_paragraph_text(md);
    let _ = markdown::truncate_words(md, 120);
    let _ = markdown::local_images(md);
    let _ = markdown::local_links(md);
});
