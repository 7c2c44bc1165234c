//! What other sites read: feed items, oEmbed, JSON Feed and schema.org JSON-LD, all built from
//! the content model. Embed pages and Atom/RSS are Tera templates fed by these values.

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::{Kind, Story};
use crate::places;
use crate::site::routes;

/// Width of the iframe that oEmbed and the "Nhúng" box suggest.
pub const EMBED_WIDTH: u32 = 600;

/// Height of a story's card and of the iframe suggested for it: the card is designed to this
/// height at any width (nhung.css, `.embed-story`), so a host that strips scripts, and with them
/// the resizing, shows the whole card with nothing blank under it.
pub fn embed_height(has_photo: bool) -> u32 {
    if has_photo {
        440
    } else {
        300
    }
}

/// Stories in a feed.
pub const FEED_ITEMS: usize = 30;

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
    /// The story's photo for a CMS taking the feed: its 1200×630 JPEG crop (Atom enclosure link,
    /// RSS `media:content`, JSON Feed `image`).
    pub image: Option<FeedImage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

fn rfc3339(d: chrono::NaiveDate) -> String {
    format!("{d}T00:00:00+07:00")
}

fn rfc2822(d: chrono::NaiveDate) -> String {
    d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().format("%a, %d %b %Y 00:00:00 +0700").to_string()
}

/// A feed item; `content_html` is the rendered body with absolute URLs (see
/// [`super::markdown::absolutize`]).
pub fn feed_item<'a>(story: &'a Story, movement_titles: Vec<&'a str>, base_url: &str, content_html: String, image: Option<FeedImage>) -> FeedItem<'a> {
    // The movements, then the current commune and province: what a CMS taking the feed files the
    // story under (a story written with an old commune under the commune it is part of now).
    let registry = places::registry();
    let place = &story.locality.place;
    let mut categories = movement_titles;
    categories.extend(place.commune.map(|c| registry.commune(c).name.as_str()));
    categories.extend(place.province.map(|p| registry.province(p).short.as_str()));
    FeedItem {
        title: &story.title,
        url: format!("{base_url}{}", routes::story(&story.slug)),
        summary: &story.summary,
        summary_html: crate::html::escape(&story.summary),
        content_html,
        published: rfc3339(story.date),
        updated: rfc3339(story.updated.unwrap_or(story.date)),
        published_rfc2822: rfc2822(story.date),
        categories,
        author: story.unit.as_deref(),
        image,
    }
}

/// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
pub fn json_feed(title: &str, description: Option<&str>, base_url: &str, items: &[FeedItem<'_>]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            let mut item = json!({
                "id": i.url, "url": i.url, "title": i.title, "summary": i.summary,
                "content_html": i.content_html, "date_published": i.published, "date_modified": i.updated,
                "tags": i.categories,
            });
            if let Some(image) = &i.image {
                item["image"] = json!(image.url);
            }
            if let Some(author) = i.author {
                item["authors"] = json!([{ "name": author }]);
            }
            item
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": description,
        "home_page_url": format!("{base_url}/"),
        "feed_url": format!("{base_url}{}", routes::JSON_FEED),
        "language": "vi",
        "items": items,
    }))
    .expect("feed serialises")
}

/// The iframe other sites paste; `data-nguoitot-embed` lets `embed.js` resize it.
pub fn embed_iframe(base_url: &str, embed_path: &str, title: &str, height: u32) -> String {
    format!(
        "<iframe src=\"{base_url}{embed_path}\" width=\"{EMBED_WIDTH}\" height=\"{height}\" title=\"{}\" loading=\"lazy\" style=\"border:0;width:100%;max-width:{EMBED_WIDTH}px\" data-nguoitot-embed></iframe>",
        crate::html::escape(title)
    )
}

/// oEmbed 1.0 response of a story (https://oembed.com/). Fields in name order, as the JSON has
/// always had them.
pub fn oembed(story: &Story, site_title: &str, base_url: &str, height: u32, thumbnail: Option<(String, u32, u32)>, author: Option<(&str, &str)>) -> String {
    #[derive(Serialize)]
    struct Oembed<'a> {
        /// The story's unit and its page: whose exemplar this is, as a host credits it.
        #[serde(skip_serializing_if = "Option::is_none")]
        author_name: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        author_url: Option<String>,
        height: u32,
        html: String,
        provider_name: &'a str,
        provider_url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        thumbnail_height: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        thumbnail_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        thumbnail_width: Option<u32>,
        title: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        version: &'static str,
        width: u32,
    }
    let (thumbnail_url, thumbnail_width, thumbnail_height) = match thumbnail {
        Some((url, w, h)) => (Some(url), Some(w), Some(h)),
        None => (None, None, None),
    };
    let response = Oembed {
        author_name: author.map(|a| a.0),
        author_url: author.map(|a| format!("{base_url}{}", a.1)),
        height,
        html: embed_iframe(base_url, &routes::embed(&story.slug), &story.title, height),
        provider_name: site_title,
        provider_url: format!("{base_url}/"),
        thumbnail_height,
        thumbnail_url,
        thumbnail_width,
        title: &story.title,
        kind: "rich",
        version: "1.0",
        width: EMBED_WIDTH,
    };
    serde_json::to_string_pretty(&response).expect("oembed serialises")
}

