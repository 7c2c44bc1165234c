//! The client-side search index written under `/tim-kiem/`.
//!
//! Split the way Pagefind splits it: [`terms`] turns stories into weighted terms with the
//! project's analyzer, [`format`] lays them out as small static files (documented there), and the
//! browser client (`themes/default/static/tim-kiem.js`) reads only the files a query needs.

pub mod format;
pub mod terms;

pub use format::{write_index, IndexFile, FORMAT_VERSION};
