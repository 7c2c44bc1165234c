//! Search, split the way Pagefind splits it: [`terms`] turns stories into weighted terms with the
//! project's analyzer, [`format`] lays them out as small static files under `/tim-kiem/`
//! (documented there) and the browser client (`themes/default/static/tim-kiem.js`) reads only
//! the files a query needs. [`facets`] are shared with the server engine ([`crate::engine`]),
//! which ranks with the same impacts ([`terms::names_impact`], [`terms::body_impact`]).

pub mod facets;
pub mod format;
pub mod terms;

pub use format::{cards, write_index, Card, IndexFile, FORMAT_VERSION};