/// schema.org JSON-LD of a story's page: the web page, the site it is part of and the agency
/// that publishes it (`[publisher]`, as Decree 42/2022/NĐ-CP asks government portals to name it),
/// escaped as [`json_ld`]. `None` when no agency is set.
pub fn page_json_ld(story: &Story, site_title: &str, base_url: &str, publisher: &crate::config::Publisher) -> Option<String> {
    let agency = publisher.agency.as_deref()?;
    let mut organization = json!({ "@type": "GovernmentOrganization", "name": agency });
    for (key, value) in [("address", &publisher.address), ("telephone", &publisher.phone), ("email", &publisher.email)] {
        if let Some(value) = value {
            organization[key] = json!(value);
        }
    }
    let page = json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": story.title,
        "url": format!("{base_url}{}", routes::story(&story.slug)),
        "inLanguage": "vi",
        "isPartOf": { "@type": "WebSite", "name": site_title, "url": format!("{base_url}/") },
        "publisher": organization,
    });
    Some(script_safe(page.to_string()))
}

/// schema.org BreadcrumbList of a page's trail (names and site paths), escaped as [`json_ld`].
pub fn breadcrumb_json_ld(base_url: &str, trail: &[(&str, String)]) -> String {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, path))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": format!("{base_url}{path}") }))
        .collect();
    script_safe(json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items }).to_string())
}

/// JSON that no text can close a `<script>` element with: `<`, `>` and `&` as JSON escapes.
fn script_safe(json: String) -> String {
    if memchr::memchr3(b'<', b'>', b'&', json.as_bytes()).is_none() {
        return json;
    }
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// schema.org JSON-LD of a story, safe inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` are written as JSON escapes so no text can close the script element. Fields in name
/// order, as the JSON has always had them.
pub fn json_ld(story: &Story, base_url: &str, image: Option<String>) -> String {
    #[derive(Serialize)]
    struct Organization<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        name: &'a str,
    }
    #[derive(Serialize)]
    struct Address<'a> {
        #[serde(rename = "@type")]
        kind: &'static str,
        #[serde(rename = "addressCountry")]
        country: &'static str,
        #[serde(rename = "addressLocality")]
        locality: Option<&'a str>,
        #[serde(rename = "addressRegion")]
        region: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct JsonLd<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
        address: Address<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        affiliation: Option<Organization<'a>>,
        award: Vec<String>,
        description: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<String>,
        #[serde(rename = "memberOf", skip_serializing_if = "Option::is_none")]
        member_of: Option<Organization<'a>>,
        name: &'a str,
        url: String,
    }
    let individual = story.kind == Kind::Individual;
    let unit = story.unit.as_deref().map(|name| Organization { kind: "Organization", name });
    let (affiliation, member_of) = match unit {
        Some(org) if individual => (Some(org), None),
        Some(org) if !crate::text::same_name(org.name, &story.title) => (None, Some(org)),
        _ => (None, None),
    };
    let data = JsonLd {
        context: "https://schema.org",
        kind: if individual { "Person" } else { "Organization" },
        address: Address {
            kind: "PostalAddress",
            country: "VN",
            // The current units (the registry's names); the written ones when they did not resolve.
            locality: story.locality.place.commune.map(|c| places::registry().commune(c).name.as_str()).or(story.locality.commune.as_deref()),
            region: story.locality.place.province.map(|p| places::registry().province(p).name.as_str()).or(story.locality.province.as_deref()),
        },
        affiliation,
        award: story.awards.iter().map(|a| match a.year { Some(y) => format!("{} ({y})", a.title), None => a.title.clone() }).collect(),
        description: &story.summary,
        image,
        member_of,
        name: &story.title,
        url: format!("{base_url}{}", routes::story(&story.slug)),
    };
    script_safe(serde_json::to_string(&data).expect("json-ld serialises"))
}
