//! Pages that list stories or groups: the home page, movements, units, awards, localities, years,
//! kinds, a movement's embed card, the statistics and the sitemap. Each fills the template's
//! context from its view and returns the template.

use serde::Serialize;
use tera::Context;

use super::{cards, movement};
use crate::render::markdown;
use crate::render::views::{ListPage, ProvinceLink, MovementRef, ResolvedLink, StoryRef, TermLink};
use crate::render::Renderer;
use crate::site::index::KindCount;
use crate::site::routes;
use crate::stats::ChartedTable;

pub(super) fn home(r: &Renderer<'_>, ctx: &mut Context, featured: &[StoryRef<'_>], latest: &[StoryRef<'_>], total: usize, kind_counts: &[KindCount]) -> Result<&'static str, tera::Error> {
    ctx.insert("featured", &cards(r, featured)?);
    ctx.insert("latest", &cards(r, latest)?);
    ctx.insert("total", &total);
    ctx.insert("kind_counts", kind_counts);
    Ok("index.html")
}

pub(super) fn movement_page(r: &Renderer<'_>, ctx: &mut Context, m: &MovementRef<'_>, links: &[ResolvedLink<'_>], chart: &str, list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    let mv = m.movement;
    ctx.insert_value("movement", movement(r, m));
    ctx.insert("level_label", &mv.level.map(|l| l.label()));
    ctx.insert("body_html", &markdown::to_html_with_images(&mv.body, &|_, _, _| None, &|url| r.link(url, links, &mv.source, &r.base_path)));
    ctx.insert("chart", chart);
    paginated(r, ctx, list)?;
    Ok("movement.html")
}

pub(super) fn movement_embed(r: &Renderer<'_>, ctx: &mut Context, m: &MovementRef<'_>, latest: &[StoryRef<'_>], total: usize) -> Result<&'static str, tera::Error> {
    ctx.insert_value("movement", movement(r, m));
    ctx.insert("stories", &cards(r, latest)?);
    ctx.insert("total", &total);
    Ok("embed_movement.html")
}

pub(super) fn terms(ctx: &mut Context, heading: &str, intro: &str, terms: &[TermLink<'_>]) -> &'static str {
    ctx.insert("terms", terms);
    ctx.insert("heading", heading);
    ctx.insert("intro", intro);
    "terms.html"
}

pub(super) fn term(r: &Renderer<'_>, ctx: &mut Context, term: &TermLink<'_>, section: &(&str, &str), list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert("term", term);
    ctx.insert("section", section);
    paginated(r, ctx, list)?;
    Ok("term.html")
}

pub(super) fn localities(ctx: &mut Context, provinces: &[ProvinceLink<'_>]) -> &'static str {
    ctx.insert("provinces", provinces);
    "localities.html"
}

pub(super) fn province(r: &Renderer<'_>, ctx: &mut Context, province: &ProvinceLink<'_>, list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert("province", province);
    paginated(r, ctx, list)?;
    Ok("province.html")
}

pub(super) fn commune(r: &Renderer<'_>, ctx: &mut Context, province: &TermLink<'_>, commune: &TermLink<'_>, list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert("province", province);
    ctx.insert("commune", commune);
    paginated(r, ctx, list)?;
    Ok("commune.html")
}

pub(super) fn year(r: &Renderer<'_>, ctx: &mut Context, year: i32, years: &[(i32, usize)], list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert("year", &year);
    ctx.insert("years", years);
    paginated(r, ctx, list)?;
    Ok("year.html")
}

pub(super) fn kind(r: &Renderer<'_>, ctx: &mut Context, kind: &(&str, &str), list: &ListPage<'_>) -> Result<&'static str, tera::Error> {
    ctx.insert("kind", kind);
    paginated(r, ctx, list)?;
    Ok("kind.html")
}

pub(super) fn stats(ctx: &mut Context, year: Option<i32>, years: &[i32], tables: &[ChartedTable]) -> &'static str {
    #[derive(Serialize)]
    struct YearLink {
        year: i32,
        url: String,
    }
    ctx.insert("tables", tables);
    ctx.insert("year", &year);
    ctx.insert("years", &years.iter().map(|&y| YearLink { year: y, url: routes::stats_year(y) }).collect::<Vec<_>>());
    ctx.insert("xlsx_url", &year.map_or(routes::STATS_XLSX.to_string(), routes::stats_year_xlsx));
    "stats.html"
}

pub(super) fn sitemap(ctx: &mut Context, stories: &[(String, chrono::NaiveDate)], other_urls: &[String]) -> &'static str {
    #[derive(Serialize)]
    struct Entry<'a>(&'a str, String);
    let stories: Vec<Entry> = stories.iter().map(|(url, date)| Entry(url, date.to_string())).collect();
    ctx.insert("stories", &stories);
    ctx.insert("other_urls", other_urls);
    "sitemap.xml"
}

/// One page of a list: its cards, pagination, counts by kind and total.
fn paginated(r: &Renderer<'_>, ctx: &mut Context, list: &ListPage<'_>) -> Result<(), tera::Error> {
    ctx.insert("stories", &cards(r, &list.stories)?);
    ctx.insert("paginator", list.paginator);
    ctx.insert("kind_counts", &*list.kind_counts);
    ctx.insert("total", &list.total);
    Ok(())
}
