//! The site a `serve` session keeps in memory between rebuilds, so that a change to story files
//! re-renders only the pages that show those stories.
//!
//! A full build records, for every page, a signature of what it shows ([`Renderer::signature`]:
//! the fingerprints of its stories, its pagination, the counts it prints). When only story files
//! change, [`LiveSite::update`] re-reads those files, re-runs the checks, regroups the site and
//! renders the pages whose signature changed — the story, its embed, the list pages that show it,
//! the home page and feeds when it is among the newest — in about 150 ms on a 10,000-story site
//! (BENCHMARKS.md). What needs every story — the tantivy engine, related stories and the
//! client search index — follows in [`LiveSite::refresh_search`], which the server runs after
//! the browser has been told to reload; until then those show the previous build. Anything else
//! (configuration, themes, movements, awards, static files, photos) rebuilds everything.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use rayon::prelude::*;

use super::state::describe;
use crate::build::{self, timed, BuildError, LoadedSite, Sink};
use crate::content::{self, Story, STORIES_DIR};
use crate::engine::{Coverage, Engine};
use crate::imageproc::ProcessedImage;
use crate::site::index::{Publish, SiteIndex};
use crate::site::output::OutputError;
use crate::site::pages::{all_pages, output_file};
use crate::site::render::{base_path, load_templates, RenderInput, Renderer};

/// Files of a build kept in memory.
#[derive(Default)]
pub struct MemorySink(Mutex<HashMap<String, Bytes>>);

impl Sink for MemorySink {
    fn put(&self, path: &str, contents: Vec<u8>) -> Result<(), OutputError> {
        self.0.lock().expect("no panics while holding the lock").insert(path.to_string(), Bytes::from(contents));
        Ok(())
    }
}

/// What one rebuild did, for the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Update {
    /// Pages rendered (all of them after a full build).
    pub rendered: usize,
    /// Pages that no longer exist.
    pub removed: usize,
    pub full: bool,
}

pub struct LiveSite {
    root: PathBuf,
    /// `root` as the file watcher reports paths under it.
    canonical_root: PathBuf,
    publish: Publish,
    base_url: String,
    site: LoadedSite,
    images: HashMap<PathBuf, ProcessedImage>,
    /// Per story source, its fingerprint.
    fingerprints: HashMap<String, u64>,
    /// Per story URL, the URLs of its related stories (URLs survive regrouping; positions do not).
    related: HashMap<String, Vec<String>>,
    /// Per page file, its signature.
    signatures: HashMap<String, u64>,
    /// Every output file.
    pub files: Arc<HashMap<String, Bytes>>,
    /// The client search index files (`tim-kiem/…`), replaced as a whole.
    search_files: HashSet<String>,
    pub engine: Arc<Engine>,
    /// Story changes since the engine, related stories and client index were last built.
    pub search_outdated: bool,
}

impl LiveSite {
    /// Loads and renders the whole site into memory.
    pub fn full(root: &Path, publish: Publish, base_url: &str) -> Result<(LiveSite, Update), String> {
        let (site, diags) = build::load(root);
        let Some(site) = site else { return Err(describe(&BuildError::Content(diags))) };
        let sink = MemorySink::default();
        let rendered = build::render(&site, &publish, base_url, &sink, Coverage::Search).map_err(|e| describe(&e))?;
        let files = sink.0.into_inner().expect("no panics while holding the lock");
        let fingerprints = site.content.stories.par_iter().map(|s| (s.source.clone(), s.fingerprint())).collect();
        let mut live = LiveSite {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            publish,
            base_url: base_url.to_string(),
            site,
            images: rendered.images,
            fingerprints,
            related: HashMap::new(),
            signatures: HashMap::new(),
            files: Arc::new(files),
            search_files: HashSet::new(),
            engine: Arc::new(rendered.engine),
            search_outdated: false,
        };
        let index = SiteIndex::build(&live.site.content, &live.publish);
        live.related = related_urls(&index, &rendered.related);
        let related = live.related_positions(&index);
        let renderer = live.renderer(&index, &related)?;
        let fps = live.positions_fingerprints(&index);
        let pages = all_pages(&index, live.site.config.paginate_by);
        live.signatures = pages.par_iter().map(|p| (output_file(&p.url(&index)), renderer.signature(p, &fps))).collect();
        let search_dir = format!("{}/", crate::search::format::DIR);
        live.search_files = live.files.keys().filter(|f| f.starts_with(&search_dir) && !live.signatures.contains_key(*f)).cloned().collect();
        let update = Update { rendered: pages.len(), removed: 0, full: true };
        Ok((live, update))
    }

