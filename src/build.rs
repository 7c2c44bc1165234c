//! The pipeline, top to bottom: load → validate → index → render → write.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::site::index::SiteIndex;
use crate::site::output::{OutputError, Staging};
use crate::site::pages::all_pages;
use crate::site::render::{load_templates, RenderError, Renderer};

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the content; nothing was written.
    #[error("nội dung có {} lỗi", .0.error_count())]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
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
    let (content, content_diags) = content::load(root);
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
}

pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub stories: usize,
    pub diagnostics: Diagnostics,
}

/// Builds the site; on any error the previous output is left untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let (site, diags) = load(&options.root);
    let site = site.ok_or(BuildError::Content(diags))?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let base_url = options.base_url.clone().unwrap_or_else(|| site.config.base_url.clone());

    let index = SiteIndex::build(&site.content, options.drafts);
    let tera = load_templates(&site.root, &site.config)?;
    let photos = crate::imageproc::process_all(&site.root, &index.stories).map_err(BuildError::Content)?;
    let renderer = Renderer::new(tera, &site.config, &base_url, &index, &photos);
    let pages = all_pages(&index, site.config.paginate_by);

    let staging = Staging::create(&site.root, &output)?;
    let written = (|| -> Result<usize, BuildError> {
        copy_static(&site, &staging)?;
        for photo in photos.iter().flatten() {
            staging.write(&photo.file, &photo.bytes)?;
        }
        let search_files = crate::search::write_index(&index, renderer.base_path());
        search_files.par_iter().try_for_each(|f| staging.write(&f.path, f.contents.as_bytes()))?;
        pages.par_iter().try_for_each(|page| -> Result<(), BuildError> {
            let (file, html) = renderer.render(page)?;
            staging.write(&file, html.as_bytes())?;
            Ok(())
        })?;
        Ok(pages.len())
    })();
    match written {
        Ok(pages) => {
            let output = staging.commit()?;
            Ok(BuildReport { output, pages, stories: index.stories.len(), diagnostics: site.diagnostics })
        }
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

/// Copies the theme's `static/` then the site's `static/` (the site wins) to the output root.
fn copy_static(site: &LoadedSite, staging: &Staging) -> Result<(), OutputError> {
    let dirs = [site.root.join("themes").join(&site.config.theme).join("static"), site.root.join("static")];
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
            let rel = entry.path().strip_prefix(dir).expect("walked under dir").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|source| OutputError::Io { path: entry.path().to_path_buf(), source })?;
            staging.write(&rel, &bytes)?;
        }
    }
    Ok(())
}
