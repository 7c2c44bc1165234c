//! Search, in two engines over the same analyzer ([`crate::text`]) and the same ranking impacts:
//!
//! - [`client`]: the static index for the browser, split the way Pagefind splits it —
//!   [`client::terms`] turns stories into weighted terms, [`client::format`] lays them out as
//!   small files under `/tim-kiem/` (the format is documented there), and the browser client
//!   (`themes/default/static/tim-kiem.js`) reads only the files a query needs;
//! - [`engine`]: tantivy in memory, for `nguoitot search`, `serve`'s `/api/search` and related
//!   stories at build time.
//!
//! [`facets`] (movement, kind, district, award, year) are shared by both.

pub mod client;
pub mod engine;
pub mod facets;

pub use client::format::{cards, write_index, Card, IndexFile, FORMAT_VERSION};
