//! Loading and validating a site's content: stories, movements and the award vocabulary.
//!
//! `load` reads every file, reports every problem (never stopping at the first), and returns the
//! model the later stages use.

pub mod fields;
pub mod markdown;
mod sanitized;
pub mod model;
pub mod node;
pub mod reader;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use model::{Award, AwardTitle, AwardVocabulary, Content, Kind, Level, Locality, Movement, Photo, Sector, Story};

use crate::diagnostics::{did_you_mean, Diagnostics, Position};
use crate::imageproc::ImageSettings;
use node::Node;
use source::{FrontMatterFormat, SplitFile};

pub const CONTENT_DIR: &str = "content";
pub const STORIES_DIR: &str = "content/stories";
pub const MOVEMENTS_DIR: &str = "content/movements";
pub const AWARDS_FILE: &str = "content/awards.toml";

/// Loads and checks all content under `root`. Problems are in the returned diagnostics; the
/// content holds every story and movement that could be read.
pub fn load(root: &Path, images: &ImageSettings) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::default();
    let awards = load_awards(root, &mut diags);
    let movements = load_movements(root, &mut diags);
    let mut stories = load_stories(root, &mut diags);
    check_stories(root, &mut stories, &movements, &awards, images, None, &mut diags);
    (Content { stories, movements, awards }, diags)
}

/// Re-reads the story files `changed` (paths under `root`; a file that no longer exists is
/// removed) into `content` and runs the checks again: the per-story ones on the changed stories
/// only, the cross-file ones on all. With errors, `content` is left as it was.
pub fn reload_stories(root: &Path, content: &mut Content, changed: &[PathBuf], images: &ImageSettings) -> Diagnostics {
    let mut diags = Diagnostics::default();
    // Each changed source with the story it held before (none for a new file).
    let mut previous: Vec<(String, Option<Story>)> = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let source = rel.to_string_lossy().replace('\\', "/");
        let at = content.stories.iter().position(|s| s.source == source);
        let old = match (path.is_file(), at) {
            (true, _) => match load_story(root, path, &mut diags) {
                Some(story) => match at {
                    Some(at) => Some(std::mem::replace(&mut content.stories[at], story)),
                    None => {
                        content.stories.push(story);
                        None
                    }
                },
                None => continue,
            },
            (false, Some(at)) => Some(content.stories.remove(at)),
            (false, None) => continue,
        };
        previous.push((source, old));
    }
    if !diags.has_errors() {
        // Links elsewhere may point at a story that was removed or moved to another address.
        let addresses_changed = previous.iter().any(|(source, old)| {
            let now = content.stories.iter().find(|s| &s.source == source).map(|s| &s.slug);
            old.as_ref().map(|o| &o.slug) != now
        });
        let sources: HashSet<String> = previous.iter().map(|(source, _)| source.clone()).collect();
        let scope = (!addresses_changed).then_some(&sources);
        check_stories(root, &mut content.stories, &content.movements, &content.awards, images, scope, &mut diags);
    }
    if diags.has_errors() {
        for (source, old) in previous.into_iter().rev() {
            let at = content.stories.iter().position(|s| s.source == source);
            match (at, old) {
                (Some(at), Some(old)) => content.stories[at] = old,
                (Some(at), None) => {
                    content.stories.remove(at);
                }
                (None, Some(old)) => content.stories.push(old),
                (None, None) => {}
            }
        }
    }
    diags
}

/// The path to show in messages: relative to the working directory when the root is `.`.
pub fn display_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") { relative.to_path_buf() } else { root.join(relative) }
}

fn markdown_files(dir: &Path, diags: &mut Diagnostics, root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let why = if e.loop_ancestor().is_some() {
                    "liên kết tượng trưng (symlink) tạo thành vòng lặp".to_string()
                } else {
                    format!("không đọc được tệp: {}", e.io_error().map_or(e.to_string(), crate::diagnostics::io_reason))
                };
                diags.error(&display_path(root, &rel), Position::START, why);
            }
        }
    }
    files
}

/// Reads a content file to clean text, reporting unreadable or non-UTF-8 files.
/// The text of a file: UTF-8 checked, then [`source::clean_text`] (BOM, line ends, NFC).
fn read_text(path: &Path, shown: &Path, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::read(path) {
        // simdutf8: std's check took a tenth of reading (Vietnamese text is a third non-ASCII).
        Ok(bytes) => match simdutf8::compat::from_utf8(&bytes) {
            // SAFETY: simdutf8 has just checked that `bytes` is UTF-8 (`String::from_utf8` would
            // check again with std's slower check; copying the `&str` costs a copy of every file).
            Ok(_) => Some(source::clean_text(unsafe { String::from_utf8_unchecked(bytes) })),
            Err(e) => {
                let pos = Position::of_offset(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]), e.valid_up_to());
                diags.error(shown, pos, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8");
                None
            }
        },
        Err(e) => {
            diags.error(shown, Position::START, format!("không đọc được tệp: {}", crate::diagnostics::io_reason(&e)));
            None
        }
    }
}