    /// Applies a change to the files `changed` (as the watcher reports them). Only Markdown files
    /// under `content/stories/` without photos or images are applied story by story: they are
    /// re-read, checked, and the pages whose signature changed re-rendered. `Ok(None)`: the change
    /// needs a full build. On errors the site is left as it was and the messages are returned.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Option<Update>, String> {
        let Some(sources) = changed.iter().map(|p| self.story_source(p)).collect::<Option<HashSet<String>>>() else { return Ok(None) };
        let has_images = |s: &Story| s.photo.is_some() || !s.images.is_empty();
        let stories = &self.site.content.stories;
        if stories.iter().any(|s| sources.contains(&s.source) && has_images(s)) {
            return Ok(None);
        }
        let paths: Vec<PathBuf> = sources.iter().map(|s| self.root.join(s)).collect();
        let settings = self.site.config.image_settings();
        let diags = timed("đọc lại bài", || content::reload_stories(&self.root, &mut self.site.content, &paths, &settings));
        if diags.has_errors() {
            return Err(describe(&BuildError::Content(diags)));
        }
        self.fingerprints.retain(|source, _| !sources.contains(source));
        for s in self.site.content.stories.iter().filter(|s| sources.contains(&s.source)) {
            if has_images(s) {
                return Ok(None); // a photo was added: it must be processed
            }
            self.fingerprints.insert(s.source.clone(), s.fingerprint());
        }
        self.search_outdated = true;
        self.render_changed().map(Some)
    }

    /// The story source (`content/stories/….md`) of a watched path, if it is one.
    fn story_source(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.canonical_root).or_else(|_| path.strip_prefix(&self.root)).ok()?;
        (rel.starts_with(STORIES_DIR) && rel.extension().is_some_and(|x| x == "md")).then(|| rel.to_string_lossy().replace('\\', "/"))
    }

    /// Rebuilds what reads every story — the tantivy engine, related stories, the client search
    /// index — and re-renders the pages whose related stories changed. `superseded` is asked
    /// between steps; when it says a newer change is waiting, the work stops (`Ok(None)`).
    pub fn refresh_search(&mut self, superseded: &(dyn Fn() -> bool + Sync)) -> Result<Option<Update>, String> {
        let index = SiteIndex::build(&self.site.content, &self.publish);
        let cards: Arc<[crate::search::Card]> = crate::search::cards(&index).into();
        // As in `build`: the client index needs neither the engine nor related stories.
        let (found, search) = rayon::join(
            || -> Result<Option<(Engine, Vec<Vec<usize>>)>, String> {
                let engine = Engine::build_with(&index, cards.clone(), Coverage::Search).map_err(|e| describe(&BuildError::from(e)))?;
                if superseded() {
                    return Ok(None);
                }
                let related = build::related_stories(&index, &engine).map_err(|e| describe(&e))?;
                Ok(Some((engine, related)))
            },
            || crate::search::write_index(&index, &cards, &base_path(&self.base_url)),
        );
        let Some((engine, related)) = found? else { return Ok(None) };
        if superseded() {
            return Ok(None);
        }
        let files = Arc::make_mut(&mut self.files);
        for old in self.search_files.drain() {
            files.remove(&old);
        }
        for f in search {
            self.search_files.insert(f.path.clone());
            files.insert(f.path, Bytes::from(f.contents));
        }
        self.related = related_urls(&index, &related);
        self.engine = Arc::new(engine);
        self.search_outdated = false;
        drop(index);
        self.render_changed().map(Some)
    }

    /// Regroups the site and renders every page whose signature changed.
    fn render_changed(&mut self) -> Result<Update, String> {
        let index = timed("nhóm bài", || SiteIndex::build(&self.site.content, &self.publish));
        let related = self.related_positions(&index);
        let renderer = timed("chuẩn bị dựng", || self.renderer(&index, &related))?;
        let fps = self.positions_fingerprints(&index);
        let pages = all_pages(&index, self.site.config.paginate_by);
        let results: Vec<(String, u64, Option<Result<Vec<u8>, String>>)> = timed("so và dựng trang", || pages
            .par_iter()
            .map(|page| {
                let file = output_file(&page.url(&index));
                let signature = renderer.signature(page, &fps);
                let html = (self.signatures.get(&file) != Some(&signature)).then(|| renderer.render(page).map(|(_, html)| html).map_err(|e| describe(&BuildError::from(e))));
                (file, signature, html)
            })
            .collect());
        let mut signatures = HashMap::with_capacity(results.len());
        let mut rendered = Vec::new();
        for (file, signature, html) in results {
            if let Some(html) = html {
                rendered.push((file.clone(), html?));
            }
            signatures.insert(file, signature);
        }
        let removed: Vec<String> = self.signatures.keys().filter(|f| !signatures.contains_key(*f)).cloned().collect();
        let files = timed("chép danh sách tệp", || Arc::make_mut(&mut self.files));
        for f in &removed {
            files.remove(f);
        }
        let update = Update { rendered: rendered.len(), removed: removed.len(), full: false };
        for (file, html) in rendered {
            files.insert(file, Bytes::from(html));
        }
        self.signatures = signatures;
        Ok(update)
    }

    fn renderer<'a>(&'a self, index: &'a SiteIndex<'a>, related: &'a [Vec<usize>]) -> Result<Renderer<'a>, String> {
        let tera = timed("mẫu", || load_templates(&self.root, &self.site.config)).map_err(|e| describe(&BuildError::from(e)))?;
        let input = RenderInput { config: &self.site.config, content: &self.site.content, index, images: &self.images, related };
        Ok(Renderer::new(tera, input, &self.base_url))
    }

    fn positions_fingerprints(&self, index: &SiteIndex<'_>) -> Vec<u64> {
        index.stories.iter().map(|s| self.fingerprints.get(&s.source).copied().unwrap_or_else(|| s.fingerprint())).collect()
    }

    /// Related stories by index position, from the URLs kept; stories no longer published drop out.
    fn related_positions(&self, index: &SiteIndex<'_>) -> Vec<Vec<usize>> {
        let position: HashMap<&str, usize> = index.stories.iter().enumerate().map(|(i, s)| (s.url.as_str(), i)).collect();
        index
            .stories
            .iter()
            .map(|s| self.related.get(&s.url).map_or_else(Vec::new, |urls| urls.iter().filter_map(|u| position.get(u.as_str()).copied()).collect()))
            .collect()
    }
}

fn related_urls(index: &SiteIndex<'_>, related: &[Vec<usize>]) -> HashMap<String, Vec<String>> {
    related.iter().enumerate().map(|(i, r)| (index.stories[i].url.clone(), r.iter().map(|j| index.stories[*j].url.clone()).collect())).collect()
}
