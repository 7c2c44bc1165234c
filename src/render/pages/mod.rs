//! A page's view into its file: the template's context from the view and the site-wide values
//! (or, for JSON, CSV and YAML outputs, the document), and nothing else of the site — so that a
//! view that hashes the same renders the same. [`story`] has the story page and embed card,
//! [`lists`] every list of stories and groups, [`feeds`] Atom and RSS; [`super::json`] writes the
//! documents that are not templates.

mod feeds;
mod lists;
pub(super) mod story;

use serde::Serialize;
use tera::Context;

use super::views::{DocumentView, MovementRef, PageView, StoryRef, TemplateView};
use super::{json, templates, Renderer};
use crate::content::{Award, Movement, Story};
use crate::imageproc::ProcessedImage;
use crate::site::routes;

/// The contents of the page at `path`, from its view.
pub(super) fn render(r: &Renderer<'_>, view: &PageView<'_>, path: &str) -> Result<Vec<u8>, tera::Error> {
    match view {
        PageView::Template(view) => template(r, view, path),
        PageView::Document(view) => document(r, view),
    }
}

fn template(r: &Renderer<'_>, view: &TemplateView<'_>, path: &str) -> Result<Vec<u8>, tera::Error> {
    let mut ctx = r.base.clone();
    ctx.insert("current_path", path);
    ctx.insert("canonical_url", &format!("{}{}", r.base_url, path));
    let template = match view {
        TemplateView::Home { featured, latest, total, kind_counts } => lists::home(r, &mut ctx, featured, latest, *total, kind_counts)?,
        TemplateView::Story { story, links, body, related } => story::page(r, &mut ctx, story, links, body, related)?,
        TemplateView::Embed { story, links } => story::embed(r, &mut ctx, story, links)?,
        TemplateView::Movement { movement, links, chart, list } => lists::movement_page(r, &mut ctx, movement, links, chart, list)?,
        TemplateView::MovementEmbed { movement, latest, total } => lists::movement_embed(r, &mut ctx, movement, latest, *total)?,
        TemplateView::Terms { heading, intro, terms } => lists::terms(&mut ctx, heading, intro, terms),
        TemplateView::Term { term, section, list } => lists::term(r, &mut ctx, term, section, list)?,
        TemplateView::Localities { provinces } => lists::localities(&mut ctx, provinces),
        TemplateView::Province { province, list } => lists::province(r, &mut ctx, province, list)?,
        TemplateView::Commune { province, commune, list } => lists::commune(r, &mut ctx, province, commune, list)?,
        TemplateView::Year { year, years, list } => lists::year(r, &mut ctx, *year, years, list)?,
        TemplateView::Kind { kind, list } => lists::kind(r, &mut ctx, kind, list)?,
        TemplateView::Feed { format, title, page_url, entries, updated } => feeds::feed(r, &mut ctx, path, *format, title, page_url, entries, *updated),
        TemplateView::Stats { year, years, tables } => lists::stats(&mut ctx, *year, years, tables),
        TemplateView::Sitemap { stories, other_urls } => lists::sitemap(&mut ctx, stories, other_urls),
        TemplateView::Fixed { template } => template,
        TemplateView::Search { entry } => {
            ctx.insert("search_entry", entry);
            "search.html"
        }
    };
    // Straight to bytes: the output is written as bytes, so no second UTF-8 check of every page.
    let mut html = Vec::with_capacity(32 * 1024);
    r.tera.render_to(template, &ctx, &mut html)?;
    Ok(html)
}

/// The outputs that are documents, not templates.
fn document(r: &Renderer<'_>, view: &DocumentView<'_>) -> Result<Vec<u8>, tera::Error> {
    Ok(match view {
        DocumentView::Oembed { story, unit } => json::oembed(r, story, unit.as_ref()),
        DocumentView::AdminConfig { movements, awards, written } => json::cms_config(r, movements, awards, written),
        DocumentView::StatsCsv { table } => table.to_csv().into_bytes(),
        DocumentView::StatsJson { tables } => json::stats(tables),
        DocumentView::StatsXlsx { tables } => {
            crate::stats::to_xlsx(tables.iter().map(|c| &c.table)).map_err(|e| tera::Error::message(format!("không tạo được tệp Excel: {e}")))?
        }
        DocumentView::JsonFeed { entries } => json::feed(r, entries),
    })
}

