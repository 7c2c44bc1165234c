//! Rendering pages with Tera.
//!
//! Tera 2 was chosen over Tera 1: it is the maintained line (Zola 0.23 moved to it), it errors on
//! undefined variables instead of printing nothing, and it renders faster. Templates come from
//! `themes/<theme>/templates/`; a site overrides any of them with a file of the same name in
//! `<root>/templates/`. Story bodies are Markdown rendered to sanitized HTML *before* they reach
//! Tera, so story text is never interpreted as a template.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};
use walkdir::WalkDir;

use super::index::{KindCount, SiteIndex, Term};
use super::pages::{FeedFormat, Page, Paginator};
use super::syndication::{self, FeedItem};
use crate::imageproc::ProcessedImage;
use crate::config::SiteConfig;
use crate::content::{markdown, Award, Kind, Story};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("không tìm thấy thư mục mẫu giao diện {0}")]
    MissingTheme(PathBuf),
    #[error("mẫu giao diện (template) lỗi: {0}")]
    Template(String),
    #[error("không dựng được trang {page}: {message}")]
    Page { page: String, message: String },
}

/// Full Tera error text (Tera puts the useful part in the source chain).
fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// The path part of a base URL ("" or "/subdir"): the prefix of every link.
pub fn base_path(base_url: &str) -> String {
    base_url
        .trim_end_matches('/')
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default()
}

/// Loads the theme's templates, then the site's overrides.
pub fn load_templates(root: &Path, config: &SiteConfig) -> Result<Tera, RenderError> {
    let theme_dir = root.join("themes").join(&config.theme).join("templates");
    if !theme_dir.is_dir() {
        return Err(RenderError::MissingTheme(theme_dir));
    }
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [theme_dir, root.join("templates")] {
        for entry in WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
            let name = entry.path().strip_prefix(&dir).expect("walked under dir").to_string_lossy().replace('\\', "/");
            by_name.insert(name, entry.into_path());
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("ngay", format_date);
    tera.register_filter("urlencode", url_encode);
    tera.add_template_files(by_name.iter().map(|(name, path)| (path, Some(name.as_str()))))
        .map_err(|e| RenderError::Template(tera_message(&e)))?;
    Ok(tera)
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for share links).
fn url_encode(value: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// "2022-03-15" → "15/03/2022", the way dates are written in Vietnamese documents.
fn format_date(value: &str, _: Kwargs, _: &State) -> String {
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => value.to_string(),
    }
}

/// Site-wide values every template sees.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    /// Path part of `base_url` ("" or "/subdir"): prefix of every link.
    base_path: String,
    language: &'a str,
    movements: Vec<MovementLink<'a>>,
}

#[derive(Serialize)]
struct MovementLink<'a> {
    id: &'a str,
    title: &'a str,
    short_title: &'a str,
    url: &'a str,
    count: usize,
}

/// A story in a list: the model plus what templates need to label it.
#[derive(Serialize)]
struct StoryCard<'a> {
    #[serde(flatten)]
    story: &'a Story,
    kind_label: &'static str,
    year: i32,
    /// Highest-ranked award, for list badges.
    top_award: Option<&'a Award>,
    photo_out: Option<&'a ProcessedImage>,
    /// `<picture>` markup of the photo, for cards and the story page.
    photo_html: Option<String>,
}

/// What a story's page and its embed card show besides its card (they see both as `story`): its
/// links to every group it belongs to, and on the page itself the body and what only the page shows.
#[derive(Serialize)]
struct StoryPage<'a> {
    /// The groups come from [`GroupValues`], passed through as they are.
    movements: Vec<tera::Value>,
    unit_link: Option<tera::Value>,
    district_link: Option<tera::Value>,
    commune_link: Option<tera::Value>,
    awards_sorted: Vec<AwardLink<'a>>,
    year_url: String,
    kind_url: String,
    /// `None` for the embed card, which shows none of it.
    #[serde(flatten)]
    page_only: Option<PageOnly>,
}