fn parse_front_matter(split: &SplitFile<'_>, shown: &Path, diags: &mut Diagnostics) -> Option<Node> {
    let parsed = match split.format {
        FrontMatterFormat::Yaml => node::parse_yaml(split.front_matter, split.front_matter_line),
        FrontMatterFormat::Toml => node::parse_toml(split.front_matter, split.front_matter_line),
    };
    parsed.map_err(|e| diags.error(shown, e.position, e.message)).ok()
}

fn load_stories(root: &Path, diags: &mut Diagnostics) -> Vec<Story> {
    let files = markdown_files(&root.join(STORIES_DIR), diags, root);
    let results: Vec<(Option<Story>, Diagnostics)> = files
        .par_iter()
        .map(|path| {
            let mut d = Diagnostics::default();
            let story = load_story(root, path, &mut d);
            (story, d)
        })
        .collect();
    let mut stories = Vec::with_capacity(results.len());
    for (story, d) in results {
        diags.extend(d);
        stories.extend(story);
    }
    stories
}

fn load_story(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<Story> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let shown = display_path(root, rel);
    let text = read_text(path, &shown, diags)?;
    parse_story(&text, rel, &shown, diags)
}

/// A story from the cleaned text of its file (`rel`: its path in the site, `shown`: in messages).
/// Every problem goes to `diags`; `None` when the story cannot be used.
pub fn parse_story(text: &str, rel: &Path, shown: &Path, diags: &mut Diagnostics) -> Option<Story> {
    let path = rel;
    let split = source::split_front_matter(&text).map_err(|(e, pos)| diags.error(&shown, pos, e.to_string())).ok()?;
    let front_matter = parse_front_matter(&split, &shown, diags)?;
    if split.body.trim().is_empty() {
        diags.warning(&shown, Position::new(split.body_line, 1), "nội dung bài viết đang để trống");
    }
    // A page bundle (`<folder>/index.md`, photos beside it) is named after its folder.
    let stem = path.file_stem().unwrap_or_default();
    let name = if stem == "index" { path.parent().and_then(Path::file_name).unwrap_or(stem) } else { stem };
    let file_slug = crate::text::slugify(&crate::text::nfc(&name.to_string_lossy()));
    let src = reader::StorySource {
        path: shown,
        display: rel.to_string_lossy().replace('\\', "/"),
        file_slug,
        body: split.body.to_string(),
        body_line: split.body_line,
    };
    reader::read_story(front_matter, src, diags)
}

