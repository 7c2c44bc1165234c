//! Every page of the site, enumerated from the index, with its URL and pagination.

use serde::Serialize;

use super::index::SiteIndex;
use super::routes;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
}

/// Which slice of a list a page shows. Lists read newest first, but archive pages are cut from
/// the oldest end, so that each keeps its stories as new ones arrive: archive page `k` (at
/// `…/trang/k/`) holds the `k`-th `per_page` stories counted from the oldest, and the first page
/// (at the list's URL) the newest `per_page` to `2 × per_page − 1`. A new story changes the first
/// page only; once every `per_page` stories one more archive page is sealed (and the few pages
/// whose links reach it change). Published site-wide, this is what keeps a deploy small.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Paginator {
    pub base_url: String,
    /// The list's first page, at its URL: the newest stories, with the list's totals.
    pub first: bool,
    /// The archive page's number (1 = the oldest stories); 0 on the first page.
    pub current: usize,
    /// Newer stories (`rel="prev"`).
    pub prev_url: Option<String>,
    /// Older stories (`rel="next"`).
    pub next_url: Option<String>,
    /// Links to the first page (number 0) and the archive pages near this one, newest first.
    pub pages: Vec<PageLink>,
    /// The stories this page shows, by rank from the oldest (`oldest..newest`): fixed for an
    /// archive page however long the list grows.
    #[serde(skip)]
    ranks: std::ops::Range<usize>,
}

/// Archive pages linked either side of the current one.
const PAGE_WINDOW: usize = 3;

impl Paginator {
    /// All pages of a list of `len` items under `base_url`: the first page, then the archive pages
    /// from the newest to the oldest.
    pub fn all(base_url: &str, len: usize, per_page: usize) -> Vec<Paginator> {
        let archived = if len < per_page { 0 } else { len / per_page - 1 };
        let url = |k: usize| if k == 0 { base_url.to_string() } else { routes::archive_page(base_url, k) };
        // Newest first: the first page, then archive pages `archived` down to 1.
        let window = |k: usize| -> Vec<PageLink> {
            let (low, high) = if k == 0 {
                (archived.saturating_sub(PAGE_WINDOW).max(1), archived)
            } else {
                (k.saturating_sub(PAGE_WINDOW).max(1), (k + PAGE_WINDOW).min(archived))
            };
            let mut links = vec![PageLink { number: 0, url: url(0) }];
            links.extend((low..=high).rev().map(|n| PageLink { number: n, url: url(n) }));
            if low > 1 {
                links.push(PageLink { number: 1, url: url(1) });
            }
            links
        };
        let first = Paginator {
            base_url: base_url.to_string(),
            first: true,
            current: 0,
            prev_url: None,
            next_url: (archived > 0).then(|| url(archived)),
            pages: if archived > 0 { window(0) } else { Vec::new() },
            ranks: archived * per_page..len,
        };
        std::iter::once(first)
            .chain((1..=archived).rev().map(|k| Paginator {
                base_url: base_url.to_string(),
                first: false,
                current: k,
                prev_url: Some(if k == archived { url(0) } else { url(k + 1) }),
                next_url: (k > 1).then(|| url(k - 1)),
                pages: window(k),
                ranks: (k - 1) * per_page..k * per_page,
            }))
            .collect()
    }

    pub fn url(&self) -> String {
        if self.first { self.base_url.clone() } else { routes::archive_page(&self.base_url, self.current) }
    }

    /// This page's stories of `list` (the whole list, newest first).
    pub fn slice<'l>(&self, list: &'l [usize]) -> &'l [usize] {
        let len = list.len();
        &list[len.saturating_sub(self.ranks.end)..len.saturating_sub(self.ranks.start)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    Atom,
    Rss,
}

