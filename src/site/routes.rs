//! Every address of the site, spelled once. Nothing else in the code writes `/guong/`,
//! `/phong-trao/`, … : pages, links, feeds, the sitemap, search cards and `serve` all ask here.
//! (Templates and the browser scripts of the theme spell the few fixed addresses they link to.)
//!
//! URLs here are paths from the site root (`/guong/hoang-tung/`); the base path or base URL is
//! prefixed where a page is written. [`output_file`] turns a URL into the file that serves it.

use std::fmt::Display;

pub const HOME: &str = "/";
pub const NOT_FOUND: &str = "/404.html";
pub const MOVEMENTS: &str = "/phong-trao/";
pub const UNITS: &str = "/don-vi/";
pub const LOCALITIES: &str = "/dia-phuong/";
pub const AWARDS: &str = "/khen-thuong/";
pub const TAGS: &str = "/tu-khoa/";
pub const SEARCH: &str = "/tim-kiem/";
/// The folder of the static search index, relative to the output root (beside the search page).
pub const SEARCH_INDEX_DIR: &str = "tim-kiem";
/// The client search index's entry file (output path).
pub const SEARCH_ENTRY_FILE: &str = "tim-kiem/index.json";
pub const STATS: &str = "/thong-ke/";
pub const STATS_JSON: &str = "/thong-ke/thong-ke.json";
pub const STATS_XLSX: &str = "/thong-ke/thong-ke.xlsx";
pub const JSON_FEED: &str = "/feed.json";
pub const ADMIN: &str = "/admin/";
pub const ADMIN_CONFIG: &str = "/admin/config.yml";
pub const SITEMAP: &str = "/sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";
/// The script that resizes embed iframes on other sites.
pub const EMBED_SCRIPT: &str = "/embed.js";

const STORY_PREFIX: &str = "/guong/";

/// A story's page.
pub fn story(slug: &str) -> String {
    format!("{STORY_PREFIX}{slug}/")
}

/// A movement's page (its first page of stories).
pub fn movement(id: &str) -> String {
    format!("{MOVEMENTS}{id}/")
}

/// A unit whose stories name no province the registry knows.
pub fn unit(slug: &str) -> String {
    format!("{UNITS}{slug}/")
}

/// A unit of a province: its identity includes the province ("Trạm Y tế xã Tân Thành" of two
/// provinces are two pages).
pub fn province_unit(province_slug: &str, slug: &str) -> String {
    format!("{UNITS}{province_slug}/{slug}/")
}

/// A current province's page: its communes and its stories. Slugs come from the registry, so an
/// address never changes when stories arrive.
pub fn province(slug: &str) -> String {
    format!("{LOCALITIES}{slug}/")
}

/// A current commune's stories, those written with the old communes it absorbed included.
pub fn commune(province_slug: &str, slug: &str) -> String {
    format!("{LOCALITIES}{province_slug}/{slug}/")
}

pub fn award(slug: &str) -> String {
    format!("{AWARDS}{slug}/")
}

/// The stories of one tag (`tags:` in a story's front matter).
pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

pub fn year(year: impl Display) -> String {
    format!("/nam/{year}/")
}

/// The list of one kind of exemplar (`tap-the`, `ca-nhan`, `ho-gia-dinh`).
pub fn kind(id: &str) -> String {
    format!("/loai/{id}/")
}

/// Archive page `k` of a list whose first page is `list_url` (1 holds the oldest stories; see
/// [`crate::site::pages::Paginator`]).
pub fn archive_page(list_url: &str, k: usize) -> String {
    format!("{list_url}trang/{k}/")
}

/// A story's embed card: a file, not a folder, so a large site creates one directory entry per
/// embed instead of two.
pub fn embed(slug: &str) -> String {
    format!("/nhung/{slug}.html")
}

/// A movement's latest stories as an embed card.
pub fn movement_embed(id: &str) -> String {
    format!("/nhung/phong-trao/{id}/")
}

pub fn oembed(slug: &str) -> String {
    format!("/oembed/{slug}.json")
}

/// The whole site's feed in `file` (`atom.xml`, `rss.xml`).
pub fn feed(file: &str) -> String {
    format!("{HOME}{file}")
}

/// One movement's feed in `file`.
pub fn movement_feed(id: &str, file: &str) -> String {
    format!("{}{file}", movement(id))
}

/// The statistics tables, in the order `crate::stats::compute` makes them, by the name of their
/// CSV file.
pub const STATS_TABLES: [&str; 6] = ["phong-trao-theo-loai", "khen-thuong-theo-nam", "dia-phuong", "xa-phuong", "huyen-truoc-2025", "khen-thuong-theo-phong-trao"];

/// A statistics table as CSV.
pub fn stats_csv(table_id: &str) -> String {
    format!("{STATS}{table_id}.csv")
}

/// The statistics of one year, for the yearly report.
pub fn stats_year(year: i32) -> String {
    format!("{STATS}{year}/")
}

