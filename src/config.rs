//! `nguoitot.toml`, the site configuration.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{did_you_mean, Diagnostics, Position};

pub const CONFIG_FILE: &str = "nguoitot.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    #[serde(default)]
    pub description: Option<String>,
    /// Images claiming more pixels than this are refused (decompression bombs).
    #[serde(default = "default_max_image_megapixels")]
    pub max_image_megapixels: u64,
}

const KEYS: [&str; 7] = ["title", "base_url", "language", "theme", "paginate_by", "description", "max_image_megapixels"];

fn default_max_image_megapixels() -> u64 {
    crate::imageproc::DEFAULT_MAX_MEGAPIXELS
}

fn default_language() -> String {
    "vi".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    20
}

impl SiteConfig {
    /// Reads and validates the config; problems go to `diags` with their position.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<SiteConfig> {
        let path = crate::content::display_path(root, Path::new(CONFIG_FILE));
        let text = match std::fs::read_to_string(root.join(CONFIG_FILE)) {
            Ok(t) => crate::content::source::clean_text(t),
            Err(e) => {
                diags.error(
                    &path,
                    Position::START,
                    format!("không đọc được tệp cấu hình {CONFIG_FILE}: {}", crate::diagnostics::io_reason(&e)),
                );
                return None;
            }
        };
        // Unknown keys first, all of them, each with its position and a suggestion.
        let table: toml::Table = match toml::from_str(&text) {
            Ok(t) => t,
            Err(e) => {
                let pos = e.span().map_or(Position::START, |s| Position::of_offset(&text, s.start));
                diags.error(&path, pos, format!("cú pháp TOML không hợp lệ: {}", e.message()));
                return None;
            }
        };
        let mut ok = true;
        for key in table.keys() {
            if !KEYS.contains(&key.as_str()) {
                ok = false;
                let pos = find_key(&text, key);
                let hint = did_you_mean(key, KEYS)
                    .map(|k| format!(" — có phải ý bạn là `{k}`?"))
                    .unwrap_or_default();
                diags.error(
                    &path,
                    pos,
                    format!(
                        "khóa `{key}` không được hỗ trợ trong {CONFIG_FILE}{hint} (các khóa hợp lệ: {})",
                        KEYS.join(", ")
                    ),
                );
            }
        }
        for required in ["title", "base_url"] {
            if !table.contains_key(required) {
                ok = false;
                diags.error(&path, Position::START, format!("thiếu khóa bắt buộc `{required}` trong {CONFIG_FILE}"));
            }
        }
        if !ok {
            return None;
        }
        match toml::from_str::<SiteConfig>(&text) {
            Ok(mut config) => {
                if config.paginate_by == 0 {
                    diags.error(&path, find_key(&text, "paginate_by"), "`paginate_by` phải là số nguyên dương");
                    return None;
                }
                config.title = crate::text::nfc(&config.title);
                config.description = config.description.map(|d| crate::text::nfc(&d));
                Some(config)
            }
            Err(e) => {
                let pos = e.span().map_or(Position::START, |s| Position::of_offset(&text, s.start));
                diags.error(&path, pos, format!("giá trị không hợp lệ: {}", e.message()));
                None
            }
        }
    }

    pub fn image_settings(&self) -> crate::imageproc::ImageSettings {
        crate::imageproc::ImageSettings { max_pixels: self.max_image_megapixels.saturating_mul(1_000_000) }
    }

    /// `base_url` without its trailing slash, so `{{ base_url }}/path/` is always right.
    pub fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

fn find_key(text: &str, key: &str) -> Position {
    text.lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(key))
        .map_or(Position::START, |(i, l)| Position::new(i + 1, l.len() - l.trim_start().len() + 1))
}
