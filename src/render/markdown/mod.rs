//! Markdown → safe HTML. Story text is never run through the template engine, and raw HTML in it
//! goes through ammonia: stories are embedded on newspaper sites, so no script, event handler,
//! `javascript:` URL or iframe from content may reach a page. Bodies without raw HTML take
//! [`sanitized`]'s fast path, which writes what ammonia would leave.

mod sanitized;

use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, Parser, Tag, TagEnd};

use crate::content::markdown::options;
use crate::text::slugify;

/// The sanitizer of story and movement bodies, as pages show them.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = builder();
    b.attribute_filter(|element, attribute, value| own_images_only(element, attribute, value).map(Into::into));
    b
});

/// What the sanitizer keeps: no script, event handler, `javascript:` URL or iframe; the markup
/// this program writes for images, tables, footnotes and heading anchors.
fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["picture", "source"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .url_schemes(sanitized::URL_SCHEMES.into_iter().collect())
        .link_rel(Some(sanitized::LINK_REL));
    b.filter_style_properties(["text-align"].into_iter().collect());
    b
}

/// Images from other hosts would make every reader's browser call them (tracking, slow data),
/// and relative ones in raw HTML are never published: only this site's processed images
/// (root-relative URLs) are kept.
fn own_images_only<'v>(element: &str, attribute: &str, value: &'v str) -> Option<&'v str> {
    let fetched = matches!((element, attribute), ("img", "src") | ("img", "srcset") | ("source", "srcset"));
    let own = value.split(',').all(|candidate| {
        let url = candidate.trim().split(' ').next().unwrap_or_default();
        url.starts_with('/') && !url.starts_with("//")
    });
    if fetched && !own { None } else { Some(value) }
}

/// A body's HTML (as [`to_html_with_images`] wrote it for the site's pages) with the site's
/// addresses made absolute with `origin` (scheme and host; the addresses carry the base path),
/// for feeds read on other hosts: `href` and `src` values that start with `/`, and `srcset`
/// candidates that start with one `/`. The body is sanitized again (it is a fixed point of the
/// sanitizer), the addresses rewritten as its attributes are read.
pub fn absolutize(html: &str, origin: &str) -> String {
    let origin = origin.to_string();
    let mut b = builder();
    b.attribute_filter(move |element, attribute, value| {
        let value = own_images_only(element, attribute, value)?;
        Some(match attribute {
            "href" | "src" if value.starts_with('/') => format!("{origin}{value}").into(),
            "srcset" => value
                .split(", ")
                .map(|candidate| if candidate.starts_with('/') && !candidate.starts_with("//") { format!("{origin}{candidate}") } else { candidate.to_string() })
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
            _ => value.into(),
        })
    });
    clean_with(&b, html)
}

/// Renders Markdown to sanitized HTML, giving every heading an anchor id from its text.
pub fn to_html(markdown: &str) -> String {
    to_html_with_images(markdown, &|_, _, _| None, &|_| None)
}

/// Like [`to_html`]; an image whose URL `picture(url, alt, first)` knows becomes that markup
/// (a `<picture>` of processed sizes), the first image of the page loading eagerly, and a link
/// whose URL `link(url)` knows (a story's `.md` file) points to the page instead.
pub fn to_html_with_images(
    markdown: &str,
    picture: &dyn Fn(&str, &str, bool) -> Option<String>,
    link: &dyn Fn(&str) -> Option<String>,
) -> String {
    let (events, raw_html) = events(markdown, picture, link);
    let capacity = markdown.len() * 3 / 2;
    // Without raw HTML in the content, the HTML is written as the sanitizer would leave it.
    if !raw_html && sanitized::accepts(&events) {
        return sanitized::to_html(events, capacity, clean);
    }
    sanitize_events(events, capacity)
}

/// The events of `markdown` as written: images as their markup, links to pages resolved, headings
/// with ids; and whether the content has raw HTML.
fn events<'m>(markdown: &'m str, picture: &dyn Fn(&str, &str, bool) -> Option<String>, link: &dyn Fn(&str) -> Option<String>) -> (Vec<Event<'m>>, bool) {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut image: Option<(String, String)> = None;
    let mut first = true;
    let mut raw_html = false;
    for event in Parser::new_ext(markdown, options()) {
        raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = link(&dest_url).map(CowStr::from).unwrap_or(dest_url);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            e => e,
        };
        match (&mut image, event) {
            (None, Event::Start(Tag::Image { dest_url, .. })) => image = Some((dest_url.to_string(), String::new())),
            (Some((_, alt)), Event::Text(t) | Event::Code(t)) => alt.push_str(&t),
            (Some(_), Event::End(TagEnd::Image)) => {
                let (url, alt) = image.take().expect("inside an image");
                match picture(&url, &alt, first) {
                    Some(html) => events.push(Event::InlineHtml(html.into())),
                    // Only this site's images are published (see `own_images_only`): another
                    // host's image leaves its description.
                    None if own_images_only("img", "src", &url).is_none() => {
                        if !alt.is_empty() {
                            events.push(Event::Text(alt.into()));
                        }
                    }
                    None => events.push(Event::InlineHtml(format!("<img src=\"{}\" alt=\"{}\">", crate::html::escape(&url), crate::html::escape(&alt)).into())),
                }
                first = false;
            }
            (Some(_), _) => {}
            (None, e) => events.push(e),
        }
    }
    (with_heading_ids(events), raw_html)
}