#[derive(Serialize)]
struct PageOnly {
    body_html: String,
    /// schema.org JSON-LD, already escaped for a script element.
    json_ld: String,
    embed_snippet: String,
    embed_url: String,
    og_image: Option<String>,
    related: Vec<tera::Value>,
}

/// The movements and groups stories link to, as template values made once per build: thousands
/// of story pages link to the same few, and serialising them again for each page (a movement
/// with its criteria) was most of the work of a page's value besides its body.
struct GroupValues {
    movements: Vec<tera::Value>,
    units: Vec<tera::Value>,
    districts: Vec<tera::Value>,
    /// By district, then commune.
    communes: Vec<Vec<tera::Value>>,
}

impl GroupValues {
    fn new(index: &SiteIndex<'_>) -> Self {
        use tera::Value;
        GroupValues {
            movements: index.movements.iter().map(Value::from_serializable).collect(),
            units: index.units.iter().map(Value::from_serializable).collect(),
            districts: index.districts.iter().map(|d| Value::from_serializable(&d.term)).collect(),
            communes: index.districts.iter().map(|d| d.communes.iter().map(Value::from_serializable).collect()).collect(),
        }
    }
}

/// Which view of a story to make.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StoryView {
    Page,
    EmbedCard,
}

#[derive(Serialize)]
struct AwardLink<'a> {
    #[serde(flatten)]
    award: &'a Award,
    url: String,
}

/// The theme's component for a story in a list. Each story's card is rendered with it once per
/// build and given to templates as `card_html`: rendering the component for each of the twenty
/// cards of every list page was a sixth of all rendering at 100,000 stories.
const CARD_COMPONENT: &str = "story_card";

pub struct Renderer<'a> {
    tera: Tera,
    content: &'a crate::content::Content,
    /// Computed when a statistics page is first rendered (`serve` seldom renders one).
    stats: std::sync::OnceLock<Vec<crate::stats::ChartedTable>>,
    /// Where links between stories and movements lead.
    links: crate::content::LinkTargets<'a>,
    /// Per story (index position), its card as a template value, made when first shown.
    card_values: Vec<std::sync::OnceLock<tera::Value>>,
    groups: GroupValues,
    /// Counts by kind of each paginated list, and each movement's chart: every page of a list
    /// shows them, and counting them per page made list pages quadratic in the list's length.
    list_kinds: std::sync::Mutex<HashMap<Listing, std::sync::Arc<Vec<KindCount>>>>,
    movement_charts: Vec<std::sync::OnceLock<String>>,
    base_path: String,
    site_title: String,
    site_description: Option<String>,
    index: &'a SiteIndex<'a>,
    base: Context,
    base_url: String,
    /// Processed images by source path.
    images: &'a HashMap<PathBuf, ProcessedImage>,
    related: &'a [Vec<usize>],
}

/// The story list a paginated page shows one page of, by its group's position in the site index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Listing {
    Movement(usize),
    Unit(usize),
    Award(usize),
    District(usize),
    Year(usize),
    Kind(usize),
}

impl Listing {
    fn stories<'i>(self, ix: &'i SiteIndex<'_>) -> &'i [usize] {
        match self {
            Listing::Movement(m) => ix.movement_stories(&ix.movements[m].id),
            Listing::Unit(t) => &ix.units[t].stories,
            Listing::Award(t) => &ix.awards[t].stories,
            Listing::District(d) => &ix.districts[d].term.stories,
            Listing::Year(y) => &ix.years[y].1,
            Listing::Kind(k) => &ix.kinds[k].1,
        }
    }
}

/// What the pages are rendered from: the outputs of the earlier stages.
pub struct RenderInput<'a> {
    pub config: &'a SiteConfig,
    pub content: &'a crate::content::Content,
    pub index: &'a SiteIndex<'a>,
    /// Processed images by source path.
    pub images: &'a HashMap<PathBuf, ProcessedImage>,
    /// Per story, the related stories (indexes into the site index), best first.
    pub related: &'a [Vec<usize>],
}

