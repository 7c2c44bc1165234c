//! What other sites read: feed items, oEmbed, JSON Feed and schema.org JSON-LD, all built from
//! the content model. Embed pages and Atom/RSS are Tera templates fed by these values.

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::{Kind, Story};

/// Width and height of the iframe that oEmbed and the "Nhúng" box suggest.
pub const EMBED_WIDTH: u32 = 600;
pub const EMBED_HEIGHT: u32 = 440;
/// Stories in a feed.
pub const FEED_ITEMS: usize = 30;

/// Makes root-relative URLs of rendered HTML absolute (`href`, `src` and every `srcset`
/// candidate), for feeds read on other hosts. `origin` is scheme and host only: the URLs already
/// carry the site's base path.
pub fn absolutize(html: &str, origin: &str) -> String {
    let html = html.replace("href=\"/", &format!("href=\"{origin}/")).replace(" src=\"/", &format!(" src=\"{origin}/"));
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find("srcset=\"") {
        let (head, tail) = rest.split_at(at + "srcset=\"".len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let set: Vec<String> = tail[..end]
            .split(", ")
            .map(|c| if c.starts_with('/') && !c.starts_with("//") { format!("{origin}{c}") } else { c.to_string() })
            .collect();
        out.push_str(&set.join(", "));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolutize_rewrites_links_images_and_srcsets() {
        let html = r#"<a href="/guong/x/">x</a><picture><source srcset="/anh/a-480.webp 480w, /anh/a-960.webp 960w"><img src="/anh/a.jpg" srcset="/anh/a-480.jpg 480w"></picture>"#;
        assert_eq!(
            absolutize(html, "https://t.vn"),
            r#"<a href="https://t.vn/guong/x/">x</a><picture><source srcset="https://t.vn/anh/a-480.webp 480w, https://t.vn/anh/a-960.webp 960w"><img src="https://t.vn/anh/a.jpg" srcset="https://t.vn/anh/a-480.jpg 480w"></picture>"#
        );
    }
}

/// A story as a feed item.
#[derive(Serialize)]
pub struct FeedItem<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    /// The summary as HTML (escaped text): RSS readers render `description` as HTML.
    pub summary_html: String,
    pub content_html: String,
    pub published: String,
    pub updated: String,
    pub published_rfc2822: String,
    pub categories: Vec<&'a str>,
    pub author: Option<&'a str>,
}

fn rfc3339(d: chrono::NaiveDate) -> String {
    format!("{d}T00:00:00+07:00")
}

fn rfc2822(d: chrono::NaiveDate) -> String {
    d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().format("%a, %d %b %Y 00:00:00 +0700").to_string()
}

/// A feed item; `content_html` is the rendered body with absolute URLs (see [`absolutize`]).
pub fn feed_item<'a>(story: &'a Story, movement_titles: Vec<&'a str>, base_url: &str, content_html: String) -> FeedItem<'a> {
    FeedItem {
        title: &story.title,
        url: format!("{base_url}{}", story.url),
        summary: &story.summary,
        summary_html: escape_attribute(&story.summary),
        content_html,
        published: rfc3339(story.date),
        updated: rfc3339(story.updated.unwrap_or(story.date)),
        published_rfc2822: rfc2822(story.date),
        categories: movement_titles,
        author: story.unit.as_deref(),
    }
}

/// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
pub fn json_feed(title: &str, description: Option<&str>, base_url: &str, items: &[FeedItem<'_>]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "id": i.url, "url": i.url, "title": i.title, "summary": i.summary,
                "content_html": i.content_html, "date_published": i.published, "date_modified": i.updated,
                "tags": i.categories,
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": description,
        "home_page_url": format!("{base_url}/"),
        "feed_url": format!("{base_url}/feed.json"),
        "language": "vi",
        "items": items,
    }))
    .expect("feed serialises")
}

/// Escapes text for HTML content or a double-quoted attribute.
fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Where a story's embed card is: a file, not a folder, so a large site creates one directory
/// entry per embed instead of two.
pub fn embed_path(slug: &str) -> String {
    format!("/nhung/{slug}.html")
}

/// The iframe other sites paste; `data-nguoitot-embed` lets `embed.js` resize it.
pub fn embed_iframe(base_url: &str, embed_path: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{base_url}{embed_path}\" width=\"{EMBED_WIDTH}\" height=\"{EMBED_HEIGHT}\" title=\"{}\" loading=\"lazy\" style=\"border:0;width:100%;max-width:{EMBED_WIDTH}px\" data-nguoitot-embed></iframe>",
        escape_attribute(title)
    )
}

/// oEmbed 1.0 response of a story (https://oembed.com/).
pub fn oembed(story: &Story, site_title: &str, base_url: &str, thumbnail: Option<(String, u32, u32)>) -> String {
    let mut v = json!({
        "version": "1.0",
        "type": "rich",
        "title": story.title,
        "provider_name": site_title,
        "provider_url": format!("{base_url}/"),
        "html": embed_iframe(base_url, &embed_path(&story.slug), &story.title),
        "width": EMBED_WIDTH,
        "height": EMBED_HEIGHT,
    });
    if let Some((url, w, h)) = thumbnail {
        v["thumbnail_url"] = json!(url);
        v["thumbnail_width"] = json!(w);
        v["thumbnail_height"] = json!(h);
    }
    serde_json::to_string_pretty(&v).expect("oembed serialises")
}

/// schema.org JSON-LD of a story, safe inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` are written as JSON escapes so no text can close the script element.
pub fn json_ld(story: &Story, base_url: &str, image: Option<String>) -> String {
    let address = json!({
        "@type": "PostalAddress",
        "addressLocality": story.locality.commune,
        "addressRegion": story.locality.district.as_ref().or(story.locality.province.as_ref()),
        "addressCountry": "VN",
    });
    let awards: Vec<String> = story.awards.iter().map(|a| match a.year { Some(y) => format!("{} ({y})", a.title), None => a.title.clone() }).collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": if story.kind == Kind::Individual { "Person" } else { "Organization" },
        "name": story.title,
        "description": story.summary,
        "url": format!("{base_url}{}", story.url),
        "address": address,
        "award": awards,
    });
    if let Some(unit) = &story.unit {
        let org = json!({ "@type": "Organization", "name": unit });
        if story.kind == Kind::Individual {
            v["affiliation"] = org;
        } else if !crate::text::same_name(unit, &story.title) {
            v["memberOf"] = org;
        }
    }
    if let Some(img) = image {
        v["image"] = json!(img);
    }
    serde_json::to_string(&v).expect("json-ld serialises").replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}
