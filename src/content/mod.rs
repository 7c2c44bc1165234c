//! A site's content: stories, movements and the award vocabulary, read from files into the model
//! ([`model`]) and validated. It knows nothing of HTML, addresses or templates.
//!
//! [`load`] reads every file ([`source`]: the text and front matter split, [`node`]: the front
//! matter as a tree with positions, [`reader`]: the tree into the model, field by field as
//! [`fields`] describes them) and reports every problem of each file, never stopping at the first;
//! [`validate`] then runs the checks across files. [`reload_stories`] does both again for a few
//! changed stories (`serve`).

pub mod fields;
pub mod links;
pub mod markdown;
pub mod model;
pub mod node;
pub mod reader;
pub mod source;
mod validate;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use links::{LinkTarget, LinkTargets};
pub use model::{Award, AwardTitle, AwardVocabulary, Content, Kind, Level, Locality, Movement, Photo, Sector, Story};

use crate::diagnostics::{Diagnostics, Position};
use crate::imageproc::ImageSettings;
use node::Node;
use source::{FrontMatterFormat, SplitFile};

pub const CONTENT_DIR: &str = "content";
pub const STORIES_DIR: &str = "content/stories";
pub const MOVEMENTS_DIR: &str = "content/movements";
pub const AWARDS_FILE: &str = "content/awards.toml";

/// Reads all content under `root`, each file checked on its own. Problems are in the returned
/// diagnostics; the content holds every story and movement that could be read.
pub fn load(root: &Path) -> (Content, Diagnostics) {
    let mut diags = Diagnostics::default();
    let awards = load_awards(root, &mut diags);
    let movements = load_movements(root, &mut diags);
    let stories = load_stories(root, &mut diags);
    (Content { stories, movements, awards }, diags)
}

/// The checks across files (see [`validate`]) on content [`load`] read; award titles are
/// resolved against the vocabulary on the way.
pub fn validate(root: &Path, content: &mut Content, images: &ImageSettings) -> Diagnostics {
    let mut diags = Diagnostics::default();
    validate::check_stories(root, &mut content.stories, &content.movements, &content.awards, images, None, &mut diags);
    diags
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
        validate::check_stories(root, &mut content.stories, &content.movements, &content.awards, images, scope, &mut diags);
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
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                // Symbolic links are followed inside the site only: a file (or folder) linked to
                // elsewhere on the machine is never read into the output or into messages.
                if e.path().canonicalize().is_ok_and(|real| !real.starts_with(&canonical_root)) {
                    let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_path_buf();
                    diags.warning(&display_path(root, &rel), Position::START, "liên kết tượng trưng (symlink) trỏ ra ngoài thư mục trang; tệp này bị bỏ qua");
                    continue;
                }
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
            Ok(text) => {
                // Control characters are dropped (they break YAML and HTML): said where the first is.
                if let Some(at) = memchr::memchr(0, text.as_bytes()) {
                    diags.warning(shown, Position::of_offset(text, at), "tệp có ký tự NUL (mã 0, thường do sao chép từ phần mềm khác); đã bỏ các ký tự này, hãy kiểm tra lại đoạn văn");
                }
                Some(source::clean_text(unsafe { String::from_utf8_unchecked(bytes) }))
            }
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
    if let Some(at) = markdown::too_deep_html(split.body) {
        let p = Position::of_offset(split.body, at);
        diags.error(
            &shown,
            Position::new(split.body_line + p.line - 1, p.column),
            format!("HTML trong bài lồng nhau quá {} tầng từ đây; hãy bỏ bớt các thẻ HTML (bài viết bằng Markdown không cần chúng)", markdown::MAX_HTML_DEPTH),
        );
        return None;
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
        let display = rel.to_string_lossy().replace('\\', "/");
        let read = read_text(&path, &shown, diags).and_then(|text| {
            let split = source::split_front_matter(&text).map_err(|(e, pos)| diags.error(&shown, pos, e.to_string())).ok()?;
            let fm = parse_front_matter(&split, &shown, diags)?;
            reader::read_movement(fm, &shown, &id, display.clone(), split.body.to_string(), split.body_line, diags)
        });
        // A movement file that could not be read still names its movement (its error is
        // reported): the stories of that movement are not reported as naming an unknown one.
        movements.push(read.unwrap_or_else(|| Movement::unreadable(id, display)));
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
                crate::diagnostics::toml_message(e.message())
            ));
            AwardVocabulary::default()
        }
    }
}