fn load_movements(root: &Path, diags: &mut Diagnostics) -> Vec<Movement> {
    let dir = root.join(MOVEMENTS_DIR);
    if !dir.is_dir() {
        diags.error(&display_path(root, Path::new(MOVEMENTS_DIR)), Position::START, "thiếu thư mục content/movements/ chứa các phong trào thi đua");
        return vec![];
    }
    let mut movements = Vec::new();
    for path in markdown_files(&dir, diags, root) {
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let shown = display_path(root, rel);
        let id = crate::text::nfc(&path.file_stem().unwrap_or_default().to_string_lossy());
        let slug = crate::text::slugify(&id);
        if slug != id {
            diags.error(&shown, Position::START, format!(
                "tên tệp phong trào \"{id}\" là mã dùng trong địa chỉ trang; chỉ dùng chữ thường không dấu, số và gạch nối, ví dụ đổi tên thành \"{slug}.md\""
            ));
            continue;
        }
        let Some(text) = read_text(&path, &shown, diags) else { continue };
        let split = match source::split_front_matter(&text) {
            Ok(s) => s,
            Err((e, pos)) => {
                diags.error(&shown, pos, e.to_string());
                continue;
            }
        };
        let Some(fm) = parse_front_matter(&split, &shown, diags) else { continue };
        let display = rel.to_string_lossy().replace('\\', "/");
        movements.extend(reader::read_movement(fm, &shown, &id, display, split.body.to_string(), split.body_line, diags));
    }
    movements
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AwardsFile {
    #[serde(default)]
    award: Vec<AwardTitle>,
}

fn load_awards(root: &Path, diags: &mut Diagnostics) -> AwardVocabulary {
    let path = root.join(AWARDS_FILE);
    if !path.exists() {
        return AwardVocabulary::default();
    }
    let shown = display_path(root, Path::new(AWARDS_FILE));
    let Some(text) = read_text(&path, &shown, diags) else { return AwardVocabulary::default() };
    match toml::from_str::<AwardsFile>(&text) {
        Ok(file) => AwardVocabulary {
            titles: file.award.into_iter().map(|a| AwardTitle { title: crate::text::nfc(&a.title), description: a.description }).collect(),
            defined: true,
        },
        Err(e) => {
            let pos = e.span().map_or(Position::START, |s| Position::of_offset(&text, s.start));
            diags.error(&shown, pos, format!(
                "awards.toml không hợp lệ: {}; mỗi danh hiệu viết dạng [[award]] với title = \"…\", xếp từ cao xuống thấp",
                e.message()
            ));
            AwardVocabulary::default()
        }
    }
}

/// Checks that need the whole site: movement ids, duplicate slugs, photos, links, award titles.
/// With `only`, the checks of one story's own fields (movements, photos, links) run on those
/// sources only; duplicate slugs are always checked across all stories.
#[allow(clippy::too_many_arguments)]
fn check_stories(
    root: &Path,
    stories: &mut [Story],
    movements: &[Movement],
    awards: &AwardVocabulary,
    images: &ImageSettings,
    only: Option<&HashSet<String>>,
    diags: &mut Diagnostics,
) {
    let movement_ids: Vec<&str> = movements.iter().map(|m| m.id.as_str()).collect();
    let in_scope = |s: &Story| only.is_none_or(|o| o.contains(&s.source));
    let mut by_slug: HashMap<&str, &Story> = HashMap::new();
    for story in stories.iter() {
        let shown = display_path(root, Path::new(&story.source));
        if let Some(other) = by_slug.insert(&story.slug, story) {
            if in_scope(story) || in_scope(other) {
                diags.error(&shown, story.positions.slug, format!(
                    "địa chỉ /guong/{}/ bị trùng: tệp {} cũng dùng địa chỉ này; đặt `slug:` khác cho một trong hai tệp",
                    story.slug, other.source
                ));
            }
        }
        if !in_scope(story) {
            continue;
        }
        for (i, id) in story.movements.iter().enumerate() {
            if !movement_ids.contains(&id.as_str()) {
                let hint = did_you_mean(id, movement_ids.iter().copied())
                    .map(|m| format!(" — có phải ý bạn là `{m}`?"))
                    .unwrap_or_default();
                let pos = story.positions.movements.get(i).copied().unwrap_or(Position::START);
                diags.error(&shown, pos, format!(
                    "trường `movements`: không có phong trào mã `{id}` (cần một tệp content/movements/{id}.md){hint}"
                ));
            }
        }
        if let Some(photo) = &story.photo {
            check_image(root, &shown, "photo.src", &photo.src, &photo.path, photo.position, images, diags);
        }
        for image in &story.images {
            check_image(root, &shown, "ảnh trong bài", &image.src, &image.path, image.position, images, diags);
        }
    }
    check_links(root, stories, movements, only, diags);
    let vocabulary = awards.matcher();
    for story in stories.iter_mut().filter(|s| only.is_none_or(|o| o.contains(&s.source))) {
        let shown = display_path(root, Path::new(&story.source));
        for award in &mut story.awards {
            match vocabulary.lookup(&award.title) {
                Some((rank, known, slug)) => {
                    award.rank = Some(rank);
                    award.title = known.title.clone();
                    award.slug = slug.to_string();
                }
                None if awards.defined => {
                    let hint = did_you_mean(&award.title, awards.titles.iter().map(|a| a.title.as_str()))
                        .map(|t| format!(" — có phải ý bạn là \"{t}\"?"))
                        .unwrap_or_default();
                    diags.warning(&shown, award.position, format!(
                        "danh hiệu \"{}\" không có trong content/awards.toml{hint}", award.title
                    ));
                }
                None => {}
            }
        }
    }
}

/// The pages local links may lead to, looked up by address or by source file (one lookup per link,
/// whatever the size of the site).
pub struct LinkTargets<'a> {
    slugs: HashSet<&'a str>,
    movement_ids: HashSet<&'a str>,
    /// Story or movement source file → its page URL.
    by_source: HashMap<&'a str, &'a str>,
}