impl FeedFormat {
    pub fn file(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Page {
    Home,
    Story(usize),
    MovementList,
    Movement { movement: usize, paginator: Paginator },
    UnitList,
    Unit { term: usize, paginator: Paginator },
    /// The provinces with stories.
    LocalityList,
    /// A province: its communes with stories, and all its stories.
    Province { province: usize, paginator: Paginator },
    /// A commune's stories, with those written with the old communes it absorbed.
    Commune { province: usize, commune: usize, paginator: Paginator },
    AwardList,
    Award { term: usize, paginator: Paginator },
    TagList,
    Tag { term: usize, paginator: Paginator },
    Year { year: usize, paginator: Paginator },
    Kind { kind: usize, paginator: Paginator },
    NotFound,
    Search,
    /// `/nhung/<slug>.html`: the story as a card for other sites' iframes.
    Embed(usize),
    /// `/nhung/phong-trao/<id>/`: a movement's latest stories as a card.
    EmbedMovement(usize),
    /// `/oembed/<slug>.json`.
    Oembed(usize),
    /// Atom or RSS of the whole site (`None`) or of one movement.
    Feed { format: FeedFormat, movement: Option<usize> },
    JsonFeed,
    /// `/thong-ke/`, its CSV files (by table index) and `thong-ke.json`.
    Stats,
    StatsCsv(usize),
    StatsJson,
    /// `/thong-ke/thong-ke.xlsx`: every table, one sheet each.
    StatsXlsx,
    /// `/thong-ke/<năm>/` and its workbook: the tables of one year (see [`SiteIndex::report_years`]).
    StatsYear(i32),
    StatsYearXlsx(i32),
    /// `/admin/`: the web editor, and its `config.yml` generated from the content model.
    Admin,
    AdminConfig,
    Sitemap,
    Robots,
}

impl Page {
    /// The page's URL path, e.g. `/guong/doan-xa-dien-quan/`.
    pub fn url(&self, index: &SiteIndex<'_>) -> String {
        match self {
            Page::Home => routes::HOME.into(),
            Page::Story(i) => routes::story(&index.stories[*i].slug),
            Page::MovementList => routes::MOVEMENTS.into(),
            Page::UnitList => routes::UNITS.into(),
            Page::LocalityList => routes::LOCALITIES.into(),
            Page::AwardList => routes::AWARDS.into(),
            Page::TagList => routes::TAGS.into(),
            Page::Movement { paginator, .. }
            | Page::Unit { paginator, .. }
            | Page::Province { paginator, .. }
            | Page::Commune { paginator, .. }
            | Page::Award { paginator, .. }
            | Page::Tag { paginator, .. }
            | Page::Year { paginator, .. }
            | Page::Kind { paginator, .. } => paginator.url(),
            Page::NotFound => routes::NOT_FOUND.into(),
            Page::Search => routes::SEARCH.into(),
            Page::Embed(i) => routes::embed(&index.stories[*i].slug),
            Page::EmbedMovement(m) => routes::movement_embed(&index.movements[*m].id),
            Page::Oembed(i) => routes::oembed(&index.stories[*i].slug),
            Page::Feed { format, movement: None } => routes::feed(format.file()),
            Page::Feed { format, movement: Some(m) } => routes::movement_feed(&index.movements[*m].id, format.file()),
            Page::JsonFeed => routes::JSON_FEED.into(),
            Page::Stats => routes::STATS.into(),
            Page::StatsCsv(t) => routes::stats_csv(routes::STATS_TABLES[*t]),
            Page::StatsJson => routes::STATS_JSON.into(),
            Page::StatsXlsx => routes::STATS_XLSX.into(),
            Page::StatsYear(year) => routes::stats_year(*year),
            Page::StatsYearXlsx(year) => routes::stats_year_xlsx(*year),
            Page::Admin => routes::ADMIN.into(),
            Page::AdminConfig => routes::ADMIN_CONFIG.into(),
            Page::Sitemap => routes::SITEMAP.into(),
            Page::Robots => routes::ROBOTS.into(),
        }
    }

}

/// Every page of the site.
pub fn all_pages(index: &SiteIndex<'_>, config: &crate::config::SiteConfig) -> Vec<Page> {
    let per_page = config.paginate_by;
    let mut pages = vec![Page::Home, Page::MovementList, Page::UnitList, Page::LocalityList, Page::AwardList, Page::NotFound, Page::Search, Page::Sitemap, Page::Robots];
    pages.extend((0..index.stories.len()).flat_map(|i| [Page::Story(i), Page::Embed(i), Page::Oembed(i)]));
    pages.push(Page::JsonFeed);
    pages.extend([Page::Stats, Page::StatsJson, Page::StatsXlsx, Page::Admin]);
    pages.extend(config.editor.is_some().then_some(Page::AdminConfig));
    pages.extend((0..routes::STATS_TABLES.len()).map(Page::StatsCsv));
    pages.extend(index.report_years.iter().flat_map(|&y| [Page::StatsYear(y), Page::StatsYearXlsx(y)]));
    for format in [FeedFormat::Atom, FeedFormat::Rss] {
        pages.push(Page::Feed { format, movement: None });
        pages.extend((0..index.movements.len()).map(|m| Page::Feed { format, movement: Some(m) }));
    }
    pages.extend((0..index.movements.len()).map(Page::EmbedMovement));
    for (i, m) in index.movements.iter().enumerate() {
        let n = index.movement_stories(&m.id).len();
        pages.extend(Paginator::all(&routes::movement(&m.id), n, per_page).into_iter().map(|p| Page::Movement { movement: i, paginator: p }));
    }
    for (i, t) in index.units.iter().enumerate() {
        pages.extend(Paginator::all(&t.url, t.stories.len(), per_page).into_iter().map(|p| Page::Unit { term: i, paginator: p }));
    }
    for (i, p) in index.provinces.iter().enumerate() {
        pages.extend(Paginator::all(&p.term.url, p.term.stories.len(), per_page).into_iter().map(|paginator| Page::Province { province: i, paginator }));
        for (j, c) in p.communes.iter().enumerate() {
            pages.extend(Paginator::all(&c.term.url, c.term.stories.len(), per_page).into_iter().map(|paginator| Page::Commune { province: i, commune: j, paginator }));
        }
    }
    for (i, t) in index.awards.iter().enumerate() {
        pages.extend(Paginator::all(&t.url, t.stories.len(), per_page).into_iter().map(|p| Page::Award { term: i, paginator: p }));
    }
    if !index.tags.is_empty() {
        pages.push(Page::TagList);
    }
    for (i, t) in index.tags.iter().enumerate() {
        pages.extend(Paginator::all(&t.url, t.stories.len(), per_page).into_iter().map(|p| Page::Tag { term: i, paginator: p }));
    }
    for (i, (y, list)) in index.years.iter().enumerate() {
        pages.extend(Paginator::all(&routes::year(y), list.len(), per_page).into_iter().map(|p| Page::Year { year: i, paginator: p }));
    }
    for (i, (k, list)) in index.kinds.iter().enumerate() {
        pages.extend(Paginator::all(&routes::kind(k.id()), list.len(), per_page).into_iter().map(|p| Page::Kind { kind: i, paginator: p }));
    }
    pages
}

/// URLs of list pages (first pages only) for the sitemap.
pub fn list_urls(index: &SiteIndex<'_>) -> Vec<String> {
    let mut urls: Vec<String> = [routes::HOME, routes::MOVEMENTS, routes::UNITS, routes::LOCALITIES, routes::AWARDS].iter().map(|s| s.to_string()).collect();
    urls.extend(index.movements.iter().map(|m| routes::movement(&m.id)));
    urls.extend(index.units.iter().map(|t| t.url.clone()));
    for p in &index.provinces {
        urls.push(p.term.url.clone());
        urls.extend(p.communes.iter().map(|c| c.term.url.clone()));
    }
    urls.extend(index.awards.iter().map(|t| t.url.clone()));
    if !index.tags.is_empty() {
        urls.push(routes::TAGS.to_string());
    }
    urls.extend(index.tags.iter().map(|t| t.url.clone()));
    urls.extend(index.years.iter().map(|(y, _)| routes::year(y)));
    urls.extend(index.kinds.iter().map(|(k, _)| routes::kind(k.id())));
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_pages_are_cut_from_the_oldest_end() {
        // 7 stories, newest first, 2 a page: the first page holds the newest 3, archive pages
        // 2 and 1 the older ones.
        let list = [6, 5, 4, 3, 2, 1, 0];
        let pages = Paginator::all("/phong-trao/x/", list.len(), 2);
        let urls: Vec<String> = pages.iter().map(Paginator::url).collect();
        assert_eq!(urls, ["/phong-trao/x/", "/phong-trao/x/trang/2/", "/phong-trao/x/trang/1/"]);
        let slices: Vec<&[usize]> = pages.iter().map(|p| p.slice(&list)).collect();
        assert_eq!(slices, [&[6, 5, 4][..], &[3, 2], &[1, 0]]);
        assert_eq!(pages[0].next_url.as_deref(), Some("/phong-trao/x/trang/2/"));
        assert_eq!(pages[1].prev_url.as_deref(), Some("/phong-trao/x/"));
        assert_eq!(pages[2].prev_url.as_deref(), Some("/phong-trao/x/trang/2/"));
        assert_eq!(pages[2].next_url, None);
        assert_eq!(Paginator::all("/a/", 0, 10).len(), 1);
        assert_eq!(Paginator::all("/a/", 3, 10)[0].slice(&[2, 1, 0]), &[2, 1, 0]);
    }

    #[test]
    fn a_new_story_changes_the_first_page_only_and_seals_an_archive_page_now_and_then() {
        use std::hash::{Hash, Hasher};
        // Stories numbered by age (0 = the oldest); the list shows them newest first.
        let rendered = |len: usize| -> std::collections::BTreeMap<String, u64> {
            let list: Vec<usize> = (0..len).rev().collect();
            Paginator::all("/a/", len, 3)
                .iter()
                .map(|p| {
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    (p, p.slice(&list)).hash(&mut h);
                    (p.url(), h.finish())
                })
                .collect()
        };
        for len in 0..40 {
            let (before, after) = (rendered(len), rendered(len + 1));
            let changed: Vec<&String> = after.keys().filter(|url| before.get(*url) != after.get(*url)).collect();
            let sealed = after.len() > before.len();
            assert!(changed.contains(&&"/a/".to_string()), "{len}");
            // The first page, the newly sealed page, and the pages whose window now reaches it.
            assert!(changed.len() <= if sealed { 2 + PAGE_WINDOW } else { 1 }, "{len}: {changed:?}");
        }
    }

    #[test]
    fn page_links_are_the_first_page_and_a_window_of_archive_pages() {
        let numbers = |len: usize, page: usize| -> Vec<usize> { Paginator::all("/a/", len, 1)[page].pages.iter().map(|p| p.number).collect() };
        assert_eq!(numbers(1, 0), Vec::<usize>::new());
        assert_eq!(numbers(3, 0), [0, 2, 1]);
        assert_eq!(numbers(20, 0), [0, 19, 18, 17, 16, 1]);
        // The archive page 10 of 19 (the 10th page from the end).
        assert_eq!(numbers(20, 10), [0, 13, 12, 11, 10, 9, 8, 7, 1]);
        assert_eq!(Paginator::all("/a/", 20, 1)[10].pages[1].url, "/a/trang/13/");
    }
}
