//! The site a `serve` session keeps in memory between rebuilds, so that a change to story files
//! re-renders only the pages that show those stories.
//!
//! A full build runs the pipeline into memory and records, for every page, its signature: the
//! hash of the page's view ([`Renderer::signature`]). When only story files change,
//! [`LiveSite::update`] re-reads those files, re-runs the checks, regroups the site and renders
//! the pages whose signature changed — the story, its embed, the list pages that show it, the
//! home page and feeds when it is among the newest — in about 150 ms on a 10,000-story site
//! (BENCHMARKS.md). What needs every story — the tantivy engine, related stories and the
//! client search index — follows in [`LiveSite::refresh_search`], which the server runs after
//! the browser has been told to reload; until then those show the previous build. Anything else
//! (configuration, themes, movements, awards, static files, photos) rebuilds everything.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use rayon::prelude::*;

use crate::content::{self, Story, STORIES_DIR};
use crate::imageproc::ProcessedImage;
use crate::pipeline::{self, BuildError, Sink, Site};
use crate::render::{templates, RenderInput, Renderer};
use crate::report::{timed, Reporter, Update};
use crate::search::engine::{Coverage, Engine};
use crate::site::index::{Publish, SiteIndex};
use crate::site::output::OutputError;
use crate::site::pages::all_pages;
use crate::site::routes::output_file;

/// Files of a build kept in memory.
#[derive(Default)]
pub struct MemorySink(Mutex<HashMap<String, Bytes>>);

impl Sink for MemorySink {
    fn put(&self, path: &str, contents: Vec<u8>) -> Result<(), OutputError> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_string(), Bytes::from(contents));
        Ok(())
    }
}

pub struct LiveSite {
    root: PathBuf,
    /// `root` as the file watcher reports paths under it.
    canonical_root: PathBuf,
    publish: Publish,
    base_url: String,
    site: Site,
    images: HashMap<PathBuf, ProcessedImage>,
    /// Per story source, the digest its views hash (kept for the stories that did not change).
    digests: HashMap<String, u64>,
    /// Per story slug, the slugs of its related stories (slugs survive regrouping; positions do not).
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
    pub fn full(root: &Path, publish: Publish, base_url: &str, reporter: &dyn Reporter) -> Result<(LiveSite, Update), BuildError> {
        let site = pipeline::load_site(root).map_err(BuildError::Content)?;
        let index = pipeline::index(&site, &publish);
        let prepared = pipeline::prepare(&site, &index, base_url, Coverage::Search, reporter)?;
        let sink = MemorySink::default();
        let rendered = pipeline::render(&site, &index, prepared, base_url, &sink, reporter)?;
        let related = related_slugs(&index, &rendered.related);
        let search_files = rendered.client_files.into_iter().collect();
        drop(index);
        let files = sink.0.into_inner().expect("no panics while holding the lock");
        let mut live = LiveSite {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            publish,
            base_url: base_url.to_string(),
            site,
            images: rendered.images,
            digests: HashMap::new(),
            related,
            signatures: HashMap::new(),
            files: Arc::new(files),
            search_files,
            engine: Arc::new(rendered.engine),
            search_outdated: false,
        };
        let index = pipeline::index(&live.site, &live.publish);
        let related = live.related_positions(&index);
        let renderer = live.renderer(&index, &related)?;
        let pages = all_pages(&index, &live.site.config);
        let signatures = pages.par_iter().map(|p| (output_file(&p.url(&index)), renderer.signature(p))).collect();
        let digests = renderer.story_digests().map(|(source, digest)| (source.to_string(), digest)).collect();
        drop(renderer);
        live.signatures = signatures;
        live.digests = digests;
        let update = Update { rendered: pages.len(), removed: 0, full: true };
        Ok((live, update))
    }

    /// Applies a change to the files `changed` (as the watcher reports them). Only Markdown files
    /// under `content/stories/` without photos or images are applied story by story: they are
    /// re-read, checked, and the pages whose signature changed re-rendered. `Ok(None)`: the change
    /// needs a full build. On errors the site is left as it was.
    pub fn update(&mut self, changed: &[PathBuf], reporter: &dyn Reporter) -> Result<Option<Update>, BuildError> {
        let Some(sources) = changed.iter().map(|p| self.story_source(p)).collect::<Option<HashSet<String>>>() else { return Ok(None) };
        let has_images = |s: &Story| s.photo.is_some() || !s.images.is_empty();
        let stories = &self.site.content.stories;
        if stories.iter().any(|s| sources.contains(&s.source) && has_images(s)) {
            return Ok(None);
        }
        let paths: Vec<PathBuf> = sources.iter().map(|s| self.root.join(s)).collect();
        let settings = self.site.config.image_settings();
        let diags = timed(reporter, "đọc lại bài", || content::reload_stories(&self.root, &mut self.site.content, &paths, &settings));
        if diags.has_errors() {
            return Err(BuildError::Content(diags));
        }
        if self.site.content.stories.iter().any(|s| sources.contains(&s.source) && has_images(s)) {
            return Ok(None); // a photo was added: it must be processed
        }
        self.digests.retain(|source, _| !sources.contains(source));
        self.search_outdated = true;
        self.render_changed(reporter).map(Some)
    }

