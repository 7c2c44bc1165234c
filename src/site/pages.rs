//! Every page of the site, enumerated from the index, with its URL and pagination.

use serde::Serialize;

use super::index::SiteIndex;
use super::routes;

#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
}

/// Which slice of a list a page shows. Page 1 is at the list's URL, page n at `…/trang/n/`.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Paginator {
    pub base_url: String,
    pub current: usize,
    pub total_pages: usize,
    pub per_page: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Paginator {
    /// All pages of a list of `len` items under `base_url`.
    pub fn all(base_url: &str, len: usize, per_page: usize) -> Vec<Paginator> {
        let total_pages = len.div_ceil(per_page).max(1);
        let url = |n: usize| routes::list_page(base_url, n);
        (1..=total_pages)
            .map(|current| Paginator {
                base_url: base_url.to_string(),
                current,
                total_pages,
                per_page,
                prev_url: (current > 1).then(|| url(current - 1)),
                next_url: (current < total_pages).then(|| url(current + 1)),
                // Only a window of page links (the first, the last, three either side): lists of
                // thousands of pages stay small, and making them stays linear.
                pages: std::iter::once(1)
                    .chain(current.saturating_sub(3).max(2)..=(current + 3).min(total_pages.saturating_sub(1)))
                    .chain((total_pages > 1).then_some(total_pages))
                    .map(|n| PageLink { number: n, url: url(n) })
                    .collect(),
            })
            .collect()
    }

    pub fn url(&self) -> String {
        routes::list_page(&self.base_url, self.current)
    }

    pub fn slice<'l>(&self, list: &'l [usize]) -> &'l [usize] {
        let start = ((self.current - 1) * self.per_page).min(list.len());
        let end = (start + self.per_page).min(list.len());
        &list[start..end]
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
            Page::Movement { paginator, .. }
            | Page::Unit { paginator, .. }
            | Page::Province { paginator, .. }
            | Page::Commune { paginator, .. }
            | Page::Award { paginator, .. }
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
    pages.extend([Page::Stats, Page::StatsJson, Page::Admin]);
    pages.extend(config.editor.is_some().then_some(Page::AdminConfig));
    pages.extend((0..routes::STATS_TABLES.len()).map(Page::StatsCsv));
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
    urls.extend(index.years.iter().map(|(y, _)| routes::year(y)));
    urls.extend(index.kinds.iter().map(|(k, _)| routes::kind(k.id())));
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginates_with_trang_urls() {
        let pages = Paginator::all("/phong-trao/x/", 5, 2);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].url(), "/phong-trao/x/");
        assert_eq!(pages[1].url(), "/phong-trao/x/trang/2/");
        assert_eq!(pages[1].prev_url.as_deref(), Some("/phong-trao/x/"));
        assert_eq!(pages[2].slice(&[0, 1, 2, 3, 4]), &[4]);
        assert_eq!(Paginator::all("/a/", 0, 10).len(), 1);
    }

    #[test]
    fn page_links_are_the_ends_and_a_window_around_the_current_page() {
        let numbers = |len: usize, current: usize| -> Vec<usize> { Paginator::all("/a/", len, 1)[current - 1].pages.iter().map(|p| p.number).collect() };
        assert_eq!(numbers(1, 1), [1]);
        assert_eq!(numbers(2, 2), [1, 2]);
        assert_eq!(numbers(5, 3), [1, 2, 3, 4, 5]);
        assert_eq!(numbers(20, 1), [1, 2, 3, 4, 20]);
        assert_eq!(numbers(20, 10), [1, 7, 8, 9, 10, 11, 12, 13, 20]);
        assert_eq!(numbers(20, 20), [1, 17, 18, 19, 20]);
        assert_eq!(Paginator::all("/a/", 20, 1)[9].pages[1].url, "/a/trang/7/");
    }
}
