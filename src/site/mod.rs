//! The site as published: the content grouped ([`index`]), every page ([`pages`]) at its address
//! ([`routes`]), and the output folder ([`output`]).
pub mod index;
pub mod output;
pub mod pages;
pub mod routes;
