//! nguoitot: a static site generator for "Người tốt, việc tốt" exemplar stories.
//!
//! [`pipeline`] reads top to bottom — load → validate → index → prepare → render → write — and is
//! where to start. Its stages use:
//!
//! - [`config`] (`nguoitot.toml`) and [`content`] (the model, read and validated; no HTML, no
//!   addresses), whose problems are [`diagnostics`];
//! - [`site`]: the stories grouped ([`site::index`]), every page ([`site::pages`]) at its address
//!   ([`site::routes`], the one place URLs are spelled), the output folder ([`site::output`]);
//! - [`imageproc`] (photos) and [`search`] (the browser's static index and the tantivy engine,
//!   which also finds related stories);
//! - [`render`]: Markdown to safe HTML, the view of each page kind, Tera templates, feeds, oEmbed
//!   and the other JSON outputs.
//!
//! All Vietnamese text comparison goes through [`text`]. Around the pipeline: [`serve`] keeps a
//! build in memory and re-renders what a change touches, [`stats`] counts awards, [`authoring`]
//! helps staff write files, [`deploy`] publishes a build's output folder to object storage, only
//! what changed (by the [`site::manifest`] the build writes). The library prints nothing; it tells its caller what happens through
//! a [`report::Reporter`].

pub mod authoring;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod html;
pub mod imageproc;
pub mod init;
pub mod pipeline;
pub mod places;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod text;
pub mod theme;