/// The workbook of one year's statistics.
pub fn stats_year_xlsx(year: i32) -> String {
    format!("{STATS}{year}/thong-ke.xlsx")
}

/// A processed image variant, as a file relative to the output root (`anh/<hash>-<width>.jpg`),
/// and the URL that serves it.
pub fn image_file(hash: &str, variant: impl Display, extension: &str) -> String {
    format!("anh/{hash}-{variant}.{extension}")
}

pub fn file_url(file: &str) -> String {
    format!("/{file}")
}

/// The file written for a URL, relative to the output folder (`/a/` → `a/index.html`).
pub fn output_file(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// When `deploy` uploads a file of the output: what pages point to first, the pages that point
/// to them after, the home page last, so that a reader never follows a link to something not
/// there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PublishStage {
    /// Photos, styles, scripts, fonts, the search index's shards and fragments.
    Assets,
    /// Story pages, their embed cards and oEmbed answers.
    Stories,
    /// Lists, feeds, statistics, the search entry file, the sitemap: every other page.
    Lists,
    Home,
}

pub fn publish_stage(file: &str) -> PublishStage {
    let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
    let story_prefix = STORY_PREFIX.trim_start_matches('/');
    if file == output_file(HOME) {
        PublishStage::Home
    } else if file.starts_with(story_prefix) || file.starts_with("oembed/") || (file.starts_with("nhung/") && !file.starts_with("nhung/phong-trao/")) {
        PublishStage::Stories
    } else if file == SEARCH_ENTRY_FILE {
        PublishStage::Lists
    } else if file.starts_with(SEARCH_INDEX_DIR) && file.ends_with(".json") {
        PublishStage::Assets
    } else if matches!(extension, "html" | "xml" | "json" | "txt" | "csv" | "xlsx" | "yml") {
        PublishStage::Lists
    } else {
        PublishStage::Assets
    }
}

/// A page a link written in content may name by its address.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkedPage<'a> {
    Story(&'a str),
    /// A movement, or any page under the movements list when the id is empty.
    Movement(&'a str),
}

/// Which story or movement a root-relative `path` (no query or fragment) addresses, if any:
/// links in content are checked against the site.
pub fn linked_page(path: &str) -> Option<LinkedPage<'_>> {
    if let Some(rest) = path.strip_prefix(STORY_PREFIX) {
        return Some(LinkedPage::Story(rest.trim_end_matches('/')));
    }
    path.strip_prefix(MOVEMENTS).map(|rest| LinkedPage::Movement(rest.split('/').next().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_spelled_as_the_readme_maps_them() {
        assert_eq!(story("hoang-tung"), "/guong/hoang-tung/");
        assert_eq!(archive_page(&movement("chuyen-doi-so"), 2), "/phong-trao/chuyen-doi-so/trang/2/");
        assert_eq!(commune("lao-cai", "xa-thuong-ha"), "/dia-phuong/lao-cai/xa-thuong-ha/");
        assert_eq!(province_unit("lao-cai", "tram-y-te-xa-tan-thanh"), "/don-vi/lao-cai/tram-y-te-xa-tan-thanh/");
        assert_eq!(movement_feed("chuyen-doi-so", "rss.xml"), "/phong-trao/chuyen-doi-so/rss.xml");
        assert_eq!(file_url(&image_file("ab12", 480, "webp")), "/anh/ab12-480.webp");
        assert_eq!(output_file(HOME), "index.html");
        assert_eq!(output_file(&embed("x")), "nhung/x.html");
    }

    #[test]
    fn deploy_uploads_what_pages_point_to_first() {
        use PublishStage::*;
        for (file, stage) in [
            ("anh/ab12-480.webp", Assets),
            ("tim-kiem/t/di.json", Assets),
            ("tim-kiem/d/12.json", Assets),
            ("style.css", Assets),
            ("guong/hoang-tung/index.html", Stories),
            ("nhung/hoang-tung.html", Stories),
            ("oembed/hoang-tung.json", Stories),
            ("nhung/phong-trao/chuyen-doi-so/index.html", Lists),
            ("tim-kiem/index.json", Lists),
            ("phong-trao/chuyen-doi-so/index.html", Lists),
            ("atom.xml", Lists),
            ("sitemap.xml", Lists),
            ("index.html", Home),
        ] {
            assert_eq!(publish_stage(file), stage, "{file}");
        }
    }

    #[test]
    fn content_links_name_stories_and_movements() {
        assert_eq!(linked_page("/guong/hoang-tung/"), Some(LinkedPage::Story("hoang-tung")));
        assert_eq!(linked_page("/phong-trao/chuyen-doi-so/trang/2/"), Some(LinkedPage::Movement("chuyen-doi-so")));
        assert_eq!(linked_page("/phong-trao/"), Some(LinkedPage::Movement("")));
        assert_eq!(linked_page("/tai-lieu.pdf"), None);
    }
}
