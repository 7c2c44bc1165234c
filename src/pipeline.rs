//! The pipeline, read top to bottom; `build`, `serve` and the other commands run its stages:
//!
//! ```text
//! load → validate → index → prepare → render → write
//! ```
//!
//! - [`load`]: the configuration and every content file, each checked on its own → [`Loaded`];
//! - [`validate`]: the checks across files → a [`Site`] without errors (or every problem);
//! - [`index`]: the published stories grouped by movement, unit, locality, award, year, kind →
//!   [`SiteIndex`];
//! - [`prepare`]: what pages need besides the model — templates, processed photos, the tantivy
//!   engine and related stories, the client search index → [`Prepared`];
//! - [`render`]: every page, static file, photo and search file, handed to a [`Sink`] as it is
//!   made → [`Rendered`];
//! - write: the sink — `build`'s staging folder, swapped in for the output folder in one step
//!   ([`crate::site::output`]), or `serve`'s memory.
//!
//! [`build`] runs them all. The library prints nothing: it reports through a [`Reporter`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::imageproc::{self, ProcessedImage};
use crate::render::templates;
use crate::render::{RenderError, RenderInput, Renderer};
use crate::report::{timed, Reporter};
use crate::search::engine::{related_stories, Coverage, Engine};
use crate::search::{Card, IndexFile};
use crate::site::index::{Publish, SiteIndex};
use crate::site::output::{OutputError, Staging};
use crate::site::pages::all_pages;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the content; nothing was written.
    #[error("nội dung có {} lỗi", .0.error_count())]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("chỉ mục tìm kiếm (tantivy): {0}")]
    Search(#[from] tantivy::TantivyError),
}

impl BuildError {
    /// The error in the words of `check`: every located message, then the count.
    pub fn describe(&self) -> String {
        match self {
            BuildError::Content(diags) => {
                let mut lines: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
                lines.push(format!("Nội dung có {} lỗi, {} cảnh báo.", diags.error_count(), diags.warning_count()));
                lines.join("\n")
            }
            other => format!("lỗi: {other}"),
        }
    }
}

/// Where processed images are kept between builds, keyed by content hash and settings.
pub const IMAGE_CACHE: &str = ".nguoitot-cache/anh";

/// What [`load`] read: the configuration (if it could be read) and every file that could be, with
/// the problems of each file.
pub struct Loaded {
    pub root: PathBuf,
    pub config: Option<SiteConfig>,
    pub content: Content,
    pub diagnostics: Diagnostics,
}

/// A site whose configuration and content passed every check: what the later stages read.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub content: Content,
    /// Warnings.
    pub diagnostics: Diagnostics,
}

/// Reads `nguoitot.toml` and every content file under `root`, each checked on its own.
pub fn load(root: &Path) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let config = SiteConfig::load(root, &mut diagnostics);
    let (content, content_diags) = content::load(root);
    diagnostics.extend(content_diags);
    diagnostics.extend(static_links(root));
    Loaded { root: root.to_path_buf(), config, content, diagnostics }
}

/// Symbolic links under the site's `static/`: never published (nothing outside the site is
/// copied into the output), and said so rather than left out without a word.
fn static_links(root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for entry in WalkDir::new(root.join("static")).min_depth(1).into_iter().filter_map(Result::ok).filter(|e| e.path_is_symlink()) {
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        diags.warning(&content::display_path(root, rel), crate::diagnostics::Position::START, "liên kết tượng trưng (symlink) trong static/ không được đăng; hãy đặt chính tệp vào đây");
    }
    diags
}

/// Runs the checks across files; `Err` holds every problem of the site, warnings included.
pub fn validate(loaded: Loaded) -> Result<Site, Diagnostics> {
    let Loaded { root, config, mut content, mut diagnostics } = loaded;
    let settings = config.as_ref().map(SiteConfig::image_settings).unwrap_or_default();
    diagnostics.extend(content::validate(&root, &mut content, &settings));
    match config {
        Some(config) if !diagnostics.has_errors() => Ok(Site { root, config, content, diagnostics }),
        _ => Err(diagnostics),
    }
}

/// [`load`] then [`validate`]: what `check`, `stats` and `search` start from.
pub fn load_site(root: &Path) -> Result<Site, Diagnostics> {
    validate(load(root))
}

/// Groups the stories `publish` lets through.
pub fn index<'a>(site: &'a Site, publish: &Publish) -> SiteIndex<'a> {
    SiteIndex::build(&site.content, publish)
}

/// What the pages need besides the model.
pub struct Prepared {
    pub templates: tera::Tera,
    pub images: imageproc::Batch,
    pub search: SearchParts,
}

