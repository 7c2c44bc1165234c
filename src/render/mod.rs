//! Rendering: every page of [`crate::site::pages`] into its file.
//!
//! A page is rendered in two steps. [`Renderer::view`] gathers what it shows into its
//! [`views::PageView`] (references into the model and the site index, nothing rendered yet);
//! [`pages`] turns the view into HTML with the theme's [`templates`], or into JSON, CSV or YAML
//! ([`json`], [`syndication`]). `serve` hashes the view instead of rendering it
//! ([`Renderer::signature`]) to find the pages a change touched.
//!
//! Story bodies are Markdown rendered to sanitised HTML ([`markdown`]) *before* they reach Tera,
//! so story text is never interpreted as a template.

pub mod json;
pub mod markdown;
mod pages;
pub mod syndication;
pub mod templates;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::SiteConfig;
use crate::content::{Content, Kind, LinkTarget, LinkTargets, Story};
use crate::imageproc::ProcessedImage;
use crate::site::index::{KindCount, SiteIndex};
use crate::site::pages::{Page, Paginator};
use crate::site::routes;
use views::{AwardLink, DocumentView, FeedEntry, ListPage, MovementRef, PageView, ProvinceLink, ResolvedLink, StoryBody, StoryLinks, StoryRef, TemplateView, TermLink};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Theme(#[from] crate::theme::ThemeError),
    #[error("mẫu giao diện (template) lỗi: {0}")]
    Template(String),
    #[error("không dựng được trang {page}: {message}")]
    Page { page: String, message: String },
}

/// What the pages are rendered from: the outputs of the earlier stages.
pub struct RenderInput<'a> {
    pub config: &'a SiteConfig,
    pub content: &'a Content,
    pub index: &'a SiteIndex<'a>,
    /// Processed images by source path.
    pub images: &'a HashMap<PathBuf, ProcessedImage>,
    /// Per story, the related stories (indexes into the site index), best first.
    pub related: &'a [Vec<usize>],
    /// The client search index's entry file, written into the search page so that a shared
    /// link's query starts without fetching it ("" when there is none).
    pub search_entry: &'a str,
}

/// Site-wide values every template sees (as `site`).
#[derive(Hash, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    /// Path part of `base_url` ("" or "/subdir"): prefix of every link.
    base_path: String,
    language: &'a str,
    movements: Vec<MovementLink<'a>>,
    publisher: &'a crate::config::Publisher,
    /// The web editor's git host, when `[editor]` is set: what `/admin/` may connect to.
    editor: Option<EditorView>,
}

#[derive(Hash, Serialize)]
struct EditorView {
    /// Origins for the editor's Content-Security-Policy, space-separated.
    origins: String,
}

/// A movement in the site-wide list, with its count of stories.
#[derive(Hash, Serialize)]
struct MovementLink<'a> {
    id: &'a str,
    title: &'a str,
    short_title: &'a str,
    url: String,
    count: usize,
}

/// A paginated list, by its group's position in the site index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Listing {
    Movement(usize),
    Unit(usize),
    Award(usize),
    Tag(usize),
    Province(usize),
    Commune(usize, usize),
    Year(usize),
    Kind(usize),
}

impl Listing {
    fn stories<'i>(self, ix: &'i SiteIndex<'_>) -> &'i [usize] {
        match self {
            Listing::Movement(m) => ix.movement_stories(&ix.movements[m].id),
            Listing::Unit(t) => &ix.units[t].stories,
            Listing::Award(t) => &ix.awards[t].stories,
            Listing::Tag(t) => &ix.tags[t].stories,
            Listing::Province(p) => &ix.provinces[p].term.stories,
            Listing::Commune(p, c) => &ix.provinces[p].communes[c].term.stories,
            Listing::Year(y) => &ix.years[y].1,
            Listing::Kind(k) => &ix.kinds[k].1,
        }
    }
}

