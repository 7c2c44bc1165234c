//! Checks across the files of a site, after each file was read and checked on its own: movement
//! ids, duplicate addresses, photos and body images, links, award titles (which are resolved
//! against the vocabulary here: rank, canonical spelling, slug).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use super::links::{LinkTarget, LinkTargets};
use super::{display_path, AwardVocabulary, Movement, Story};
use crate::diagnostics::{did_you_mean, Diagnostics, Position};
use crate::imageproc::ImageSettings;
use crate::site::routes;

/// Checks that need the whole site: movement ids, duplicate slugs, photos, links, award titles.
/// With `only`, the checks of one story's own fields (movements, photos, links) run on those
/// sources only; duplicate slugs are always checked across all stories.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_stories(
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
                    "địa chỉ {} bị trùng: tệp {} cũng dùng địa chỉ này; đặt `slug:` khác cho một trong hai tệp",
                    routes::story(&story.slug), other.source
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
    check_same_exemplar(root, stories, only, diags);
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


/// Markdown links to stories, movements or files that do not exist.
fn check_links(root: &Path, stories: &[Story], movements: &[Movement], only: Option<&HashSet<String>>, diags: &mut Diagnostics) {
    // Links were found when the files were read. Movements are checked when every file is.
    let story_links = stories.iter().filter(|s| only.is_none_or(|o| o.contains(&s.source))).map(|s| (s.source.as_str(), s.links.as_slice()));
    let movement_links = movements.iter().filter(|_| only.is_none()).map(|m| (m.source.as_str(), m.links.as_slice()));
    let links = story_links.chain(movement_links);
    let targets = LinkTargets::new(stories, movements);
    for (source, found) in links {
        for &(ref url, position) in found {
            let shown = display_path(root, Path::new(source));
            match targets.resolve(&url, Path::new(source)) {
                LinkTarget::Missing => diags.error(&shown, position, format!(
                    "liên kết \"{url}\" dẫn tới một bài hoặc phong trào không có trong trang{}",
                    same_file_name(url, stories).map(|s| format!(" — có phải tệp {}? Viết liên kết \"{}\" thì đúng dù tệp đặt ở thư mục nào", s.source, routes::story(&s.slug))).unwrap_or_default()
                )),
                // Files beside a story are not published; only what is under static/ is.
                LinkTarget::File(rel) => diags.error(&shown, position, format!(
                    "liên kết \"{url}\" trỏ tới tệp {}{}; tệp đính kèm cần đặt trong thư mục static/ và liên kết dạng \"/ten-tep.pdf\"",
                    rel.display(),
                    if root.join(&rel).exists() { " (tệp này sẽ không được đăng)" } else { " không tồn tại" }
                )),
                LinkTarget::Page(_) | LinkTarget::Story(_) | LinkTarget::Movement(_) | LinkTarget::Other => {}
            }
        }
    }
}

/// The story whose file has the name a broken `.md` link ends with (written from another folder).
fn same_file_name<'a>(url: &str, stories: &'a [Story]) -> Option<&'a Story> {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let name = Path::new(path).file_name().filter(|_| path.ends_with(".md"))?;
    let mut found = stories.iter().filter(|s| Path::new(&s.source).file_name() == Some(name));
    let story = found.next()?;
    found.next().is_none().then_some(story)
}

/// Two stories with the same title and unit: probably one exemplar written up twice.
fn check_same_exemplar(root: &Path, stories: &[Story], only: Option<&HashSet<String>>, diags: &mut Diagnostics) {
    let mut seen: HashMap<(String, String), &Story> = HashMap::new();
    for story in stories.iter().filter(|s| !s.title.is_empty()) {
        let Some(unit) = &story.unit else { continue };
        let key = (crate::text::fold(&story.title), crate::text::fold(unit));
        match seen.get(&key) {
            Some(first) if only.is_none_or(|o| o.contains(&story.source) || o.contains(&first.source)) => diags.warning(
                &display_path(root, Path::new(&story.source)),
                story.positions.title,
                format!("tệp {} cũng viết về \"{}\" của {unit}: có phải một gương được viết hai lần? Nếu đúng là hai gương khác nhau, đặt tiêu đề phân biệt", first.source, story.title),
            ),
            Some(_) => {}
            None => {
                seen.insert(key, story);
            }
        }
    }
}

/// A photo or body image: inside the site, present, and an image within the pixel limit.
#[allow(clippy::too_many_arguments)]
fn check_image(root: &Path, shown: &Path, what: &str, src: &str, path: &Path, position: Position, settings: &ImageSettings, diags: &mut Diagnostics) {
    let field = if what.contains('.') { format!("trường `{what}`") } else { what.to_string() };
    if Path::new(src).is_absolute() || src.contains("://") || !lexically_inside(root, path) || !really_inside(root, path) {
        diags.error(shown, position, format!(
            "{field}: \"{src}\" nằm ngoài thư mục trang; đặt ảnh cạnh tệp bài viết và ghi đường dẫn tương đối, ví dụ `src: anh.jpg`"
        ));
    } else if !path.is_file() {
        diags.error(shown, position, format!("{field}: không tìm thấy tệp ảnh \"{src}\" (tìm ở {})", path.display()));
    } else if let Err(e) = crate::imageproc::probe(path, settings) {
        diags.error(shown, position, format!("{field} (\"{src}\"): {e}"));
    }
}

/// Whether `path`, once its symbolic links are resolved, is under `root` (a photo linked to a file
/// elsewhere is outside the site). A path that does not exist is judged by its words alone.
fn really_inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => true,
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

