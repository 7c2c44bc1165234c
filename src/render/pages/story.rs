//! A story's page and its embed card. Both give templates `story`: its card, with the links to
//! the groups it belongs to, and on the page the body, JSON-LD, embed code and related stories.

use serde::Serialize;
use tera::Context;

use super::{card, cards, movement, PICTURE_SIZES};
use crate::render::markdown;
use crate::render::syndication;
use crate::render::views::{AwardLink, StoryBody, StoryLinks, StoryRef, TermLink};
use crate::render::Renderer;
use crate::site::routes;

/// What a story's page and embed card show besides its card.
#[derive(Serialize)]
struct StoryValue<'a> {
    movements: Vec<tera::Value>,
    unit_link: Option<TermLink<'a>>,
    province_link: Option<TermLink<'a>>,
    commune_link: Option<TermLink<'a>>,
    awards_sorted: &'a [AwardLink<'a>],
    /// The story's tags, each with its page.
    tag_links: &'a [TermLink<'a>],
    year_url: String,
    kind_url: String,
    /// `None` for the embed card, which shows none of it.
    #[serde(flatten)]
    page_only: Option<PageOnly>,
}

#[derive(Serialize)]
struct PageOnly {
    body_html: String,
    /// schema.org JSON-LD, already escaped for a script element: the exemplar, and the page with
    /// its publisher.
    json_ld: String,
    page_json_ld: Option<String>,
    /// Home › the story's first movement › the story: shown above the title, and as JSON-LD.
    breadcrumbs: Vec<Crumb>,
    breadcrumb_json_ld: String,
    embed_snippet: String,
    embed_url: String,
    og_image: Option<String>,
    related: Vec<tera::Value>,
}

/// A step of a page's breadcrumb trail.
#[derive(Serialize)]
struct Crumb {
    name: String,
    url: String,
}

/// `story.html`.
pub(super) fn page(
    r: &Renderer<'_>,
    ctx: &mut Context,
    story: &StoryRef<'_>,
    links: &StoryLinks<'_>,
    body: &StoryBody<'_>,
    related: &[StoryRef<'_>],
) -> Result<&'static str, tera::Error> {
    let s = story.story;
    let embed_path = routes::embed(&s.slug);
    let og_image = r.share_image_url(story);
    let mut trail: Vec<(&str, String)> = vec![("Trang chủ", routes::HOME.to_string())];
    trail.extend(links.movements.first().map(|m| (m.movement.display_title(), routes::movement(&m.movement.id))));
    trail.push((&s.title, routes::story(&s.slug)));
    let page_only = PageOnly {
        breadcrumb_json_ld: syndication::breadcrumb_json_ld(&r.base_url, &trail),
        breadcrumbs: trail.iter().map(|(name, url)| Crumb { name: name.to_string(), url: url.clone() }).collect(),
        body_html: body_html(r, body, &r.base_path),
        json_ld: syndication::json_ld(s, &r.base_url, og_image.clone()),
        page_json_ld: syndication::page_json_ld(s, &r.site_title, &r.base_url, &r.publisher),
        embed_url: format!("{}{embed_path}", r.base_path),
        embed_snippet: format!(
            "{}\n<script src=\"{}{}\" async></script>",
            syndication::embed_iframe(&r.base_url, &embed_path, &s.title, syndication::embed_height(story.photo.is_some())),
            r.base_url,
            routes::EMBED_SCRIPT
        ),
        og_image,
        related: cards(r, related)?,
    };
    ctx.insert_value("story", value(r, story, links, Some(page_only))?);
    Ok("story.html")
}

/// `embed.html`.
pub(super) fn embed(r: &Renderer<'_>, ctx: &mut Context, story: &StoryRef<'_>, links: &StoryLinks<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert_value("story", value(r, story, links, None)?);
    Ok("embed.html")
}

/// The story's card (made once per renderer) with the fields of [`StoryValue`] added, rather
/// than the whole story serialised again for each page.
fn value(r: &Renderer<'_>, story: &StoryRef<'_>, links: &StoryLinks<'_>, page_only: Option<PageOnly>) -> Result<tera::Value, tera::Error> {
    let mut map = card(r, story)?.into_map().expect("a card serialises to a map");
    map.remove(&tera::value::Key::from("card_html"));
    let s = story.story;
    let page = StoryValue {
        movements: links.movements.iter().map(|m| movement(r, m)).collect(),
        unit_link: links.unit,
        province_link: links.province,
        commune_link: links.commune,
        awards_sorted: &links.awards,
        tag_links: &links.tags,
        year_url: routes::year(s.year()),
        kind_url: routes::kind(s.kind.id()),
        page_only,
    };
    map.extend(tera::Value::from_serializable(&page).into_map().expect("a story page serialises to a map"));
    Ok(tera::Value::from(map))
}

/// The story's body with its local images as `<picture>` elements (lazy after the first image
/// of the page; the photo, when there is one, is the first). `url_prefix` is the base path for
/// pages and the base URL for feeds.
pub(crate) fn body_html(r: &Renderer<'_>, body: &StoryBody<'_>, url_prefix: &str) -> String {
    let story = body.story.story;
    let has_photo = body.story.photo.is_some();
    markdown::to_html_with_images(
        &story.body,
        &|url, alt, first| {
            let at = story.images.iter().position(|im| im.src == url)?;
            body.images[at].map(|p| p.picture_html(url_prefix, alt, PICTURE_SIZES, first && !has_photo))
        },
        &|url| r.link(url, &body.links, &story.source, url_prefix),
    )
}
