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
    /// Images given by a relative path.
    pub images: Vec<(String, usize)>,
    /// Link targets inside the site (relative paths and root-relative URLs).
    pub links: Vec<(String, usize)>,
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
        line
    };
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if paragraph == 0 => paragraph = 1,
            Event::End(TagEnd::Paragraph) if paragraph == 1 => paragraph = 2,
            Event::Text(t) | Event::Code(t) if paragraph == 1 => found.first_paragraph.push_str(&t),
            Event::SoftBreak | Event::HardBreak if paragraph == 1 => found.first_paragraph.push(' '),
            Event::Start(Tag::Image { dest_url, .. }) if is_local(&dest_url) => found.images.push((dest_url.to_string(), line_at(range.start))),
            Event::Start(Tag::Link { dest_url, .. }) if is_local(&dest_url) || (dest_url.starts_with('/') && !dest_url.starts_with("//")) => {
                found.links.push((dest_url.to_string(), line_at(range.start)))
            }
            _ => {}
        }
    }
    found.first_paragraph = truncate_words(found.first_paragraph.trim(), 300);
    found
}

/// Link targets inside the site, with their line (0-based): [`scan`]'s `links`.
pub fn local_links(markdown: &str) -> Vec<(String, usize)> {
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
        assert_eq!(found.images, vec![("anh.jpg".to_string(), 2)]);
        assert_eq!(found.links, vec![("khac.md".to_string(), 0), ("/tai-lieu.pdf".to_string(), 4)]);
        assert_eq!(found.first_paragraph, "Xem bài và web.");
    }
}