/// `n` values, each set when first needed.
fn unset<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// Renders pages from a site's index, keeping what many pages share: the site-wide values, each
/// story's card, each movement's template value and chart, the statistics.
pub struct Renderer<'a> {
    tera: Tera,
    index: &'a SiteIndex<'a>,
    content: &'a Content,
    images: &'a HashMap<PathBuf, ProcessedImage>,
    related: &'a [Vec<usize>],
    /// Where links written in content lead.
    links: LinkTargets<'a>,
    base_url: String,
    base_path: String,
    site_title: String,
    site_description: Option<String>,
    editor: Option<crate::config::EditorConfig>,
    publisher: crate::config::Publisher,
    search_entry: String,
    /// The site-wide values every template gets, and their hash (part of every signature).
    base: Context,
    base_digest: u64,
    /// Per story and per movement (index positions), the digest its views hash.
    story_digests: Vec<OnceLock<u64>>,
    movement_digests: Vec<OnceLock<u64>>,
    /// Per story, its card as a template value, made when first shown.
    card_values: Vec<OnceLock<tera::Value>>,
    /// Per movement, its template value: thousands of story pages link the same few.
    movement_values: Vec<OnceLock<tera::Value>>,
    /// Counts by kind of each paginated list, and each movement's chart: every page of a list
    /// shows them, and counting them per page made list pages quadratic in the list's length.
    list_kinds: Mutex<HashMap<Listing, Arc<Vec<KindCount>>>>,
    movement_charts: Vec<OnceLock<String>>,
    /// The statistics tables of all time and of each year, made when a statistics page's view is
    /// first made.
    stats: OnceLock<Vec<crate::stats::ChartedTable>>,
    year_stats: BTreeMap<i32, OnceLock<Vec<crate::stats::ChartedTable>>>,
}

