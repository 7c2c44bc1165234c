//! What each kind of page shows: one view struct per page kind, holding references into the
//! model and the site index — everything its template (or JSON writer) is given besides the
//! site-wide values. [`super::pages`] turns a view into its output and reads nothing else of the
//! site.
//!
//! Every view derives `Hash`, and `serve`'s signature of a page is the hash of its view
//! ([`super::Renderer::signature`]): a page whose view hashes the same renders the same, so a
//! change to anything a page shows re-renders it, and a field added to a view is a field hashed.
//! Stories and movements are hashed through their digest (their derived `Hash`, every field),
//! made once per renderer — a story shows on a dozen pages — and kept by `serve` for the stories
//! that did not change.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::authoring::WrittenValues;
use crate::content::{Award, AwardVocabulary, LinkTarget, Movement, Story};
use crate::imageproc::ProcessedImage;
use crate::site::index::{KindCount, ProvinceGroup, Term};
use crate::site::pages::{FeedFormat, Paginator};
use crate::stats::{ChartedTable, Table};

/// A story as pages show it in lists and links: its card.
#[derive(Clone, Copy)]
pub struct StoryRef<'a> {
    /// Position in the site index.
    pub position: usize,
    pub story: &'a Story,
    /// The processed photo, when the story has one.
    pub photo: Option<&'a ProcessedImage>,
    pub(super) digest: &'a OnceLock<u64>,
}

impl StoryRef<'_> {
    /// The hash of everything the story holds and of its processed photo.
    pub fn digest(&self) -> u64 {
        *self.digest.get_or_init(|| story_digest(self.story, self.photo))
    }
}

impl Hash for StoryRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.digest().hash(state);
    }
}

/// What a [`StoryRef`] hashes: the story, every field, and its processed photo.
pub fn story_digest(story: &Story, photo: Option<&ProcessedImage>) -> u64 {
    let mut h = DefaultHasher::new();
    (story, photo).hash(&mut h);
    h.finish()
}

/// A movement as pages show and link it.
#[derive(Clone, Copy)]
pub struct MovementRef<'a> {
    /// Position in the site index.
    pub position: usize,
    pub movement: &'a Movement,
    pub(super) digest: &'a OnceLock<u64>,
}

impl Hash for MovementRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.digest
            .get_or_init(|| {
                let mut h = DefaultHasher::new();
                self.movement.hash(&mut h);
                h.finish()
            })
            .hash(state);
    }
}

/// A unit, award, province or commune as a link: what templates get of a [`Term`].
#[derive(Debug, Clone, Copy, PartialEq, Hash, Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub count: usize,
    /// Award rank (0 highest); `None` for other terms or awards outside the vocabulary.
    pub rank: Option<usize>,
    /// The province of a unit or commune.
    pub province: Option<&'a str>,
}

impl<'a> From<&'a Term> for TermLink<'a> {
    fn from(t: &'a Term) -> Self {
        TermLink { name: &t.name, slug: &t.slug, url: &t.url, count: t.count, rank: t.rank, province: t.province }
    }
}

/// A province with its communes that have stories.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct ProvinceLink<'a> {
    #[serde(flatten)]
    pub term: TermLink<'a>,
    pub communes: Vec<TermLink<'a>>,
}

impl<'a> From<&'a ProvinceGroup> for ProvinceLink<'a> {
    fn from(p: &'a ProvinceGroup) -> Self {
        ProvinceLink { term: (&p.term).into(), communes: p.communes.iter().map(|c| (&c.term).into()).collect() }
    }
}

/// A link written in content (by its URL as written) and where it leads.
pub type ResolvedLink<'a> = (&'a str, LinkTarget<'a>);

/// A story's body as its page and its feed entries show it: the story, its processed body images
/// (in the order of [`Story::images`]) and where its local links lead.
#[derive(Clone, Hash)]
pub struct StoryBody<'a> {
    pub story: StoryRef<'a>,
    pub images: Vec<Option<&'a ProcessedImage>>,
    pub links: Vec<ResolvedLink<'a>>,
}

/// An award of a story with the page of its title.
#[derive(Clone, Copy, Hash, Serialize)]
pub struct AwardLink<'a> {
    #[serde(flatten)]
    pub award: &'a Award,
    pub url: &'a str,
}

/// The groups a story belongs to, as its page and embed card link them.
#[derive(Clone, Hash)]
pub struct StoryLinks<'a> {
    pub movements: Vec<MovementRef<'a>>,
    pub unit: Option<TermLink<'a>>,
    pub province: Option<TermLink<'a>>,
    pub commune: Option<TermLink<'a>>,
    /// Highest rank first, then newest.
    pub awards: Vec<AwardLink<'a>>,
    /// In the story's order.
    pub tags: Vec<TermLink<'a>>,
}

