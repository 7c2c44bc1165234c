//! The theme's Tera templates: loaded with the site's overrides, with the filters they use.
//!
//! Tera 2 was chosen over Tera 1: it is the maintained line (Zola 0.23 moved to it), it errors on
//! undefined variables instead of printing nothing, and it renders faster. Templates come from
//! the built-in default theme; a site overrides any of them with a file of the same name in
//! `themes/<theme>/templates/` or `<root>/templates/`.

use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera};

use super::RenderError;
use crate::config::SiteConfig;
use crate::theme::{self, ThemeFile};

/// The theme's component for a story in a list. Each story's card is rendered with it once per
/// build and given to templates as `card_html`: rendering the component for each of the twenty
/// cards of every list page was a sixth of all rendering at 100,000 stories.
pub const CARD_COMPONENT: &str = "story_card";

/// Loads the theme's templates: the built-in default theme, then the site's overrides
/// ([`crate::theme`]). The built-in set is complete, so it is added first and the site's files
/// replace its templates by name (and keep their path for error messages).
pub fn load(root: &Path, config: &SiteConfig) -> Result<Tera, RenderError> {
    let files = theme::files(root, &config.theme)?;
    let site_files: Vec<(&PathBuf, Option<&str>)> = files
        .templates
        .iter()
        .filter_map(|(name, file)| match file {
            ThemeFile::Site(path) => Some((path, Some(name.as_str()))),
            ThemeFile::BuiltIn(_) => None,
        })
        .collect();
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("ngay", format_date);
    tera.register_filter("urlencode", url_encode);
    tera.add_raw_templates(theme::built_in_templates()).map_err(|e| RenderError::Template(message(&e)))?;
    if !site_files.is_empty() {
        tera.add_template_files(site_files).map_err(|e| RenderError::Template(message(&e)))?;
    }
    Ok(tera)
}

/// Full Tera error text (Tera puts the useful part in the source chain).
pub fn message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// The path part of a base URL ("" or "/subdir"): the prefix of every link.
pub fn base_path(base_url: &str) -> String {
    base_url
        .trim_end_matches('/')
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default()
}

/// Everything but RFC 3986's unreserved characters, percent-encoded (for share links).
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The `urlencode` filter: a value as a URL component.
fn url_encode(value: &str, _: Kwargs, _: &State) -> String {
    percent_encoding::utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// The `ngay` filter: "2022-03-15" → "15/03/2022", the way dates are written in Vietnamese documents.
fn format_date(value: &str, _: Kwargs, _: &State) -> String {
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_encode_all_but_unreserved_characters() {
        let encoded = percent_encoding::utf8_percent_encode("Điện Quan a-b.c_d~e/f?g=h&i", NOT_UNRESERVED).to_string();
        assert_eq!(encoded, "%C4%90i%E1%BB%87n%20Quan%20a-b.c_d~e%2Ff%3Fg%3Dh%26i");
    }

    #[test]
    fn base_paths_are_the_path_of_the_base_url() {
        assert_eq!(base_path("https://vi-du.test"), "");
        assert_eq!(base_path("https://vi-du.test/"), "");
        assert_eq!(base_path("https://vi-du.test/lao-cai/"), "/lao-cai");
    }
}
