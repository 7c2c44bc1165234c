//! Atom and RSS feeds, of the whole site or of one movement.

use tera::Context;

use crate::render::views::FeedEntry;
use crate::render::Renderer;
use crate::site::pages::FeedFormat;

/// `atom.xml` or `rss.xml`: the feed's title and addresses, its entries, when it was last updated.
#[allow(clippy::too_many_arguments)]
pub(super) fn feed(
    r: &Renderer<'_>,
    ctx: &mut Context,
    path: &str,
    format: FeedFormat,
    title: &str,
    page_url: &str,
    entries: &[FeedEntry<'_>],
    updated: Option<chrono::NaiveDate>,
) -> &'static str {
    ctx.insert("feed_title", title);
    ctx.insert("feed_url", &format!("{}{path}", r.base_url));
    ctx.insert("page_url", &format!("{}{page_url}", r.base_url));
    ctx.insert("items", &crate::render::json::feed_items(r, entries));
    ctx.insert("updated", &updated.map_or_else(|| "1970-01-01T00:00:00+07:00".to_string(), |d| format!("{d}T00:00:00+07:00")));
    format.file()
}
