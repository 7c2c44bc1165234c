//! Every page of the site, enumerated from the index, with its URL and pagination.

use serde::Serialize;

use super::index::SiteIndex;

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
}

/// Which slice of a list a page shows. Page 1 is at the list's URL, page n at `…/trang/n/`.
#[derive(Debug, Clone, Serialize)]
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
        let url = |n: usize| if n == 1 { base_url.to_string() } else { format!("{base_url}trang/{n}/") };
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
        if self.current == 1 { self.base_url.clone() } else { format!("{}trang/{}/", self.base_url, self.current) }
    }

    pub fn slice<'l>(&self, list: &'l [usize]) -> &'l [usize] {
        let start = ((self.current - 1) * self.per_page).min(list.len());
        let end = (start + self.per_page).min(list.len());
        &list[start..end]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    LocalityList,
    Locality { district: usize, paginator: Paginator },
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
            Page::Home => "/".into(),
            Page::Story(i) => index.stories[*i].url.clone(),
            Page::MovementList => "/phong-trao/".into(),
            Page::UnitList => "/don-vi/".into(),
            Page::LocalityList => "/dia-phuong/".into(),
            Page::AwardList => "/khen-thuong/".into(),
            Page::Movement { paginator, .. }
            | Page::Unit { paginator, .. }
            | Page::Locality { paginator, .. }
            | Page::Award { paginator, .. }
            | Page::Year { paginator, .. }
            | Page::Kind { paginator, .. } => paginator.url(),
            Page::NotFound => "/404.html".into(),
            Page::Search => "/tim-kiem/".into(),
            Page::Embed(i) => super::syndication::embed_path(&index.stories[*i].slug),
            Page::EmbedMovement(m) => format!("/nhung/phong-trao/{}/", index.movements[*m].id),
            Page::Oembed(i) => format!("/oembed/{}.json", index.stories[*i].slug),
            Page::Feed { format, movement: None } => format!("/{}", format.file()),
            Page::Feed { format, movement: Some(m) } => format!("{}{}", index.movements[*m].url, format.file()),
            Page::JsonFeed => "/feed.json".into(),
            Page::Stats => "/thong-ke/".into(),
            Page::StatsCsv(t) => format!("/thong-ke/{}.csv", crate::stats::TABLE_IDS[*t]),
            Page::StatsJson => "/thong-ke/thong-ke.json".into(),
            Page::Admin => "/admin/".into(),
            Page::AdminConfig => "/admin/config.yml".into(),
            Page::Sitemap => "/sitemap.xml".into(),
            Page::Robots => "/robots.txt".into(),
        }
    }

}

/// The file written for a URL path, relative to the output folder (`/a/` → `a/index.html`).
pub fn output_file(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// Every page of the site.
pub fn all_pages(index: &SiteIndex<'_>, per_page: usize) -> Vec<Page> {
    let mut pages = vec![Page::Home, Page::MovementList, Page::UnitList, Page::LocalityList, Page::AwardList, Page::NotFound, Page::Search, Page::Sitemap, Page::Robots];
    pages.extend((0..index.stories.len()).flat_map(|i| [Page::Story(i), Page::Embed(i), Page::Oembed(i)]));
    pages.push(Page::JsonFeed);
    pages.extend([Page::Stats, Page::StatsJson, Page::Admin, Page::AdminConfig]);
    pages.extend((0..crate::stats::TABLE_IDS.len()).map(Page::StatsCsv));
    for format in [FeedFormat::Atom, FeedFormat::Rss] {
        pages.push(Page::Feed { format, movement: None });
        pages.extend((0..index.movements.len()).map(|m| Page::Feed { format, movement: Some(m) }));
    }
    pages.extend((0..index.movements.len()).map(Page::EmbedMovement));
    for (i, m) in index.movements.iter().enumerate() {
        let n = index.movement_stories(&m.id).len();
        pages.extend(Paginator::all(&m.url, n, per_page).into_iter().map(|p| Page::Movement { movement: i, paginator: p }));
    }
    for (i, t) in index.units.iter().enumerate() {
        pages.extend(Paginator::all(&t.url, t.stories.len(), per_page).into_iter().map(|p| Page::Unit { term: i, paginator: p }));
    }
    for (i, d) in index.districts.iter().enumerate() {
        pages.extend(Paginator::all(&d.term.url, d.term.stories.len(), per_page).into_iter().map(|p| Page::Locality { district: i, paginator: p }));
    }
    for (i, t) in index.awards.iter().enumerate() {
        pages.extend(Paginator::all(&t.url, t.stories.len(), per_page).into_iter().map(|p| Page::Award { term: i, paginator: p }));
    }
    for (i, (y, list)) in index.years.iter().enumerate() {
        pages.extend(Paginator::all(&format!("/nam/{y}/"), list.len(), per_page).into_iter().map(|p| Page::Year { year: i, paginator: p }));
    }
    for (i, (k, list)) in index.kinds.iter().enumerate() {
        pages.extend(Paginator::all(&format!("/loai/{}/", k.id()), list.len(), per_page).into_iter().map(|p| Page::Kind { kind: i, paginator: p }));
    }
    pages
}

/// URLs of list pages (first pages only) for the sitemap.
pub fn list_urls(index: &SiteIndex<'_>) -> Vec<String> {
    let mut urls: Vec<String> = ["/", "/phong-trao/", "/don-vi/", "/dia-phuong/", "/khen-thuong/"].iter().map(|s| s.to_string()).collect();
    urls.extend(index.movements.iter().map(|m| m.url.clone()));
    urls.extend(index.units.iter().map(|t| t.url.clone()));
    urls.extend(index.districts.iter().map(|d| d.term.url.clone()));
    urls.extend(index.awards.iter().map(|t| t.url.clone()));
    urls.extend(index.years.iter().map(|(y, _)| format!("/nam/{y}/")));
    urls.extend(index.kinds.iter().map(|(k, _)| format!("/loai/{}/", k.id())));
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