/// One page of a paginated list of stories.
#[derive(Clone, Hash)]
pub struct ListPage<'a> {
    pub paginator: &'a Paginator,
    pub stories: Vec<StoryRef<'a>>,
    /// Counts by kind of the whole list.
    pub kind_counts: Arc<Vec<KindCount>>,
    pub total: usize,
}

/// A feed's entry: the story's body, and the titles of its movements as categories.
#[derive(Clone, Hash)]
pub struct FeedEntry<'a> {
    pub body: StoryBody<'a>,
    pub movements: Vec<MovementRef<'a>>,
}

/// What one page shows: a page of the theme's templates, or a document written without them.
#[derive(Clone, Hash)]
pub enum PageView<'a> {
    Template(TemplateView<'a>),
    Document(DocumentView<'a>),
}

/// What a page rendered with a template shows, by kind of page.
#[derive(Clone, Hash)]
pub enum TemplateView<'a> {
    Home { featured: Vec<StoryRef<'a>>, latest: Vec<StoryRef<'a>>, total: usize, kind_counts: Vec<KindCount> },
    Story { story: StoryRef<'a>, links: StoryLinks<'a>, body: StoryBody<'a>, related: Vec<StoryRef<'a>> },
    /// A story's card for other sites' iframes.
    Embed { story: StoryRef<'a>, links: StoryLinks<'a> },
    Movement { movement: MovementRef<'a>, links: Vec<ResolvedLink<'a>>, chart: &'a str, list: ListPage<'a> },
    /// A movement's latest stories for other sites' iframes.
    MovementEmbed { movement: MovementRef<'a>, latest: Vec<StoryRef<'a>>, total: usize },
    /// The units or the awards.
    Terms { heading: &'static str, intro: &'static str, terms: Vec<TermLink<'a>> },
    /// One unit or award; `section` is the list it belongs to, with its address.
    Term { term: TermLink<'a>, section: (&'static str, &'static str), list: ListPage<'a> },
    Localities { provinces: Vec<ProvinceLink<'a>> },
    Province { province: ProvinceLink<'a>, list: ListPage<'a> },
    Commune { province: TermLink<'a>, commune: TermLink<'a>, list: ListPage<'a> },
    Year { year: i32, years: Vec<(i32, usize)>, list: ListPage<'a> },
    Kind { kind: (&'static str, &'static str), list: ListPage<'a> },
    Feed { format: FeedFormat, title: String, page_url: String, entries: Vec<FeedEntry<'a>>, updated: Option<chrono::NaiveDate> },
    /// `/thong-ke/` (`year` none) or one year's statistics, with the years that have a page.
    Stats { year: Option<i32>, years: Vec<i32>, tables: &'a [ChartedTable] },
    Sitemap { stories: Vec<(String, chrono::NaiveDate)>, other_urls: Vec<String> },
    /// Pages made of the site-wide values and their template alone (the movements list, search,
    /// 404, the web editor, robots.txt).
    Fixed { template: &'static str },
    /// The search page, with the search index's entry file written into it.
    Search { entry: &'a str },
}

/// What a document written without templates shows.
#[derive(Clone, Hash)]
pub enum DocumentView<'a> {
    /// A story's oEmbed response.
    /// The story and its unit (the oEmbed author).
    Oembed { story: StoryRef<'a>, unit: Option<TermLink<'a>> },
    JsonFeed { entries: Vec<FeedEntry<'a>> },
    StatsCsv { table: &'a Table },
    StatsJson { tables: &'a [ChartedTable] },
    StatsXlsx { tables: &'a [ChartedTable] },
    /// The web editor's configuration: the movements, the award vocabulary, and the values the
    /// site's files hold that its lists lack (so that every file opens in the form as it is).
    AdminConfig { movements: &'a [Movement], awards: &'a AwardVocabulary, written: WrittenValues<'a> },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What templates get of a term: its fields but its story list.
    #[test]
    fn term_links_serialise_as_terms_did() {
        let term = Term {
            name: "Xã Thượng Hà".into(),
            slug: "xa-thuong-ha".into(),
            url: "/dia-phuong/lao-cai/xa-thuong-ha/".into(),
            stories: vec![3, 1],
            count: 2,
            rank: None,
            province: Some("Lào Cai"),
        };
        let value = tera::Value::from_serializable(&TermLink::from(&term));
        let expected = tera::Value::from_serializable(&serde_json::json!({
            "name": "Xã Thượng Hà", "slug": "xa-thuong-ha", "url": "/dia-phuong/lao-cai/xa-thuong-ha/", "count": 2, "rank": null, "province": "Lào Cai"
        }));
        assert_eq!(value, expected);
    }
}
