//! The pipeline, top to bottom: load → validate → index → render → write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::site::index::{Publish, SiteIndex};
use crate::site::output::{OutputError, Staging};
use crate::site::pages::all_pages;
use crate::engine::{Coverage, Engine};
use crate::imageproc::ProcessedImage;
use crate::site::render::{base_path, load_templates, RenderError, RenderInput, Renderer};

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

/// A loaded and validated site.
pub struct LoadedSite {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub content: Content,
    /// Warnings (and errors, when loading failed).
    pub diagnostics: Diagnostics,
}

/// Loads the config and all content, running every check. Errors are in the diagnostics.
pub fn load(root: &Path) -> (Option<LoadedSite>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = SiteConfig::load(root, &mut diags);
    let settings = config.as_ref().map(SiteConfig::image_settings).unwrap_or_default();
    let (content, content_diags) = content::load(root, &settings);
    diags.extend(content_diags);
    match config {
        Some(config) if !diags.has_errors() => {
            (Some(LoadedSite { root: root.to_path_buf(), config, content, diagnostics: diags.clone() }), diags)
        }
        _ => (None, diags),
    }
}

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also publish stories dated after today.
    pub future: bool,
}

pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub stories: usize,
    /// Images decoded and encoded by this build, and images taken unchanged from the cache.
    pub images_encoded: usize,
    pub images_reused: usize,
    pub diagnostics: Diagnostics,
}

/// Runs one stage; with `NGUOITOT_TIMINGS=1` in the environment, prints how long it took (for
/// profiling builds; see BENCHMARKS.md).
pub(crate) fn timed<T>(stage: &str, work: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let result = work();
    if std::env::var_os("NGUOITOT_TIMINGS").is_some() {
        eprintln!("  {stage}: {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
    result
}

/// Where processed images are kept between builds, keyed by content hash and settings.
pub const IMAGE_CACHE: &str = ".nguoitot-cache/anh";

/// Where a build puts its files: the staging folder of `build`, memory for `serve`.
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

/// Pages rendered by one task and handed to the sink together: the writer thread is woken once
/// per batch (once per page, waking it took ~3 % of a 100,000-story build).
const PAGE_BATCH: usize = 16;

/// What a rendered site holds besides its files.
pub struct Rendered {
    /// The search engine over the rendered stories (it found the related stories).
    pub engine: Engine,
    pub pages: usize,
    pub stories: usize,
    pub images_encoded: usize,
    pub images_reused: usize,
    /// Processed images by source path, and per story (index position) its related stories.
    pub images: HashMap<PathBuf, ProcessedImage>,
    pub related: Vec<Vec<usize>>,
}

/// Builds the site; on any error the previous output is left untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let (site, diags) = timed("đọc nội dung", || load(&options.root));
    let site = site.ok_or(BuildError::Content(diags))?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let base_url = options.base_url.clone().unwrap_or_else(|| site.config.base_url.clone());
    let staging = Staging::create(&site.root, &output)?;
    match render(&site, &Publish::now(options.drafts, options.future), &base_url, &staging, Coverage::Related) {
        Ok(done) => Ok(BuildReport {
            output: timed("thay thư mục xuất", || staging.commit())?,
            pages: done.pages,
            stories: done.stories,
            images_encoded: done.images_encoded,
            images_reused: done.images_reused,
            diagnostics: site.diagnostics,
        }),
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

/// Index → images → render → write: every file of a loaded site, into `sink`. The returned engine
/// indexes what `coverage` asks for (`build` needs related stories only, `serve` also searches).
pub fn render(site: &LoadedSite, publish: &Publish, base_url: &str, sink: &dyn Sink, coverage: Coverage) -> Result<Rendered, BuildError> {
    let index = timed("nhóm bài", || SiteIndex::build(&site.content, publish));
    let tera = load_templates(&site.root, &site.config)?;
    let images = process_images(site, &index)?;
    let cards: std::sync::Arc<[crate::search::Card]> = crate::search::cards(&index).into();
    // The client search index needs neither the engine nor related stories: built alongside.
    let (found, search_files) = rayon::join(
        || -> Result<_, BuildError> {
            let engine = timed("tantivy", || Engine::build_with(&index, cards.clone(), coverage))?;
            let related = timed("bài liên quan", || related_stories(&index, &engine))?;
            Ok((engine, related))
        },
        || timed("chỉ mục tìm kiếm", || crate::search::write_index(&index, &cards, &base_path(base_url))),
    );
    let (engine, related) = found?;
    let input = RenderInput { config: &site.config, content: &site.content, index: &index, images: &images.images, related: &related };
    let renderer = Renderer::new(tera, input, base_url);
    let pages = all_pages(&index, site.config.paginate_by);

    copy_static(site, sink)?;
    images.files.into_par_iter().try_for_each(|(file, bytes)| sink.put(&file, bytes))?;
    // The search index's files are handed to the sink while pages render: creating files is the
    // sink's work (one writer thread), so on their own they would leave a core idle.
    let (index_written, pages_written) = rayon::join(
        // Consumed, so each file's text is freed once handed over.
        || {
            timed("ghi chỉ mục", || {
                let mut files = search_files.into_iter().map(|f| (f.path, f.contents.into_bytes())).peekable();
                while files.peek().is_some() {
                    sink.put_all(files.by_ref().take(PAGE_BATCH).collect())?;
                }
                Ok::<_, OutputError>(())
            })
        },
        || {
            timed("dựng và ghi trang", || {
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
        pages: pages.len(),
        stories: index.stories.len(),
        images_encoded: images.encoded,
        images_reused: images.reused,
        images: images.images,
        related,
    })
}

/// How many related stories a story page lists.
pub const RELATED_STORIES: usize = 5;

/// Per story, its related stories, found with the tantivy engine.
pub fn related_stories(index: &SiteIndex<'_>, engine: &Engine) -> Result<Vec<Vec<usize>>, BuildError> {
    Ok((0..index.stories.len()).into_par_iter().map(|i| engine.related(i, RELATED_STORIES)).collect::<Result<_, _>>()?)
}

/// Every story photo (with its Open Graph crop) and body image; failures are located errors.
fn process_images(site: &LoadedSite, index: &SiteIndex<'_>) -> Result<crate::imageproc::Batch, BuildError> {
    use crate::imageproc::{process_all, ImageJob};
    let mut jobs = Vec::new();
    for s in &index.stories {
        if let Some(p) = &s.photo {
            jobs.push(ImageJob { path: p.path.clone(), og_focus: Some(p.focus.unwrap_or((0.5, 0.5))) });
        }
        jobs.extend(s.images.iter().map(|i| ImageJob { path: i.path.clone(), og_focus: None }));
    }
    let (batch, errors) = process_all(&jobs, &site.config.image_settings(), Some(&site.root.join(IMAGE_CACHE)));
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

/// Copies the theme's `static/` then the site's `static/` (the site wins) to the output root.
fn copy_static(site: &LoadedSite, sink: &dyn Sink) -> Result<(), OutputError> {
    let dirs = [site.root.join("themes").join(&site.config.theme).join("static"), site.root.join("static")];
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
            let rel = entry.path().strip_prefix(dir).expect("walked under dir").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|source| OutputError::Io { path: entry.path().to_path_buf(), source })?;
            sink.put(&rel, bytes)?;
        }
    }
    Ok(())
}
