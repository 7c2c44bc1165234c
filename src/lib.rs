//! nguoitot: a static site generator for "Người tốt, việc tốt" exemplar stories.
//!
//! The pipeline reads top to bottom: [`config`] and [`content`] load and validate the site
//! (problems become [`diagnostics`]), [`site::index`] groups stories by movement, unit,
//! locality, award, year and kind, [`site::pages`] enumerates every page, [`site::render`]
//! renders them with Tera, and [`site::output`] writes them without ever damaging the previous
//! output. [`build`] runs the stages in that order. All Vietnamese text comparison goes through
//! [`text`].
//!
//! Beside the pipeline: [`search`] writes the static client index, [`engine`] indexes the same
//! stories in tantivy (related stories at build time, `nguoitot search`, the API), [`serve`] keeps
//! a build in memory for preview, [`imageproc`] processes photos, [`stats`] counts awards,
//! [`authoring`] helps staff write files, and [`corpus`] generates sites for benchmarks.

pub mod authoring;
pub mod build;
pub mod config;
pub mod content;
pub mod corpus;
pub mod diagnostics;
pub mod engine;
pub mod html;
pub mod search;
pub mod serve;
pub mod stats;
pub mod imageproc;
pub mod site;
pub mod text;
