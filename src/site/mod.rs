//! The site as published: the content grouped ([`index`]), every page ([`pages`]) at its address
//! ([`routes`]), and the output folder ([`output`]) with its [`manifest`].
pub mod index;
pub mod manifest;
pub mod output;
pub mod pages;
pub mod routes;
