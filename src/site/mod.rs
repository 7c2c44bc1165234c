//! The site stages after loading: index the content, enumerate and render pages, write them.
pub mod index;
pub mod output;
pub mod pages;
pub mod render;
pub mod syndication;
