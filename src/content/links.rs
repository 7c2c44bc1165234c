//! Where links written in content lead: a story or movement by its address or by its `.md` file,
//! a file beside the content, or another page. Checked by [`super::validate`]; the renderer turns
//! a story or movement into its address.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::{Movement, Story};
use crate::site::routes::{self, LinkedPage};

/// The pages local links may lead to, looked up by address or by source file (one lookup per link,
/// whatever the size of the site).
pub struct LinkTargets<'a> {
    slugs: HashSet<&'a str>,
    movement_ids: HashSet<&'a str>,
    /// Story or movement source file → the page it is.
    by_source: HashMap<&'a str, LinkTarget<'a>>,
}

impl<'a> LinkTargets<'a> {
    pub fn new(stories: &'a [Story], movements: &'a [Movement]) -> LinkTargets<'a> {
        LinkTargets {
            slugs: stories.iter().map(|s| s.slug.as_str()).collect(),
            movement_ids: movements.iter().map(|m| m.id.as_str()).collect(),
            by_source: stories
                .iter()
                .map(|s| (s.source.as_str(), LinkTarget::Story(&s.slug)))
                .chain(movements.iter().map(|m| (m.source.as_str(), LinkTarget::Movement(&m.id))))
                .collect(),
        }
    }

    /// The page a local link leads to: a story or movement page by its address, or a story or
    /// movement by its `.md` file (relative to `from`, a file under the site root).
    pub fn resolve(&self, url: &str, from: &Path) -> LinkTarget<'a> {
        let path = url.split(['#', '?']).next().unwrap_or(url);
        match routes::linked_page(path) {
            Some(LinkedPage::Story(slug)) if !self.slugs.contains(slug) => return LinkTarget::Missing,
            Some(LinkedPage::Movement(id)) if !id.is_empty() && !self.movement_ids.contains(id) => return LinkTarget::Missing,
            Some(_) => return LinkTarget::Page(path.to_string()),
            None => {}
        }
        if path.starts_with('/') || path.is_empty() {
            return LinkTarget::Other;
        }
        let target = normalize_lexically(&from.parent().unwrap_or(Path::new("")).join(path));
        if path.ends_with(".md") {
            let source = target.to_string_lossy().replace('\\', "/");
            return self.by_source.get(source.as_str()).cloned().unwrap_or(LinkTarget::Missing);
        }
        LinkTarget::File(target)
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub enum LinkTarget<'a> {
    /// A page of the site, by the URL path the link wrote.
    Page(String),
    /// A story (by slug) or movement (by id), linked by its `.md` file.
    Story(&'a str),
    Movement(&'a str),
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