/// What reads every story for search: the tantivy engine, related stories, the client index.
pub struct SearchParts {
    pub engine: Engine,
    /// Per story (index position), its related stories, best first.
    pub related: Vec<Vec<usize>>,
    /// The client search index's files, to be written.
    pub client_files: Vec<IndexFile>,
}

/// Loads the templates, processes the photos, and builds the search parts. The engine indexes
/// what `coverage` asks for (`build` needs related stories only, `serve` also searches).
pub fn prepare(site: &Site, index: &SiteIndex<'_>, base_url: &str, coverage: Coverage, reporter: &dyn Reporter) -> Result<Prepared, BuildError> {
    let templates = templates::load(&site.root, &site.config)?;
    let images = process_images(site, index, reporter)?;
    let search = search_parts(index, base_url, coverage, &|| false, reporter)?.expect("never superseded");
    Ok(Prepared { templates, images, search })
}

/// The engine with related stories, and beside them the client index, which needs neither (the
/// two keep both cores busy). `superseded` is asked between steps: when it says a newer change
/// waits (`serve`), the work stops with `Ok(None)`.
pub fn search_parts(
    index: &SiteIndex<'_>,
    base_url: &str,
    coverage: Coverage,
    superseded: &(dyn Fn() -> bool + Sync),
    reporter: &dyn Reporter,
) -> Result<Option<SearchParts>, BuildError> {
    let cards: std::sync::Arc<[Card]> = crate::search::cards(index).into();
    type EngineAndRelated = Option<(Engine, Vec<Vec<usize>>)>;
    let (found, client_files) = rayon::join(
        || -> Result<EngineAndRelated, BuildError> {
            let engine = timed(reporter, "tantivy", || Engine::build_with(index, cards.clone(), coverage))?;
            if superseded() {
                return Ok(None);
            }
            let related = timed(reporter, "bài liên quan", || related_stories(index, &engine))?;
            Ok(Some((engine, related)))
        },
        || timed(reporter, "chỉ mục tìm kiếm", || crate::search::write_index(index, &cards, &templates::base_path(base_url))),
    );
    Ok(found?.map(|(engine, related)| SearchParts { engine, related, client_files }))
}

/// Pages rendered by one task and handed to the sink together: the writer thread is woken once
/// per batch (once per page, waking it took ~3 % of a 100,000-story build).
const PAGE_BATCH: usize = 16;

/// Where rendered files go: the staging folder of `build`, memory for `serve`.
pub trait Sink: Sync {
    /// Takes the contents: a page is handed over, not copied (gigabytes on a national site).
    fn put(&self, path: &str, contents: Vec<u8>) -> Result<(), OutputError>;

    /// Takes several files at once (a sink may hand them on in one step).
    fn put_all(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), OutputError> {
        files.into_iter().try_for_each(|(path, contents)| self.put(&path, contents))
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, contents: Vec<u8>) -> Result<(), OutputError> {
        self.write(path, contents)
    }

    fn put_all(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), OutputError> {
        self.write_all(files)
    }
}

/// What rendering made, besides its files.
pub struct Rendered {
    pub engine: Engine,
    /// Per story (index position), its related stories.
    pub related: Vec<Vec<usize>>,
    /// Processed images by source path.
    pub images: HashMap<PathBuf, ProcessedImage>,
    /// The files of the client search index.
    pub client_files: Vec<String>,
    pub pages: usize,
    pub stories: usize,
    pub images_encoded: usize,
    pub images_reused: usize,
}