impl<'a> Renderer<'a> {
    pub fn new(tera: Tera, input: RenderInput<'a>, base_url: &str) -> Self {
        let RenderInput { config, content, index, images, related } = input;
        let base_url = base_url.trim_end_matches('/').to_string();
        let base_path = base_path(&base_url);
        let movements = index
            .movements
            .iter()
            .map(|m| MovementLink { id: &m.id, title: &m.title, short_title: m.display_title(), url: &m.url, count: index.movement_stories(&m.id).len() })
            .collect();
        let site = SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            base_url: &base_url,
            base_path: base_path.clone(),
            language: &config.language,
            movements,
        };
        let mut base = Context::new();
        base.insert("site", &site);
        let kind_labels: BTreeMap<&str, &str> = Kind::ALL.iter().map(|k| (k.id(), k.label())).collect();
        base.insert("kind_labels", &kind_labels);
        base.insert("generator", concat!("nguoitot ", env!("CARGO_PKG_VERSION")));
        Renderer {
            tera,
            content,
            stats: std::sync::OnceLock::new(),
            card_values: (0..index.stories.len()).map(|_| std::sync::OnceLock::new()).collect(),
            groups: GroupValues::new(index),
            list_kinds: Default::default(),
            movement_charts: (0..index.movements.len()).map(|_| std::sync::OnceLock::new()).collect(),
            links: crate::content::LinkTargets::new(&content.stories, &content.movements),
            base_path,
            site_title: config.title.clone(),
            site_description: config.description.clone(),
            index,
            base,
            base_url,
            images,
            related,
        }
    }

    /// Drops the renderer, freeing its cards' template values on another thread: on a national
    /// site that takes a third of a second, and the build is done when its last file is written.
    pub fn drop_in_background(mut self) {
        let card_values = std::mem::take(&mut self.card_values);
        std::thread::spawn(move || drop(card_values));
    }

    fn stats(&self) -> &[crate::stats::ChartedTable] {
        self.stats.get_or_init(|| crate::stats::charted(self.index))
    }

    /// Path part of the base URL ("" or "/subdir"), prefixed to every link.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    fn photo(&self, i: usize) -> Option<&'a ProcessedImage> {
        self.index.stories[i].photo.as_ref().and_then(|p| self.images.get(&p.path))
    }

    /// The story body with its local images as `<picture>` elements (lazy after the first image
    /// of the page; the photo, when there is one, is the first).
    /// `url_prefix` is the base path for pages and the absolute base URL for feeds.
    fn body_html(&self, i: usize, url_prefix: &str) -> String {
        let story = self.index.stories[i];
        let has_photo = self.photo(i).is_some();
        markdown::to_html_with_images(
            &story.body,
            &|url, alt, first| {
                let image = story.images.iter().find(|im| im.src == url)?;
                self.images.get(&image.path).map(|p| p.picture_html(url_prefix, alt, "(min-width: 60rem) 58rem, 100vw", first && !has_photo))
            },
            &|url| self.link(url, &story.source, url_prefix),
        )
    }

    /// Where a body link leads: `.md` files of stories and movements become their pages.
    fn link(&self, url: &str, source: &str, url_prefix: &str) -> Option<String> {
        match self.links.resolve(url, std::path::Path::new(source)) {
            crate::content::LinkTarget::Page(page) => {
                let fragment = url.find('#').map(|i| &url[i..]).unwrap_or("");
                Some(format!("{url_prefix}{page}{}", if page.contains('#') { "" } else { fragment }))
            }
            _ if url.starts_with('/') => Some(format!("{url_prefix}{url}")),
            _ => None,
        }
    }

    fn card(&self, i: usize) -> StoryCard<'a> {
        let story = self.index.stories[i];
        StoryCard {
            story,
            kind_label: story.kind.label(),
            year: story.year(),
            top_award: story.awards.iter().min_by_key(|a| a.rank.unwrap_or(usize::MAX)),
            photo_out: self.photo(i),
            photo_html: self.photo(i).zip(story.photo.as_ref()).map(|(img, p)| img.picture_html(&self.base_path, &p.alt, "(min-width: 60rem) 58rem, 100vw", true)),
        }
    }

    /// Cards as template values, each story's made once per build: a story shows on a dozen list
    /// and story pages, and template values share their maps when cloned.
    fn cards(&self, list: &[usize]) -> Result<Vec<tera::Value>, tera::Error> {
        list.iter().map(|&i| self.card_value(i)).collect()
    }

    /// Story `i`'s card with, when the theme has a [`CARD_COMPONENT`], that component rendered
    /// as `card_html`: lists show it instead of rendering the component for every page they are on.
    fn card_value(&self, i: usize) -> Result<tera::Value, tera::Error> {
        if let Some(value) = self.card_values[i].get() {
            return Ok(value.clone());
        }
        let mut value = tera::Value::from_serializable(&self.card(i));
        if self.tera.contains_component(CARD_COMPONENT) {
            let mut args = Context::new();
            args.insert_value("story", value.clone());
            let html = self.tera.render_component_with_implicits(CARD_COMPONENT, &args, &self.base, None, true)?;
            let mut map = value.into_map().expect("a card serialises to a map");
            map.insert("card_html".into(), tera::Value::safe_string(&html));
            value = tera::Value::from(map);
        }
        Ok(self.card_values[i].get_or_init(|| value).clone())
    }

    /// Story `i` as its page or its embed card shows it: its card (made once per build) with the
    /// fields of [`StoryPage`] added, rather than the whole story serialised again for each.
    fn story_value(&self, i: usize, view: StoryView) -> Result<tera::Value, tera::Error> {
        let mut story = self.card_value(i)?.into_map().expect("a card serialises to a map");
        story.remove(&tera::value::Key::from("card_html"));
        let page = tera::Value::from_serializable(&self.story_page(i, view)?);
        story.extend(page.into_map().expect("a story page serialises to a map"));
        Ok(tera::Value::from(story))
    }

    /// What story `i`'s page (`StoryView::Page`: with the rendered body) or its embed card shows
    /// besides its card.
    fn story_page(&self, i: usize, view: StoryView) -> Result<StoryPage<'a>, tera::Error> {
        let story = self.index.stories[i];
        let groups = &self.groups;
        let movements = story.movements.iter().filter_map(|id| self.index.movements.iter().position(|m| &m.id == id)).map(|m| groups.movements[m].clone()).collect();
        let (district_link, commune_link) = match self.index.district_of[i] {
            Some((d, c)) => (Some(groups.districts[d].clone()), c.map(|c| groups.communes[d][c].clone())),
            None => (None, None),
        };
        let mut awards_sorted: Vec<AwardLink> =
            story.awards.iter().zip(&self.index.award_terms[i]).map(|(a, &t)| AwardLink { award: a, url: self.index.awards[t].url.clone() }).collect();
        awards_sorted.sort_by_key(|a| (a.award.rank.unwrap_or(usize::MAX), std::cmp::Reverse(a.award.year)));
        let page_only = match view {
            StoryView::EmbedCard => None,
            StoryView::Page => {
                let embed_path = syndication::embed_path(&story.slug);
                let og_image = self.photo(i).and_then(|p| p.og.as_ref()).map(|og| format!("{}{og}", self.base_url));
                Some(PageOnly {
                    body_html: self.body_html(i, &self.base_path),
                    json_ld: syndication::json_ld(story, &self.base_url, og_image.clone()),
                    embed_url: format!("{}{embed_path}", self.base_path),
                    embed_snippet: format!(
                        "{}\n<script src=\"{}/embed.js\" async></script>",
                        syndication::embed_iframe(&self.base_url, &embed_path, &story.title),
                        self.base_url
                    ),
                    og_image,
                    related: match self.related.get(i) {
                        Some(r) => self.cards(r)?,
                        None => Vec::new(),
                    },
                })
            }
        };
        Ok(StoryPage {
            movements,
            unit_link: self.index.unit_of[i].map(|u| groups.units[u].clone()),
            district_link,
            commune_link,
            awards_sorted,
            year_url: format!("/nam/{}/", story.year()),
            kind_url: format!("/loai/{}/", story.kind.id()),
            page_only,
        })
    }

    fn feed_items(&self, stories: &[usize]) -> Vec<FeedItem<'a>> {
        stories
            .iter()
            .take(syndication::FEED_ITEMS)
            .map(|i| {
                let s = self.index.stories[*i];
                let titles = self.index.movements.iter().filter(|m| s.movements.contains(&m.id)).map(|m| m.title.as_str()).collect();
                let origin = self.base_url.strip_suffix(&self.base_path).unwrap_or(&self.base_url);
                syndication::feed_item(s, titles, &self.base_url, syndication::absolutize(&self.body_html(*i, &self.base_path), origin))
            })
            .collect()
    }

    /// Renders one page to its output path (relative, `/`-separated) and content.
    pub fn render(&self, page: &Page) -> Result<(String, Vec<u8>), RenderError> {
        let path = page.url(self.index);
        // JSON outputs come straight from the model.
        match page {
            Page::Oembed(i) => {
                let s = self.index.stories[*i];
                let thumb = self.photo(*i).and_then(|p| p.og.as_ref()).map(|og| (format!("{}{og}", self.base_url), crate::imageproc::OG_SIZE.0, crate::imageproc::OG_SIZE.1));
                return Ok((super::pages::output_file(&path), syndication::oembed(s, &self.site_title, &self.base_url, thumb).into_bytes()));
            }
            Page::AdminConfig => {
                return Ok((super::pages::output_file(&path), crate::authoring::cms_config(self.content, &self.site_title, &self.base_url).into_bytes()));
            }
            Page::StatsCsv(t) => return Ok((super::pages::output_file(&path), self.stats()[*t].table.to_csv().into_bytes())),
            Page::StatsJson => {
                let tables: Vec<&crate::stats::Table> = self.stats().iter().map(|c| &c.table).collect();
                return Ok((super::pages::output_file(&path), serde_json::to_vec_pretty(&tables).expect("stats serialise")));
            }
            Page::JsonFeed => {
                let all: Vec<usize> = (0..self.index.stories.len()).collect();
                let json = syndication::json_feed(&self.site_title, self.site_description.as_deref(), &self.base_url, &self.feed_items(&all));
                return Ok((super::pages::output_file(&path), json.into_bytes()));
            }
            _ => {}
        }
        let mut ctx = self.base.clone();
        ctx.insert("current_path", &path);
        ctx.insert("canonical_url", &format!("{}{}", self.base_url, path));
        let failed = |e: tera::Error| RenderError::Page { page: path.clone(), message: tera_message(&e) };
        let template = self.fill(page, &path, &mut ctx).map_err(failed)?;
        // Straight to bytes: the output is written as bytes, so no second UTF-8 check of every page.
        let mut html = Vec::with_capacity(32 * 1024);
        self.tera.render_to(template, &ctx, &mut html).map_err(failed)?;
        Ok((super::pages::output_file(&path), html))
    }

    /// What `page` shows, hashed from the model, without rendering it: a page whose signature is
    /// unchanged renders to the same file, so `serve` re-renders only pages whose signature changed.
    /// `fingerprints` are [`Story::fingerprint`] by index position. Keep in step with [`Self::fill`]:
    /// each arm names what its template reads. Site-wide movement counts (`site.movements`) are
    /// counted only where the default theme shows them (home, movement list, search).
    pub fn signature(&self, page: &Page, fingerprints: &[u64]) -> u64 {
        let ix = self.index;
        let mut h = DefaultHasher::new();
        page.url(ix).hash(&mut h);
        let stories = |h: &mut DefaultHasher, list: &[usize]| list.iter().for_each(|i| fingerprints[*i].hash(h));
        let list_page = |h: &mut DefaultHasher, listing: Listing, p: &Paginator| {
            let list = listing.stories(ix);
            (p.current, p.total_pages, list.len()).hash(h);
            self.kind_counts(listing).iter().for_each(|k| k.count.hash(h));
            stories(h, p.slice(list));
        };
        let terms = |h: &mut DefaultHasher, terms: &[Term]| terms.iter().for_each(|t| (&t.name, &t.url, t.count).hash(h));
        let movement_counts = |h: &mut DefaultHasher| ix.movements.iter().for_each(|m| ix.movement_stories(&m.id).len().hash(h));
        match page {
            Page::Story(i) | Page::Embed(i) => {
                stories(&mut h, &[*i]);
                ix.unit_of[*i].map(|u| &ix.units[u].url).hash(&mut h);
                if let Some((d, c)) = ix.district_of[*i] {
                    (&ix.districts[d].term.url, c.map(|c| &ix.districts[d].communes[c].url)).hash(&mut h);
                }
                ix.award_terms[*i].iter().for_each(|&t| ix.awards[t].url.hash(&mut h));
                if let (Page::Story(_), Some(related)) = (page, self.related.get(*i)) {
                    stories(&mut h, related);
                }
            }
            Page::Oembed(i) => stories(&mut h, &[*i]),
            Page::Home => {
                let featured: Vec<usize> = (0..ix.stories.len()).filter(|i| ix.stories[*i].featured).take(6).collect();
                stories(&mut h, &featured);
                stories(&mut h, &(0..ix.stories.len().min(12)).collect::<Vec<_>>());
                ix.kind_counts(&(0..ix.stories.len()).collect::<Vec<_>>()).iter().for_each(|k| k.count.hash(&mut h));
                movement_counts(&mut h);
            }
            Page::MovementList | Page::Search => movement_counts(&mut h),
            Page::UnitList => terms(&mut h, &ix.units),
            Page::AwardList => terms(&mut h, &ix.awards),
            Page::LocalityList => ix.districts.iter().for_each(|d| {
                terms(&mut h, std::slice::from_ref(&d.term));
                terms(&mut h, &d.communes);
            }),
            Page::Movement { movement, paginator } => {
                list_page(&mut h, Listing::Movement(*movement), paginator);
                self.movement_chart(*movement).hash(&mut h);
            }
            Page::Unit { term, paginator } => list_page(&mut h, Listing::Unit(*term), paginator),
            Page::Award { term, paginator } => list_page(&mut h, Listing::Award(*term), paginator),
            Page::Locality { district, paginator } => {
                let d = &ix.districts[*district];
                terms(&mut h, &d.communes);
                list_page(&mut h, Listing::District(*district), paginator);
            }
            Page::Year { year, paginator } => {
                ix.years.iter().for_each(|(y, l)| (y, l.len()).hash(&mut h));
                list_page(&mut h, Listing::Year(*year), paginator);
            }
            Page::Kind { kind, paginator } => list_page(&mut h, Listing::Kind(*kind), paginator),
            Page::EmbedMovement(m) => {
                let list = ix.movement_stories(&ix.movements[*m].id);
                list.len().hash(&mut h);
                stories(&mut h, &list[..list.len().min(5)]);
            }
            Page::Feed { movement, .. } => {
                let all: Vec<usize>;
                let list = match movement {
                    Some(m) => ix.movement_stories(&ix.movements[*m].id),
                    None => {
                        all = (0..ix.stories.len()).collect();
                        &all
                    }
                };
                stories(&mut h, &list[..list.len().min(syndication::FEED_ITEMS)]);
                list.iter().map(|i| ix.stories[*i].updated.unwrap_or(ix.stories[*i].date)).max().hash(&mut h);
            }
            Page::JsonFeed => stories(&mut h, &(0..ix.stories.len().min(syndication::FEED_ITEMS)).collect::<Vec<_>>()),
            // Counts over every story, by the groups and fields statistics read.
            Page::Stats | Page::StatsCsv(_) | Page::StatsJson => ix.stories.iter().for_each(|s| {
                (s.kind.id(), s.year(), &s.movements, &s.unit, &s.locality.district, &s.locality.commune, &s.field).hash(&mut h);
                format!("{:?}{:?}", s.sector, s.awards.iter().map(|a| (&a.title, a.year, a.rank)).collect::<Vec<_>>()).hash(&mut h);
            }),
            // Pages over every story: any change changes them.
            Page::Sitemap | Page::AdminConfig => stories(&mut h, &(0..ix.stories.len()).collect::<Vec<_>>()),
            // From the configuration and templates only.
            Page::NotFound | Page::Admin | Page::Robots => {}
        }
        h.finish()
    }

    fn paginated(&self, ctx: &mut Context, listing: Listing, paginator: &Paginator) -> Result<(), tera::Error> {
        let list = listing.stories(self.index);
        ctx.insert("stories", &self.cards(paginator.slice(list))?);
        ctx.insert("paginator", paginator);
        ctx.insert("kind_counts", &*self.kind_counts(listing));
        ctx.insert("total", &list.len());
        Ok(())
    }

    /// Counts by kind of a list's stories, made once per list.
    fn kind_counts(&self, listing: Listing) -> std::sync::Arc<Vec<KindCount>> {
        let mut made = self.list_kinds.lock().expect("no render panicked while counting");
        made.entry(listing).or_insert_with(|| std::sync::Arc::new(self.index.kind_counts(listing.stories(self.index)))).clone()
    }

    /// The chart of movement `m`'s stories by kind, made once.
    fn movement_chart(&self, m: usize) -> &str {
        self.movement_charts[m].get_or_init(|| crate::stats::movement_chart(self.index, self.index.movements[m]))
    }

    fn fill(&self, page: &Page, path: &str, ctx: &mut Context) -> Result<&'static str, tera::Error> {
        let ix = self.index;
        Ok(match page {
            Page::Home => {
                let featured: Vec<usize> = (0..ix.stories.len()).filter(|i| ix.stories[*i].featured).take(6).collect();
                let latest: Vec<usize> = (0..ix.stories.len().min(12)).collect();
                ctx.insert("featured", &self.cards(&featured)?);
                ctx.insert("latest", &self.cards(&latest)?);
                ctx.insert("total", &ix.stories.len());
                ctx.insert("kind_counts", &ix.kind_counts(&(0..ix.stories.len()).collect::<Vec<_>>()));
                "index.html"
            }
            Page::Story(i) => {
                ctx.insert_value("story", self.story_value(*i, StoryView::Page)?);
                "story.html"
            }
            Page::MovementList => "movements.html",
            Page::Movement { movement, paginator } => {
                let m = ix.movements[*movement];
                ctx.insert("movement", m);
                ctx.insert("level_label", &m.level.map(|l| l.label()));
                ctx.insert("body_html", &markdown::to_html_with_images(&m.body, &|_, _, _| None, &|url| self.link(url, &m.source, &self.base_path)));
                ctx.insert("chart", self.movement_chart(*movement));
                self.paginated(ctx, Listing::Movement(*movement), paginator)?;
                "movement.html"
            }
            Page::UnitList => {
                ctx.insert("terms", &ix.units);
                ctx.insert("heading", "Đơn vị");
                ctx.insert("intro", "Các cơ quan, đơn vị, tổ chức có gương điển hình tiên tiến.");
                "terms.html"
            }
            Page::Unit { term, paginator } => {
                let t = &ix.units[*term];
                ctx.insert("term", t);
                ctx.insert("section", &("Đơn vị", "/don-vi/"));
                self.paginated(ctx, Listing::Unit(*term), paginator)?;
                "term.html"
            }
            Page::AwardList => {
                ctx.insert("terms", &ix.awards);
                ctx.insert("heading", "Khen thưởng");
                ctx.insert("intro", "Các hình thức khen thưởng, xếp từ cao xuống thấp.");
                "terms.html"
            }
            Page::Award { term, paginator } => {
                let t = &ix.awards[*term];
                ctx.insert("term", t);
                ctx.insert("section", &("Khen thưởng", "/khen-thuong/"));
                self.paginated(ctx, Listing::Award(*term), paginator)?;
                "term.html"
            }
            Page::LocalityList => {
                ctx.insert("districts", &ix.districts);
                "localities.html"
            }
            Page::Locality { district, paginator } => {
                let d = &ix.districts[*district];
                ctx.insert("district", d);
                self.paginated(ctx, Listing::District(*district), paginator)?;
                "locality.html"
            }
            Page::Year { year, paginator } => {
                let y = &ix.years[*year].0;
                ctx.insert("year", y);
                ctx.insert("years", &ix.years.iter().map(|(y, l)| (y, l.len())).collect::<Vec<_>>());
                self.paginated(ctx, Listing::Year(*year), paginator)?;
                "year.html"
            }
            Page::Kind { kind, paginator } => {
                let k = &ix.kinds[*kind].0;
                ctx.insert("kind", &(k.id(), k.label()));
                self.paginated(ctx, Listing::Kind(*kind), paginator)?;
                "kind.html"
            }
            Page::NotFound => "404.html",
            Page::Search => "search.html",
            Page::Embed(i) => {
                ctx.insert_value("story", self.story_value(*i, StoryView::EmbedCard)?);
                "embed.html"
            }
            Page::EmbedMovement(m) => {
                let movement = ix.movements[*m];
                let latest: Vec<usize> = ix.movement_stories(&movement.id).iter().take(5).copied().collect();
                ctx.insert("movement", movement);
                ctx.insert("stories", &self.cards(&latest)?);
                ctx.insert("total", &ix.movement_stories(&movement.id).len());
                "embed_movement.html"
            }
            Page::Feed { format, movement } => {
                let (stories, title, page_url): (Vec<usize>, String, String) = match movement {
                    None => ((0..ix.stories.len()).collect(), self.site_title.clone(), "/".into()),
                    Some(m) => {
                        let mv = ix.movements[*m];
                        (ix.movement_stories(&mv.id).to_vec(), format!("{} — {}", mv.title, self.site_title), mv.url.clone())
                    }
                };
                ctx.insert("feed_title", &title);
                ctx.insert("feed_url", &format!("{}{}", self.base_url, path));
                ctx.insert("page_url", &format!("{}{}", self.base_url, page_url));
                ctx.insert("items", &self.feed_items(&stories));
                let updated = stories.iter().map(|i| ix.stories[*i].updated.unwrap_or(ix.stories[*i].date)).max();
                ctx.insert("updated", &updated.map_or_else(|| "1970-01-01T00:00:00+07:00".to_string(), |d| format!("{d}T00:00:00+07:00")));
                match format {
                    FeedFormat::Atom => "atom.xml",
                    FeedFormat::Rss => "rss.xml",
                }
            }
            Page::Stats => {
                ctx.insert("tables", self.stats());
                "stats.html"
            }
            Page::Admin => "admin.html",
            Page::Oembed(_) | Page::JsonFeed | Page::StatsCsv(_) | Page::StatsJson | Page::AdminConfig => unreachable!("rendered without templates above"),
            Page::Sitemap => {
                let stories: Vec<(&str, String)> = ix.stories.iter().map(|s| (s.url.as_str(), s.updated.unwrap_or(s.date).to_string())).collect();
                ctx.insert("stories", &stories);
                ctx.insert("other_urls", &super::pages::list_urls(ix));
                "sitemap.xml"
            }
            Page::Robots => "robots.txt",
        })
    }
}
