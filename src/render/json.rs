//! The documents written without templates, each from its view: a story's oEmbed response, JSON
//! Feed, the statistics as JSON, the web editor's configuration; and the feed items Atom and RSS
//! share with JSON Feed.

use crate::authoring::WrittenValues;
use crate::content::{AwardVocabulary, Movement};
use crate::render::pages::story::body_html;
use crate::render::syndication::{self, FeedItem};
use crate::render::views::{FeedEntry, StoryRef, TermLink};
use crate::render::Renderer;
use crate::stats::ChartedTable;

/// `/oembed/<slug>.json`.
pub(super) fn oembed(r: &Renderer<'_>, story: &StoryRef<'_>, unit: Option<&TermLink<'_>>) -> Vec<u8> {
    let (width, height) = crate::imageproc::OG_SIZE;
    let thumbnail = r.share_image_url(story).map(|url| (url, width, height));
    let height = syndication::embed_height(story.photo.is_some());
    syndication::oembed(story.story, &r.site_title, &r.base_url, height, thumbnail, unit.map(|u| (u.name, u.url))).into_bytes()
}

/// `/feed.json`.
pub(super) fn feed(r: &Renderer<'_>, entries: &[FeedEntry<'_>]) -> Vec<u8> {
    syndication::json_feed(&r.site_title, r.site_description.as_deref(), &r.base_url, &feed_items(r, entries)).into_bytes()
}

/// The items of a feed: each story's body with absolute addresses, read on other hosts.
pub(super) fn feed_items<'a>(r: &Renderer<'_>, entries: &[FeedEntry<'a>]) -> Vec<FeedItem<'a>> {
    let origin = r.base_url.strip_suffix(&r.base_path).unwrap_or(&r.base_url);
    entries
        .iter()
        .map(|entry| {
            let titles = entry.movements.iter().map(|m| m.movement.title.as_str()).collect();
            let content = crate::render::markdown::absolutize(&body_html(r, &entry.body, &r.base_path), origin);
            let (width, height) = crate::imageproc::OG_SIZE;
            let image = r.share_image_url(&entry.body.story).map(|url| syndication::FeedImage { url, width, height });
            syndication::feed_item(entry.body.story.story, titles, &r.base_url, content, image)
        })
        .collect()
}

/// `/thong-ke/thong-ke.json`: the tables without their charts.
pub(super) fn stats(tables: &[ChartedTable]) -> Vec<u8> {
    let tables: Vec<&crate::stats::Table> = tables.iter().map(|c| &c.table).collect();
    serde_json::to_vec_pretty(&tables).expect("stats serialise")
}

/// `/admin/config.yml` (a page only when `[editor]` is set).
pub(super) fn cms_config(r: &Renderer<'_>, movements: &[Movement], awards: &AwardVocabulary, written: &WrittenValues<'_>) -> Vec<u8> {
    let editor = r.editor.as_ref().expect("the editor's configuration is a page only with [editor]");
    crate::authoring::cms_config(movements, awards, written, &r.site_title, &r.base_url, editor).into_bytes()
}
