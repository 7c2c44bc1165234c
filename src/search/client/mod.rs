//! The static search index the browser reads (`/tim-kiem/`): [`terms`] turns each story into
//! weighted terms, [`format`] writes them as small files a query fetches only what it needs of.

pub mod format;
pub mod terms;