/// Renders every page and hands it, the static files, the processed photos and the client search
/// index to `sink`.
pub fn render(site: &Site, index: &SiteIndex<'_>, prepared: Prepared, base_url: &str, sink: &dyn Sink, reporter: &dyn Reporter) -> Result<Rendered, BuildError> {
    let Prepared { templates, images, search: SearchParts { engine, related, client_files } } = prepared;
    let search_entry = client_files.iter().find(|f| f.path == crate::site::routes::SEARCH_ENTRY_FILE).map_or_else(String::new, |f| f.contents.clone());
    let input = RenderInput { config: &site.config, content: &site.content, index, images: &images.images, related: &related, search_entry: &search_entry };
    let renderer = Renderer::new(templates, input, base_url);
    let pages = all_pages(index, &site.config);

    let client_paths = client_files.iter().map(|f| f.path.clone()).collect();
    copy_static(site, sink)?;
    images.files.into_par_iter().try_for_each(|(file, bytes)| sink.put(&file, bytes))?;
    // The search index's files are handed to the sink while pages render: creating files is the
    // sink's work (one writer thread), so on their own they would leave a core idle.
    let (index_written, pages_written) = rayon::join(
        // Consumed, so each file's text is freed once handed over.
        || {
            timed(reporter, "ghi chỉ mục", || {
                let mut files = client_files.into_iter().map(|f| (f.path, f.contents.into_bytes())).peekable();
                while files.peek().is_some() {
                    sink.put_all(files.by_ref().take(PAGE_BATCH).collect())?;
                }
                Ok::<_, OutputError>(())
            })
        },
        || {
            timed(reporter, "dựng và ghi trang", || {
                pages.par_chunks(PAGE_BATCH).try_for_each(|batch| -> Result<(), BuildError> {
                    let files = batch.iter().map(|page| renderer.render(page)).collect::<Result<_, _>>()?;
                    sink.put_all(files)?;
                    Ok(())
                })
            })
        },
    );
    renderer.drop_in_background();
    index_written?;
    pages_written?;
    Ok(Rendered {
        engine,
        related,
        pages: pages.len(),
        stories: index.stories.len(),
        images_encoded: images.encoded,
        images_reused: images.reused,
        images: images.images,
        client_files: client_paths,
    })
}

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub publish: Publish,
}

pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub stories: usize,
    /// Images decoded and encoded by this build, and images taken unchanged from the cache.
    pub images_encoded: usize,
    pub images_reused: usize,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// Drafts and stories dated later that this build left out.
    pub left_out: (usize, usize),
}

/// `nguoitot build`: every stage, into a staging folder that replaces the output folder in one
/// step; on any error the previous output is left untouched.
pub fn build(options: &BuildOptions, reporter: &dyn Reporter) -> Result<BuildReport, BuildError> {
    let site = timed(reporter, "đọc nội dung", || load_site(&options.root)).map_err(BuildError::Content)?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let base_url = options.base_url.clone().unwrap_or_else(|| site.config.base_url.clone());
    let index = timed(reporter, "nhóm bài", || index(&site, &options.publish));
    let staging = Staging::create(&site.root, &output)?;
    let rendered = prepare(&site, &index, &base_url, Coverage::Related, reporter)
        .and_then(|prepared| render(&site, &index, prepared, &base_url, &staging, reporter));
    match rendered {
        Ok(done) => Ok(BuildReport {
            output: timed(reporter, "thay thư mục xuất", || staging.commit())?,
            pages: done.pages,
            stories: done.stories,
            images_encoded: done.images_encoded,
            images_reused: done.images_reused,
            left_out: options.publish.left_out(&site.content.stories),
            diagnostics: site.diagnostics,
        }),
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

/// Every story photo (with its Open Graph crop) and body image; failures are located errors.
fn process_images(site: &Site, index: &SiteIndex<'_>, reporter: &dyn Reporter) -> Result<imageproc::Batch, BuildError> {
    use crate::imageproc::{process_all, ImageJob};
    let mut jobs = Vec::new();
    for s in &index.stories {
        if let Some(p) = &s.photo {
            jobs.push(ImageJob { path: p.path.clone(), og_focus: Some(p.focus.map_or((0.5, 0.5), |f| (f.0, f.1))) });
        }
        jobs.extend(s.images.iter().map(|i| ImageJob { path: i.path.clone(), og_focus: None }));
    }
    let (batch, errors) = process_all(&jobs, &site.config.image_settings(), Some(&site.root.join(IMAGE_CACHE)), reporter);
    if errors.is_empty() {
        return Ok(batch);
    }
    let mut diags = Diagnostics::default();
    for (job, error) in errors {
        for s in index.stories.iter() {
            let shown = content::display_path(&site.root, Path::new(&s.source));
            if let Some(p) = s.photo.as_ref().filter(|p| p.path == job.path) {
                diags.error(&shown, p.position, format!("trường `photo.src` (\"{}\"): {error}", p.src));
            }
            for i in s.images.iter().filter(|i| i.path == job.path) {
                diags.error(&shown, i.position, format!("ảnh trong bài (\"{}\"): {error}", i.src));
            }
        }
    }
    Err(BuildError::Content(diags))
}

/// Copies the theme's static files (built-in, `themes/<theme>/static/`, then the site's
/// `static/`, the last winning) to the output root.
fn copy_static(site: &Site, sink: &dyn Sink) -> Result<(), OutputError> {
    let files = crate::theme::files(&site.root, &site.config.theme)?;
    for (rel, file) in &files.statics {
        let bytes = file.bytes()?;
        sink.put(rel, bytes.into_owned())?;
    }
    Ok(())
}
