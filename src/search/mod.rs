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
//!
//! Both keep a new story's effects to itself until it is *sealed* ([`sealed_stories`]): the
//! client index holds the recent stories in files of their own, and related stories are found
//! among the sealed ones, with the sealed ones' statistics. So a new story changes only the pages
//! it is on and a few search files, not the related lists of every story that shares a word with
//! it, and `deploy` uploads little.

pub mod client;
pub mod engine;
pub mod facets;

pub use client::format::{cards, write_index, Card, IndexFile, FORMAT_VERSION};

/// Stories are sealed this many at a time.
pub const SEAL_BLOCK: usize = 64;

/// How many of `stories` stories (the oldest) are sealed.
pub fn sealed_stories(stories: usize) -> usize {
    stories / SEAL_BLOCK * SEAL_BLOCK
}