impl<'a> Renderer<'a> {
    pub fn new(tera: Tera, input: RenderInput<'a>, base_url: &str) -> Self {
        let RenderInput { config, content, index, images, related, search_entry } = input;
        let base_url = base_url.trim_end_matches('/').to_string();
        let base_path = templates::base_path(&base_url);
        let movements = index
            .movements
            .iter()
            .map(|m| MovementLink { id: &m.id, title: &m.title, short_title: m.display_title(), url: routes::movement(&m.id), count: index.movement_stories(&m.id).len() })
            .collect();
        let editor = config.editor.as_ref().map(|e| EditorView { origins: e.origins().join(" ") });
        let site = SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: &base_url,
            base_path: base_path.clone(),
            language: &config.language,
            movements,
            publisher: &config.publisher,
            editor,
        };
        let kind_labels: BTreeMap<&str, &str> = Kind::ALL.iter().map(|k| (k.id(), k.label())).collect();
        let generator = concat!("nguoitot ", env!("CARGO_PKG_VERSION"));
        let mut base = Context::new();
        base.insert("site", &site);
        base.insert("kind_labels", &kind_labels);
        base.insert("generator", generator);
        let base_digest = {
            let mut h = DefaultHasher::new();
            (&site, &kind_labels, generator).hash(&mut h);
            h.finish()
        };
        Renderer {
            tera,
            index,
            content,
            images,
            related,
            links: LinkTargets::new(&content.stories, &content.movements),
            site_title: config.title.clone(),
            site_description: config.description.clone(),
            editor: config.editor.clone(),
            publisher: config.publisher.clone(),
            // `<` written as an escape: nothing in a unit's or place's name can end the script
            // element the entry is written into.
            search_entry: search_entry.replace('<', "\\u003c"),
            base,
            base_digest,
            story_digests: unset(index.stories.len()),
            movement_digests: unset(index.movements.len()),
            card_values: unset(index.stories.len()),
            movement_values: unset(index.movements.len()),
            list_kinds: Mutex::default(),
            movement_charts: unset(index.movements.len()),
            stats: OnceLock::new(),
            year_stats: index.report_years.iter().map(|&y| (y, OnceLock::new())).collect(),
            base_url,
            base_path,
        }
    }

    /// Takes the digests of stories known not to have changed since they were computed
    /// (`serve`, by story source), so that they are not hashed again.
    pub fn with_story_digests(self, known: &HashMap<String, u64>) -> Self {
        for (slot, story) in self.story_digests.iter().zip(&self.index.stories) {
            if let Some(&digest) = known.get(&story.source) {
                let _ = slot.set(digest);
            }
        }
        self
    }

    /// The story digests computed so far, by story source.
    pub fn story_digests(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.index.stories.iter().zip(&self.story_digests).filter_map(|(s, d)| d.get().map(|d| (s.source.as_str(), *d)))
    }

    /// Drops the renderer, freeing its cards' template values on another thread: on a national
    /// site that takes a third of a second, and the build is done when its last file is written.
    pub fn drop_in_background(mut self) {
        let card_values = std::mem::take(&mut self.card_values);
        std::thread::spawn(move || drop(card_values));
    }

    /// Renders one page to its output file (relative, `/`-separated) and contents.
    pub fn render(&self, page: &Page) -> Result<(String, Vec<u8>), RenderError> {
        let path = page.url(self.index);
        let view = self.view(page);
        let contents = pages::render(self, &view, &path).map_err(|e| RenderError::Page { page: path.clone(), message: templates::message(&e) })?;
        Ok((routes::output_file(&path), contents))
    }

    /// What `page` shows, hashed without rendering it: equal signatures, equal files. `serve`
    /// re-renders the pages whose signature changed.
    pub fn signature(&self, page: &Page) -> u64 {
        let path = page.url(self.index);
        let mut h = DefaultHasher::new();
        (&path, self.base_digest, self.view(page)).hash(&mut h);
        h.finish()
    }

    /// What `page` shows.
    pub fn view<'p>(&'p self, page: &'p Page) -> PageView<'p> {
        let ix = self.index;
        let all = || (0..ix.stories.len()).collect::<Vec<_>>();
        let template = match page {
            Page::Home => {
                let featured: Vec<usize> = (0..ix.stories.len()).filter(|i| ix.stories[*i].featured).take(6).collect();
                TemplateView::Home {
                    featured: self.stories(&featured),
                    // The newest twelve that are not featured above: each story once on the page.
                    latest: self.stories(&(0..ix.stories.len()).filter(|i| !featured.contains(i)).take(12).collect::<Vec<_>>()),
                    total: ix.stories.len(),
                    kind_counts: ix.kind_counts(&all()),
                }
            }
            Page::Story(i) => TemplateView::Story {
                story: self.story(*i),
                links: self.story_links(*i),
                body: self.story_body(*i),
                related: self.related.get(*i).map_or_else(Vec::new, |r| self.stories(r)),
            },
            Page::Embed(i) => TemplateView::Embed { story: self.story(*i), links: self.story_links(*i) },
            Page::MovementList => TemplateView::Fixed { template: "movements.html" },
            Page::Movement { movement, paginator } => {
                let m = ix.movements[*movement];
                TemplateView::Movement {
                    movement: self.movement(*movement),
                    links: self.resolve_links(&m.links, &m.source),
                    chart: self.movement_chart(*movement),
                    list: self.list_page(Listing::Movement(*movement), paginator),
                }
            }
            Page::EmbedMovement(m) => {
                let list = ix.movement_stories(&ix.movements[*m].id);
                TemplateView::MovementEmbed { movement: self.movement(*m), latest: self.stories(&list[..list.len().min(5)]), total: list.len() }
            }
            Page::UnitList => TemplateView::Terms {
                heading: "Đơn vị",
                intro: "Các cơ quan, đơn vị, tổ chức có gương điển hình tiên tiến.",
                terms: ix.units.iter().map(TermLink::from).collect(),
            },
            Page::AwardList => TemplateView::Terms {
                heading: "Khen thưởng",
                intro: "Các hình thức khen thưởng, xếp từ cao xuống thấp.",
                terms: ix.awards.iter().map(TermLink::from).collect(),
            },
            Page::TagList => TemplateView::Terms {
                heading: "Từ khóa",
                intro: "Các từ khóa ghi trong bài, mỗi từ khóa một trang các gương điển hình.",
                terms: ix.tags.iter().map(TermLink::from).collect(),
            },
            Page::Tag { term, paginator } => {
                TemplateView::Term { term: (&ix.tags[*term]).into(), section: ("Từ khóa", routes::TAGS), list: self.list_page(Listing::Tag(*term), paginator) }
            }
            Page::Unit { term, paginator } => {
                TemplateView::Term { term: (&ix.units[*term]).into(), section: ("Đơn vị", routes::UNITS), list: self.list_page(Listing::Unit(*term), paginator) }
            }
            Page::Award { term, paginator } => {
                TemplateView::Term { term: (&ix.awards[*term]).into(), section: ("Khen thưởng", routes::AWARDS), list: self.list_page(Listing::Award(*term), paginator) }
            }
            Page::LocalityList => TemplateView::Localities { provinces: ix.provinces.iter().map(ProvinceLink::from).collect() },
            Page::Province { province, paginator } => {
                TemplateView::Province { province: (&ix.provinces[*province]).into(), list: self.list_page(Listing::Province(*province), paginator) }
            }
            Page::Commune { province, commune, paginator } => {
                let p = &ix.provinces[*province];
                TemplateView::Commune {
                    province: (&p.term).into(),
                    commune: (&p.communes[*commune].term).into(),
                    list: self.list_page(Listing::Commune(*province, *commune), paginator),
                }
            }
            Page::Year { year, paginator } => TemplateView::Year {
                year: ix.years[*year].0,
                years: ix.years.iter().map(|(y, l)| (*y, l.len())).collect(),
                list: self.list_page(Listing::Year(*year), paginator),
            },
            Page::Kind { kind, paginator } => {
                let k = ix.kinds[*kind].0;
                TemplateView::Kind { kind: (k.id(), k.label()), list: self.list_page(Listing::Kind(*kind), paginator) }
            }
            Page::Feed { format, movement } => {
                let (list, title, page_url) = match movement {
                    None => (all(), self.site_title.clone(), routes::HOME.to_string()),
                    Some(m) => {
                        let mv = ix.movements[*m];
                        (ix.movement_stories(&mv.id).to_vec(), format!("{} — {}", mv.title, self.site_title), routes::movement(&mv.id))
                    }
                };
                let updated = list.iter().map(|i| ix.stories[*i].updated.unwrap_or(ix.stories[*i].date)).max();
                TemplateView::Feed { format: *format, title, page_url, entries: self.feed_entries(&list), updated }
            }
            Page::Stats => TemplateView::Stats { year: None, years: self.stats_years(), tables: self.stats() },
            Page::StatsYear(year) => TemplateView::Stats { year: Some(*year), years: self.stats_years(), tables: self.year_stats(*year) },
            Page::Sitemap => TemplateView::Sitemap {
                stories: ix.stories.iter().map(|s| (routes::story(&s.slug), s.updated.unwrap_or(s.date))).collect(),
                other_urls: crate::site::pages::list_urls(ix),
            },
            Page::NotFound => TemplateView::Fixed { template: "404.html" },
            Page::Search => TemplateView::Search { entry: &self.search_entry },
            Page::Admin => TemplateView::Fixed { template: "admin.html" },
            Page::Robots => TemplateView::Fixed { template: "robots.txt" },
            Page::Oembed(i) => return PageView::Document(DocumentView::Oembed { story: self.story(*i), unit: self.story_links(*i).unit }),
            Page::JsonFeed => return PageView::Document(DocumentView::JsonFeed { entries: self.feed_entries(&all()) }),
            Page::StatsCsv(t) => return PageView::Document(DocumentView::StatsCsv { table: &self.stats()[*t].table }),
            Page::StatsJson => return PageView::Document(DocumentView::StatsJson { tables: self.stats() }),
            Page::StatsXlsx => return PageView::Document(DocumentView::StatsXlsx { tables: self.stats() }),
            Page::StatsYearXlsx(year) => return PageView::Document(DocumentView::StatsXlsx { tables: self.year_stats(*year) }),
            Page::AdminConfig => return PageView::Document(DocumentView::AdminConfig { movements: &self.content.movements, awards: &self.content.awards, written: crate::authoring::WrittenValues::of(self.content) }),
        };
        PageView::Template(template)
    }

    /// The absolute address of a story's share image (its 1200×630 crop, `imageproc::OG_SIZE`),
    /// which Open Graph, JSON-LD, oEmbed and the feeds name.
    pub(crate) fn share_image_url(&self, story: &StoryRef<'_>) -> Option<String> {
        story.photo.and_then(|p| p.og.as_ref()).map(|og| format!("{}{og}", self.base_url))
    }

    fn story(&self, i: usize) -> StoryRef<'_> {
        let story = self.index.stories[i];
        StoryRef { position: i, story, photo: self.photo(story), digest: &self.story_digests[i] }
    }

    fn stories(&self, list: &[usize]) -> Vec<StoryRef<'_>> {
        list.iter().map(|&i| self.story(i)).collect()
    }

    fn movement(&self, m: usize) -> MovementRef<'_> {
        MovementRef { position: m, movement: self.index.movements[m], digest: &self.movement_digests[m] }
    }

    fn photo(&self, story: &Story) -> Option<&'a ProcessedImage> {
        story.photo.as_ref().and_then(|p| self.images.get(&p.path))
    }

    fn story_body(&self, i: usize) -> StoryBody<'_> {
        let story = self.index.stories[i];
        StoryBody {
            story: self.story(i),
            images: story.images.iter().map(|image| self.images.get(&image.path)).collect(),
            links: self.resolve_links(&story.links, &story.source),
        }
    }

    /// Where the local links of a story or movement (from `source`) lead now.
    fn resolve_links<'s>(&'s self, links: &'s [(String, crate::diagnostics::Position)], source: &str) -> Vec<ResolvedLink<'s>> {
        links.iter().map(|(url, _)| (url.as_str(), self.links.resolve(url, Path::new(source)))).collect()
    }

    /// The groups story `i` links to.
    fn story_links(&self, i: usize) -> StoryLinks<'_> {
        let ix = self.index;
        let story = ix.stories[i];
        let (province, commune) = match ix.place_of[i] {
            Some((p, c)) => (Some((&ix.provinces[p].term).into()), c.map(|c| (&ix.provinces[p].communes[c].term).into())),
            None => (None, None),
        };
        let mut awards: Vec<AwardLink> = story.awards.iter().zip(&ix.award_terms[i]).map(|(a, &t)| AwardLink { award: a, url: &ix.awards[t].url }).collect();
        awards.sort_by_key(|a| (a.award.rank.unwrap_or(usize::MAX), std::cmp::Reverse(a.award.year)));
        StoryLinks {
            movements: story.movements.iter().filter_map(|id| ix.movements.iter().position(|m| &m.id == id)).map(|m| self.movement(m)).collect(),
            unit: ix.unit_of[i].map(|u| (&ix.units[u]).into()),
            province,
            commune,
            awards,
            tags: ix.tag_terms[i].iter().map(|&t| (&ix.tags[t]).into()).collect(),
        }
    }

    fn list_page<'p>(&'p self, listing: Listing, paginator: &'p Paginator) -> ListPage<'p> {
        let list = listing.stories(self.index);
        ListPage { paginator, stories: self.stories(paginator.slice(list)), kind_counts: self.kind_counts(listing), total: list.len() }
    }

    fn feed_entries(&self, list: &[usize]) -> Vec<FeedEntry<'_>> {
        let ix = self.index;
        list.iter()
            .take(syndication::FEED_ITEMS)
            .map(|&i| FeedEntry {
                body: self.story_body(i),
                movements: (0..ix.movements.len()).filter(|m| ix.stories[i].movements.contains(&ix.movements[*m].id)).map(|m| self.movement(m)).collect(),
            })
            .collect()
    }

    /// Counts by kind of a list's stories, made once per list.
    fn kind_counts(&self, listing: Listing) -> Arc<Vec<KindCount>> {
        let mut made = self.list_kinds.lock().expect("no render panicked while counting");
        made.entry(listing).or_insert_with(|| Arc::new(self.index.kind_counts(listing.stories(self.index)))).clone()
    }

    /// The chart of movement `m`'s stories by kind, made once.
    fn movement_chart(&self, m: usize) -> &str {
        self.movement_charts[m].get_or_init(|| crate::stats::movement_chart(self.index, self.index.movements[m]))
    }

    fn stats(&self) -> &[crate::stats::ChartedTable] {
        self.stats.get_or_init(|| crate::stats::charted(self.index, crate::stats::Period::default()))
    }

    fn year_stats(&self, year: i32) -> &[crate::stats::ChartedTable] {
        let slot = self.year_stats.get(&year).expect("a year page for each of the index's report years");
        slot.get_or_init(|| crate::stats::charted(self.index, crate::stats::Period::year(year)))
    }

    /// The years with statistics pages, oldest first.
    fn stats_years(&self) -> Vec<i32> {
        self.year_stats.keys().copied().collect()
    }

    /// Where a link written in content leads, with `url_prefix` (the base path for pages, the
    /// base URL for feeds) before addresses of the site. `resolved` are the local links of the
    /// text being rendered; other links lead where they say.
    fn link(&self, url: &str, resolved: &[ResolvedLink<'_>], source: &str, url_prefix: &str) -> Option<String> {
        let target = match resolved.iter().find(|(written, _)| *written == url) {
            Some((_, target)) => target.clone(),
            None => self.links.resolve(url, Path::new(source)),
        };
        let page = match target {
            LinkTarget::Page(page) => page,
            LinkTarget::Story(slug) => routes::story(slug),
            LinkTarget::Movement(id) => routes::movement(id),
            _ if url.starts_with('/') => return Some(format!("{url_prefix}{url}")),
            _ => return None,
        };
        let fragment = url.find('#').map(|i| &url[i..]).unwrap_or("");
        Some(format!("{url_prefix}{page}{}", if page.contains('#') { "" } else { fragment }))
    }
}