/// A story in a list: the model plus what templates need to label it.
#[derive(Serialize)]
struct StoryCard<'a> {
    #[serde(flatten)]
    story: &'a Story,
    url: String,
    kind_label: &'static str,
    year: i32,
    /// Highest-ranked award, for list badges.
    top_award: Option<&'a Award>,
    photo_out: Option<&'a ProcessedImage>,
    /// `<picture>` markup of the photo, for the story page and the embed card.
    photo_html: Option<String>,
    /// The same, lazy-loaded at a card's width, for story cards in lists.
    card_photo_html: Option<String>,
    /// The locality in one line ("Xã Điện Quan (nay là xã Thượng Hà), Lào Cai").
    place: Option<String>,
    /// For a story written with old units: "trước đây: xã Điện Quan, huyện Bảo Yên".
    place_former: Option<String>,
}

/// The sizes attribute of a story photo or body image: the page's column, or the whole screen.
pub(super) const PICTURE_SIZES: &str = "(min-width: 60rem) 58rem, 100vw";
/// A card's photo: two cards a row on a wide screen, one on a phone.
const CARD_PICTURE_SIZES: &str = "(min-width: 40rem) 28rem, 100vw";

/// Story `s`'s card as a template value, made once per renderer: a story shows on a dozen list
/// and story pages, and template values share their maps when cloned. When the theme has a
/// [`templates::CARD_COMPONENT`], the card carries it rendered as `card_html`: lists show that
/// instead of rendering the component for every page they are on.
fn card(r: &Renderer<'_>, s: &StoryRef<'_>) -> Result<tera::Value, tera::Error> {
    if let Some(value) = r.card_values[s.position].get() {
        return Ok(value.clone());
    }
    let story = s.story;
    let mut value = tera::Value::from_serializable(&StoryCard {
        story,
        url: routes::story(&story.slug),
        kind_label: story.kind.label(),
        year: story.year(),
        top_award: story.awards.iter().min_by_key(|a| a.rank.unwrap_or(usize::MAX)),
        photo_out: s.photo,
        photo_html: s.photo.zip(story.photo.as_ref()).map(|(img, p)| img.picture_html(&r.base_path, &p.alt, PICTURE_SIZES, true)),
        card_photo_html: s.photo.zip(story.photo.as_ref()).map(|(img, p)| img.picture_html(&r.base_path, &p.alt, CARD_PICTURE_SIZES, false)),
        place: story.locality.label(),
        place_former: story.locality.place.former_label(),
    });
    if r.tera.contains_component(templates::CARD_COMPONENT) {
        let mut args = Context::new();
        args.insert_value("story", value.clone());
        let html = r.tera.render_component_with_implicits(templates::CARD_COMPONENT, &args, &r.base, None, true)?;
        let mut map = value.into_map().expect("a card serialises to a map");
        map.insert("card_html".into(), tera::Value::safe_string(&html));
        value = tera::Value::from(map);
    }
    Ok(r.card_values[s.position].get_or_init(|| value).clone())
}

fn cards(r: &Renderer<'_>, stories: &[StoryRef<'_>]) -> Result<Vec<tera::Value>, tera::Error> {
    stories.iter().map(|s| card(r, s)).collect()
}

/// A movement as its page and the links to it show it.
#[derive(Serialize)]
struct MovementValue<'a> {
    #[serde(flatten)]
    movement: &'a Movement,
    url: String,
}

/// Movement `m` as a template value, made once per renderer.
fn movement(r: &Renderer<'_>, m: &MovementRef<'_>) -> tera::Value {
    r.movement_values[m.position]
        .get_or_init(|| tera::Value::from_serializable(&MovementValue { movement: m.movement, url: routes::movement(&m.movement.id) }))
        .clone()
}