/// The events written by pulldown-cmark, then sanitized.
fn sanitize_events(events: Vec<Event<'_>>, capacity: usize) -> String {
    let mut raw = String::with_capacity(capacity);
    html::push_html(&mut raw, events.into_iter());
    clean(&raw)
}

/// ammonia's output as a `String` without its `Display` detour (a second copy of every body).
fn clean(html_fragment: &str) -> String {
    clean_with(&SANITIZER, html_fragment)
}

fn clean_with(sanitizer: &ammonia::Builder<'_>, html_fragment: &str) -> String {
    let mut out = Vec::with_capacity(html_fragment.len());
    sanitizer.clean(html_fragment).write_to(&mut out).expect("writing to memory does not fail");
    // simdutf8 and a copy: std's check of a story body cost more than the copy.
    let html = simdutf8::basic::from_utf8(&out).expect("html5ever writes UTF-8");
    without_sourceless_images(html)
}

/// `html` (as the sanitizer writes it) without the `<img>` elements that lost their `src`
/// (images from other hosts, relative ones in raw HTML): an image with no source is invalid HTML
/// and shows nothing.
fn without_sourceless_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        // The serializer quotes every attribute value with `"`: the tag ends at the first `>`
        // outside quotes.
        let mut quoted = false;
        let end = tag.char_indices().find(|(_, c)| {
            if *c == '"' {
                quoted = !quoted;
            }
            *c == '>' && !quoted
        });
        let Some((end, _)) = end else {
            out.push_str(tag);
            return out;
        };
        let element = &tag[..=end];
        if element.contains(" src=\"") || !matches!(tag.as_bytes().get(4), Some(b' ' | b'>' | b'/')) {
            out.push_str(element);
        }
        rest = &tag[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Sanitizes a fragment of HTML (captions, summaries written with markup).
pub fn sanitize(html_fragment: &str) -> String {
    clean(html_fragment)
}

/// A body's HTML by both writers: ammonia's, and [`sanitized`]'s when the body takes that path
/// (for the equivalence tests and the fuzz target; a build uses [`to_html_with_images`]).
pub fn both_paths(markdown: &str, picture: &dyn Fn(&str, &str, bool) -> Option<String>) -> (String, Option<String>) {
    let (events, raw_html) = events(markdown, picture, &|_| None);
    let by_sanitizer = sanitize_events(events.clone(), 0);
    let fast = (!raw_html && sanitized::accepts(&events)).then(|| sanitized::to_html(events, 0, clean));
    (by_sanitizer, fast)
}

fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = std::collections::HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slugify(&text);
            let base = if base.is_empty() { "muc".to_string() } else { base };
            let mut id = base.clone();
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn renders_tables_footnotes_strikethrough_and_anchors() {
        let html = to_html("## Thành tích nổi bật\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n[^1]: Nguồn.\n");
        assert!(html.contains("<h2 id=\"thanh-tich-noi-bat\">"), "{html}");
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>cũ</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n\n<iframe src=\"https://x\"></iframe>\n",
        );
        for bad in ["<script", "onerror", "javascript:", "<iframe", "alert(1)</"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn feed_bodies_have_absolute_addresses_of_the_site_only() {
        let html = r##"<p><a href="/guong/x/" rel="noopener">x</a> <a href="https://b.vn/" rel="noopener">b</a> <a href="#f">f</a></p><picture><source srcset="/anh/a-480.webp 480w, /anh/a-960.webp 960w"><img src="/anh/a.jpg" srcset="/anh/a-480.jpg 480w"></picture>"##;
        assert_eq!(
            absolutize(html, "https://t.vn"),
            r##"<p><a href="https://t.vn/guong/x/" rel="noopener">x</a> <a href="https://b.vn/" rel="noopener">b</a> <a href="#f" rel="noopener">f</a></p><picture><source srcset="https://t.vn/anh/a-480.webp 480w, https://t.vn/anh/a-960.webp 960w"><img src="https://t.vn/anh/a.jpg" srcset="https://t.vn/anh/a-480.jpg 480w"></picture>"##
        );
        // Text is text: only attributes are addresses.
        assert_eq!(absolutize("<p>href=\"/x\"</p>", "https://t.vn"), "<p>href=\"/x\"</p>");
    }

    #[test]
    fn images_from_other_hosts_are_not_fetched() {
        let html = to_html("![a](https://tracker.test/p.gif) <img src=\"//cdn.test/x.png\"> <img src=\"x.png\"> ![b](/anh/x.jpg)");
        assert!(!html.contains("tracker.test") && !html.contains("cdn.test") && !html.contains("x.png"), "{html}");
        assert!(html.contains("src=\"/anh/x.jpg\""), "{html}");
        // No image is left without a source (invalid HTML): other hosts' images leave their
        // description, raw ones go.
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(html.contains("<p>a"), "{html}");
        assert_eq!(to_html("<img src=\"x\" onerror=\"alert(1)\"> <img alt=\">\" src=\"/anh/y.jpg\">"), "<p> <img alt=\"&gt;\" src=\"/anh/y.jpg\"></p>\n");
    }
}
