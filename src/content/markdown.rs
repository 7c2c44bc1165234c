//! Reading Markdown for the content model: the first paragraph (a summary when none is given), the
//! local images and links to check, plain text for search. No HTML is written here: Markdown →
//! sanitised HTML is [`crate::render::markdown`].

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The Markdown dialect of story and movement bodies (also what the renderer parses).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What reading a story needs from its Markdown body, found in one parse: the first paragraph's
/// plain text (a summary when none is given), and the local images and links with their line
/// (0-based) for checks and image processing.
#[derive(Debug, Default, PartialEq)]
pub struct BodyScan {
    pub first_paragraph: String,
    /// Images given by a relative path, with the line (0-based) and column (1-based, in
    /// characters) where they start.
    pub images: Vec<(String, usize, usize)>,
    /// Link targets inside the site (relative paths and root-relative URLs), placed alike.
    pub links: Vec<(String, usize, usize)>,
}

/// How deep raw HTML in a story may nest. No story needs more than a few levels; the HTML parser
/// behind the sanitizer takes minutes over 100,000 (BENCHMARKS.md, issue #25).
pub const MAX_HTML_DEPTH: usize = 512;

/// Where raw HTML in `body` first nests deeper than [`MAX_HTML_DEPTH`] (a byte offset), counting
/// opening and closing tags as written (void elements and `<…/>` open nothing). A linear scan.
pub fn too_deep_html(body: &str) -> Option<usize> {
    const VOID: [&str; 14] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
    let bytes = body.as_bytes();
    let mut depth = 0usize;
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        if rest.first() == Some(&b'/') {
            if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_len = rest.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(rest.len());
        let name = std::str::from_utf8(&rest[..name_len]).unwrap_or_default().to_ascii_lowercase();
        // Within a bounded distance, so that text full of `<` stays linear.
        let window = &rest[..rest.len().min(1024)];
        let self_closing = memchr::memchr(b'>', window).is_some_and(|end| end > 0 && window[end - 1] == b'/');
        if VOID.contains(&name.as_str()) || self_closing {
            continue;
        }
        depth += 1;
        if depth > MAX_HTML_DEPTH {
            return Some(at);
        }
    }
    None
}

/// Parses `markdown` once for its [`BodyScan`].
pub fn scan(markdown: &str) -> BodyScan {
    let mut found = BodyScan::default();
    // 0: before the first paragraph, 1: inside it, 2: after it.
    let mut paragraph = 0;
    // Lines are counted from the last event's offset on: events come in document order.
    let (mut line, mut counted_to) = (0, 0);
    let mut line_at = |offset: usize| {
        if offset > counted_to {
            line += markdown.as_bytes()[counted_to..offset].iter().filter(|&&b| b == b'\n').count();
            counted_to = offset;
        }
        let line_start = markdown[..offset].rfind('\n').map_or(0, |i| i + 1);
        (line, markdown[line_start..offset].chars().count() + 1)
    };
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if paragraph == 0 => paragraph = 1,
            Event::End(TagEnd::Paragraph) if paragraph == 1 => paragraph = 2,
            Event::Text(t) | Event::Code(t) if paragraph == 1 => found.first_paragraph.push_str(&t),
            Event::SoftBreak | Event::HardBreak if paragraph == 1 => found.first_paragraph.push(' '),
            Event::Start(Tag::Image { dest_url, .. }) if is_local(&dest_url) => {
                let (line, column) = line_at(range.start);
                found.images.push((dest_url.to_string(), line, column))
            }
            Event::Start(Tag::Link { dest_url, .. }) if is_local(&dest_url) || (dest_url.starts_with('/') && !dest_url.starts_with("//")) => {
                let (line, column) = line_at(range.start);
                found.links.push((dest_url.to_string(), line, column))
            }
            _ => {}
        }
    }
    found.first_paragraph = truncate_words(found.first_paragraph.trim(), 300);
    found
}

/// Link targets inside the site, with their line (0-based) and column: [`scan`]'s `links`.
pub fn local_links(markdown: &str) -> Vec<(String, usize, usize)> {
    scan(markdown).links
}

/// A relative file reference: no scheme, not absolute, not a fragment.
pub fn is_local(url: &str) -> bool {
    !url.is_empty() && !url.contains(':') && !url.starts_with('/') && !url.starts_with('#') && !url.starts_with("//")
}

/// All the text of a Markdown document, without markup or raw HTML, for search indexes.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

pub fn truncate_words(text: &str, max_chars: usize) -> String {
    // Only the first `max_chars` characters are looked at: bodies' first paragraphs can be long.
    let Some((end, _)) = text.char_indices().nth(max_chars) else { return text.to_string() };
    let cut = &text[..end];
    let cut = cut.rsplit_once(' ').map_or(cut, |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {

    #[test]
    fn nesting_of_raw_html_is_measured_as_written() {
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(too_deep_html(&deep(MAX_HTML_DEPTH)), None);
        assert_eq!(too_deep_html(&deep(MAX_HTML_DEPTH + 1)), Some(5 * MAX_HTML_DEPTH));
        // Siblings, void elements and self-closing tags do not nest.
        assert_eq!(too_deep_html(&"<p>a</p><br><img src=\"/a.jpg\"><x/>".repeat(10_000)), None);
        assert_eq!(too_deep_html(&"a < b, <3 và 2<5 ".repeat(10_000)), None);
    }

    use super::*;

    #[test]
    fn truncates_at_a_word_boundary_counting_characters() {
        assert_eq!(truncate_words("Điện Quan", 9), "Điện Quan");
        assert_eq!(truncate_words("Điện Quan, Văn Yên", 12), "Điện Quan…");
        // The last word is dropped even when the cut falls right after it: the cut cannot tell.
        assert_eq!(truncate_words("Điện Quan, Văn Yên", 10), "Điện…");
        assert_eq!(truncate_words("Điện Quan", 8), "Điện…");
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        assert_eq!(scan("# Tiêu đề\n\nĐoạn *một*\ntiếp.\n\nĐoạn hai.").first_paragraph, "Đoạn một tiếp.");
    }

    #[test]
    fn scan_finds_local_images_and_links_with_their_lines() {
        let found = scan("Xem [bài](khac.md) và [web](https://x.vn).\n\n![ảnh](anh.jpg)\n\n![xa](https://x.vn/a.jpg) [tệp](/tai-lieu.pdf)\n");
        assert_eq!(found.images, vec![("anh.jpg".to_string(), 2, 1)]);
        assert_eq!(found.links, vec![("khac.md".to_string(), 0, 5), ("/tai-lieu.pdf".to_string(), 4, 27)]);
        assert_eq!(found.first_paragraph, "Xem bài và web.");
    }
}