impl<'a> LinkTargets<'a> {
    pub fn new(stories: &'a [Story], movements: &'a [Movement]) -> LinkTargets<'a> {
        LinkTargets {
            slugs: stories.iter().map(|s| s.slug.as_str()).collect(),
            movement_ids: movements.iter().map(|m| m.id.as_str()).collect(),
            by_source: stories
                .iter()
                .map(|s| (s.source.as_str(), s.url.as_str()))
                .chain(movements.iter().map(|m| (m.source.as_str(), m.url.as_str())))
                .collect(),
        }
    }

    /// The page a local link leads to: `/guong/<slug>/` or `/phong-trao/<id>/` by URL, or a story
    /// or movement by its `.md` file (relative to `from`, a file under the site root).
    pub fn resolve(&self, url: &str, from: &Path) -> LinkTarget {
        let path = url.split(['#', '?']).next().unwrap_or(url);
        if let Some(rest) = path.strip_prefix("/guong/") {
            let slug = rest.trim_end_matches('/');
            return if self.slugs.contains(slug) { LinkTarget::Page(path.to_string()) } else { LinkTarget::Missing };
        }
        if let Some(rest) = path.strip_prefix("/phong-trao/") {
            let id = rest.split('/').next().unwrap_or_default();
            return if id.is_empty() || self.movement_ids.contains(id) { LinkTarget::Page(path.to_string()) } else { LinkTarget::Missing };
        }
        if path.starts_with('/') || path.is_empty() {
            return LinkTarget::Other;
        }
        let target = normalize_lexically(&from.parent().unwrap_or(Path::new("")).join(path));
        if path.ends_with(".md") {
            let source = target.to_string_lossy().replace('\\', "/");
            return match self.by_source.get(source.as_str()) {
                Some(url) => LinkTarget::Page(url.to_string()),
                None => LinkTarget::Missing,
            };
        }
        LinkTarget::File(target)
    }
}

#[derive(Debug, PartialEq)]
pub enum LinkTarget {
    /// A page of the site, by its URL.
    Page(String),
    /// A file next to the content (checked on disk).
    File(PathBuf),
    /// Another page of the site (lists, search…), not checked.
    Other,
    Missing,
}

fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown links to stories, movements or files that do not exist.
fn check_links(root: &Path, stories: &[Story], movements: &[Movement], only: Option<&HashSet<String>>, diags: &mut Diagnostics) {
    // Stories' links were found when they were read; movements are few and parsed here.
    let movement_links: Vec<(&str, Vec<(String, Position)>)> = match only {
        Some(_) => vec![],
        None => movements
            .iter()
            .map(|m| (m.source.as_str(), markdown::local_links(&m.body).into_iter().map(|(url, line)| (url, Position::new(m.body_line + line, 1))).collect()))
            .collect(),
    };
    let story_links = stories.iter().filter(|s| only.is_none_or(|o| o.contains(&s.source))).map(|s| (s.source.as_str(), s.links.as_slice()));
    let links = story_links.chain(movement_links.iter().map(|(source, found)| (*source, found.as_slice())));
    let targets = LinkTargets::new(stories, movements);
    for (source, found) in links {
        for &(ref url, position) in found {
            let shown = display_path(root, Path::new(source));
            match targets.resolve(&url, Path::new(source)) {
                LinkTarget::Missing => diags.error(&shown, position, format!(
                    "liên kết \"{url}\" dẫn tới một bài hoặc phong trào không có trong trang"
                )),
                // Files beside a story are not published; only what is under static/ is.
                LinkTarget::File(rel) => diags.error(&shown, position, format!(
                    "liên kết \"{url}\" trỏ tới tệp {}{}; tệp đính kèm cần đặt trong thư mục static/ và liên kết dạng \"/ten-tep.pdf\"",
                    rel.display(),
                    if root.join(&rel).exists() { " (tệp này sẽ không được đăng)" } else { " không tồn tại" }
                )),
                LinkTarget::Page(_) | LinkTarget::Other => {}
            }
        }
    }
}

/// A photo or body image: inside the site, present, and an image within the pixel limit.
#[allow(clippy::too_many_arguments)]
fn check_image(root: &Path, shown: &Path, what: &str, src: &str, path: &Path, position: Position, settings: &ImageSettings, diags: &mut Diagnostics) {
    let field = if what.contains('.') { format!("trường `{what}`") } else { what.to_string() };
    if Path::new(src).is_absolute() || src.contains("://") || !lexically_inside(root, path) {
        diags.error(shown, position, format!(
            "{field}: \"{src}\" nằm ngoài thư mục trang; đặt ảnh cạnh tệp bài viết và ghi đường dẫn tương đối, ví dụ `src: anh.jpg`"
        ));
    } else if !path.is_file() {
        diags.error(shown, position, format!("{field}: không tìm thấy tệp ảnh \"{src}\" (tìm ở {})", path.display()));
    } else if let Err(e) = crate::imageproc::probe(path, settings) {
        diags.error(shown, position, format!("{field} (\"{src}\"): {e}"));
    }
}

/// Whether `path` stays under `root` once `..` and `.` are resolved (without touching the disk).
fn lexically_inside(root: &Path, path: &Path) -> bool {
    // Display paths are relative to the working directory when the root is `.`.
    let rel = if root == Path::new(".") {
        path
    } else {
        match path.strip_prefix(root) {
            Ok(r) => r,
            Err(_) => return false,
        }
    };
    let mut depth: i32 = 0;
    for c in rel.components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            _ => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}