    /// The story source (`content/stories/….md`) of a watched path, if it is one.
    fn story_source(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.canonical_root).or_else(|_| path.strip_prefix(&self.root)).ok()?;
        (rel.starts_with(STORIES_DIR) && rel.extension().is_some_and(|x| x == "md")).then(|| rel.to_string_lossy().replace('\\', "/"))
    }

    /// Rebuilds what reads every story — the tantivy engine, related stories, the client search
    /// index — and re-renders the pages whose related stories changed. `superseded` is asked
    /// between steps; when it says a newer change is waiting, the work stops (`Ok(None)`).
    pub fn refresh_search(&mut self, superseded: &(dyn Fn() -> bool + Sync), reporter: &dyn Reporter) -> Result<Option<Update>, BuildError> {
        let index = pipeline::index(&self.site, &self.publish);
        let Some(search) = pipeline::search_parts(&index, &self.base_url, Coverage::Search, superseded, reporter)? else { return Ok(None) };
        if superseded() {
            return Ok(None);
        }
        let files = Arc::make_mut(&mut self.files);
        for old in self.search_files.drain() {
            files.remove(&old);
        }
        for f in search.client_files {
            self.search_files.insert(f.path.clone());
            files.insert(f.path, Bytes::from(f.contents));
        }
        self.related = related_slugs(&index, &search.related);
        self.engine = Arc::new(search.engine);
        self.search_outdated = false;
        drop(index);
        self.render_changed(reporter).map(Some)
    }

    /// Regroups the site and renders every page whose signature changed.
    fn render_changed(&mut self, reporter: &dyn Reporter) -> Result<Update, BuildError> {
        let index = timed(reporter, "nhóm bài", || pipeline::index(&self.site, &self.publish));
        let related = self.related_positions(&index);
        let renderer = timed(reporter, "chuẩn bị dựng", || self.renderer(&index, &related))?;
        let pages = all_pages(&index, &self.site.config);
        type Result1 = (String, u64, Option<Result<Vec<u8>, BuildError>>);
        let results: Vec<Result1> = timed(reporter, "so và dựng trang", || {
            pages
                .par_iter()
                .map(|page| {
                    let file = output_file(&page.url(&index));
                    let signature = renderer.signature(page);
                    let html = (self.signatures.get(&file) != Some(&signature)).then(|| renderer.render(page).map(|(_, html)| html).map_err(BuildError::from));
                    (file, signature, html)
                })
                .collect()
        });
        let digests: HashMap<String, u64> = renderer.story_digests().map(|(source, digest)| (source.to_string(), digest)).collect();
        drop(renderer);
        let mut signatures = HashMap::with_capacity(results.len());
        let mut rendered = Vec::new();
        for (file, signature, html) in results {
            if let Some(html) = html {
                rendered.push((file.clone(), html?));
            }
            signatures.insert(file, signature);
        }
        let removed: Vec<String> = self.signatures.keys().filter(|f| !signatures.contains_key(*f)).cloned().collect();
        let files = timed(reporter, "chép danh sách tệp", || Arc::make_mut(&mut self.files));
        for f in &removed {
            files.remove(f);
        }
        let update = Update { rendered: rendered.len(), removed: removed.len(), full: false };
        for (file, html) in rendered {
            files.insert(file, Bytes::from(html));
        }
        self.signatures = signatures;
        self.digests = digests;
        Ok(update)
    }

    fn renderer<'a>(&'a self, index: &'a SiteIndex<'a>, related: &'a [Vec<usize>]) -> Result<Renderer<'a>, BuildError> {
        let tera = templates::load(&self.root, &self.site.config)?;
        let search_entry = self.files.get(crate::site::routes::SEARCH_ENTRY_FILE).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("");
        let input = RenderInput { config: &self.site.config, content: &self.site.content, index, images: &self.images, related, search_entry };
        Ok(Renderer::new(tera, input, &self.base_url).with_story_digests(&self.digests))
    }

    /// Related stories by index position, from the slugs kept; stories no longer published drop out.
    fn related_positions(&self, index: &SiteIndex<'_>) -> Vec<Vec<usize>> {
        let position: HashMap<&str, usize> = index.stories.iter().enumerate().map(|(i, s)| (s.slug.as_str(), i)).collect();
        index
            .stories
            .iter()
            .map(|s| self.related.get(&s.slug).map_or_else(Vec::new, |slugs| slugs.iter().filter_map(|u| position.get(u.as_str()).copied()).collect()))
            .collect()
    }
}

fn related_slugs(index: &SiteIndex<'_>, related: &[Vec<usize>]) -> HashMap<String, Vec<String>> {
    related.iter().enumerate().map(|(i, r)| (index.stories[i].slug.clone(), r.iter().map(|j| index.stories[*j].slug.clone()).collect())).collect()
}
