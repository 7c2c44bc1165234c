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
    /// The site's province (registry spelling): what `nguoitot new story` fills in.
    #[serde(default)]
    pub province: Option<String>,
    /// Who publishes the site.
    #[serde(default)]
    pub publisher: Publisher,
    /// The web editor's git backend; without it `/admin/` says how to set it up.
    #[serde(default)]
    pub editor: Option<EditorConfig>,
    /// `[[deploy]]`: object storage targets `nguoitot deploy --target NAME` publishes to.
    #[serde(default)]
    pub deploy: Vec<DeployTarget>,
    /// `[[headers]]`: header rules for deployed files, the first matching rule winning.
    #[serde(default)]
    pub headers: Vec<HeaderRule>,
}

const KEYS: [&str; 12] =
    ["title", "base_url", "language", "theme", "paginate_by", "description", "max_image_megapixels", "province", "publisher", "editor", "deploy", "headers"];

/// A named place `nguoitot deploy` publishes to. Credentials never live here: they come from
/// the environment or the AWS profile file.
#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct DeployTarget {
    pub name: String,
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// The S3-compatible server, e.g. "https://s3.hcm.vnpt-cloud.vn"; Amazon's by default.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Bucket in the path (`endpoint/bucket/key`, what MinIO and Ceph expect) rather than in the
    /// host name (`bucket.endpoint/key`). By default path style with an `endpoint`, host style
    /// without (Amazon).
    #[serde(default)]
    pub path_style: Option<bool>,
}

/// Headers for the deployed files a glob matches (`tim-kiem/**`, `**/*.html`, paths relative to
/// the output folder).
#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct HeaderRule {
    pub files: String,
    #[serde(default)]
    pub cache_control: Option<String>,
    /// Upload compressed with `Content-Encoding: gzip` (text files only).
    #[serde(default)]
    pub gzip: Option<bool>,
}

/// Keys that would hold a secret: refused anywhere in `nguoitot.toml`, which is committed.
const SECRET_KEYS: [&str; 6] = ["secret", "password", "token", "access_key", "credential", "mat_khau"];

/// The first key path under `table` whose name looks like a secret.
fn secret_key(table: &toml::Table) -> Option<String> {
    for (key, value) in table {
        let lower = key.to_lowercase();
        if SECRET_KEYS.iter().any(|s| lower.contains(s)) {
            return Some(key.clone());
        }
        let nested: Vec<&toml::Table> = match value {
            toml::Value::Table(t) => vec![t],
            toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_table).collect(),
            _ => Vec::new(),
        };
        if let Some(inner) = nested.into_iter().find_map(secret_key) {
            return Some(format!("{key}.{inner}"));
        }
    }
    None
}

/// `[publisher]`: the agency that manages the site and how to reach it, shown on every page (as
/// rules for government portals expect) and used by each story's "Báo lỗi / góp ý" link.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    #[serde(default)]
    pub agency: Option<String>,
    /// The person responsible for the content.
    #[serde(default)]
    pub responsible: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The licence of the content, as a sentence.
    #[serde(default)]
    pub license: Option<String>,
    /// Where reports of mistakes go (`email` when not set).
    #[serde(default)]
    pub feedback_email: Option<String>,
}

/// An address a `mailto:` link can carry as it is: nothing that would add headers or recipients.
fn is_plain_email(value: &str) -> bool {
    let Some((user, host)) = value.split_once('@') else { return false };
    let allowed = |c: char, extra: &str| c.is_ascii_alphanumeric() || extra.contains(c);
    !user.is_empty() && host.contains('.') && user.chars().all(|c| allowed(c, "._+-")) && host.chars().all(|c| allowed(c, ".-"))
}

/// `[editor]`: where the web editor (Sveltia CMS) reads and commits the content.
#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct EditorConfig {
    pub backend: EditorBackend,
    /// "owner/repo" (GitHub, Gitea, Forgejo) or "group/project" (GitLab).
    pub repo: String,
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The git host's API for a self-hosted GitLab, Gitea or Forgejo, e.g.
    /// "https://git.so-noi-vu.gov.vn/api/v4"; the public host's by default.
    #[serde(default)]
    pub api_root: Option<String>,
    /// The OAuth server (Sveltia CMS Authenticator or the git host); the host's by default.
    #[serde(default)]
    pub auth_url: Option<String>,
    /// OAuth application id, for sign-in with PKCE on GitLab, Gitea and Forgejo.
    #[serde(default)]
    pub app_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum EditorBackend {
    Github,
    Gitlab,
    Gitea,
    Forgejo,
}

fn default_branch() -> String {
    "main".into()
}

impl EditorConfig {
    /// The REST API root the editor talks to.
    pub fn api_root(&self) -> String {
        match (&self.api_root, self.backend) {
            (Some(root), _) => root.trim_end_matches('/').to_string(),
            (None, EditorBackend::Github) => "https://api.github.com".into(),
            (None, EditorBackend::Gitlab) => "https://gitlab.com/api/v4".into(),
            (None, EditorBackend::Gitea | EditorBackend::Forgejo) => "https://gitea.com/api/v1".into(),
        }
    }

    /// The origins the editor may connect to: the API's and the sign-in server's.
    pub fn origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = [Some(self.api_root()), self.auth_url.clone()].into_iter().flatten().filter_map(|u| origin(&u)).collect();
        if self.backend == EditorBackend::Github && self.api_root.is_none() {
            // Avatars and file contents come from GitHub's content hosts.
            origins.extend(["https://github.com".to_string(), "https://avatars.githubusercontent.com".into(), "https://raw.githubusercontent.com".into()]);
        }
        origins.sort();
        origins.dedup();
        origins
    }
}

/// "https://host[:port]" of an absolute http(s) URL.
fn origin(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "https" | "http").then(|| parsed.origin().ascii_serialization())
}

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
                diags.error(&path, pos, format!("cú pháp TOML không hợp lệ: {}", crate::diagnostics::toml_message(e.message())));
                return None;
            }
        };
        if let Some(key) = secret_key(&table) {
            let last = key.rsplit('.').next().unwrap_or(&key);
            diags.error(
                &path,
                find_key(&text, last),
                format!(
                    "`{key}`: không ghi khóa bí mật vào {CONFIG_FILE} (tệp này được đưa lên kho git); hãy đặt AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY trong biến môi trường, hoặc trong tệp ~/.aws/credentials"
                ),
            );
            return None;
        }
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
                let p = &mut config.publisher;
                for text in [&mut p.agency, &mut p.responsible, &mut p.address, &mut p.phone, &mut p.license] {
                    *text = text.take().map(|t| crate::text::nfc(t.trim())).filter(|t| !t.is_empty());
                }
                for (key, email) in [("email", &mut p.email), ("feedback_email", &mut p.feedback_email)] {
                    *email = email.take().map(|e| e.trim().to_string()).filter(|e| !e.is_empty());
                    if email.as_deref().is_some_and(|e| !is_plain_email(e)) {
                        diags.error(&path, find_key(&text, key), format!("`publisher.{key}` cần một địa chỉ thư điện tử, ví dụ `{key} = \"thidua@laocai.gov.vn\"`"));
                        return None;
                    }
                }
                if let Some(written) = config.province.take() {
                    match crate::places::registry().find_provinces(&written).first().copied() {
                        Some(id) => config.province = Some(crate::places::registry().province(id).short.clone()),
                        None => {
                            diags.error(&path, find_key(&text, "province"), format!(
                                "`province`: \"{written}\" không phải tên một tỉnh, thành phố hiện nay (34 tỉnh, thành phố từ 1/7/2025), ví dụ `province = \"Lào Cai\"`"
                            ));
                            return None;
                        }
                    }
                }
                if let Some(editor) = &config.editor {
                    for (key, value) in [("api_root", &editor.api_root), ("auth_url", &editor.auth_url)] {
                        if value.as_deref().is_some_and(|u| origin(u).is_none()) {
                            diags.error(&path, find_key(&text, key), format!("`editor.{key}` cần một địa chỉ đầy đủ bắt đầu bằng https://"));
                            return None;
                        }
                    }
                    if editor.repo.split('/').filter(|p| !p.is_empty()).count() < 2 {
                        diags.error(&path, find_key(&text, "repo"), format!("`editor.repo`: \"{}\" cần dạng \"tổ-chức/tên-kho\", ví dụ \"so-noi-vu-lao-cai/nguoi-tot\"", editor.repo));
                        return None;
                    }
                }
                for target in &config.deploy {
                    if let Err(why) = crate::deploy::Location::parse(&target.url) {
                        diags.error(&path, find_key(&text, "url"), format!("`deploy.url` của đích \"{}\": {why}", target.name));
                        return None;
                    }
                    if target.endpoint.as_deref().is_some_and(|u| origin(u).is_none()) {
                        diags.error(&path, find_key(&text, "endpoint"), format!("`deploy.endpoint` của đích \"{}\" cần một địa chỉ đầy đủ, ví dụ \"https://s3.example.vn\"", target.name));
                        return None;
                    }
                }
                for rule in &config.headers {
                    if let Err(e) = globset::Glob::new(&rule.files) {
                        diags.error(&path, find_key(&text, "files"), format!("`headers.files`: mẫu \"{}\" không hợp lệ ({})", rule.files, e.kind()));
                        return None;
                    }
                }
                Some(config)
            }
            Err(e) => {
                let pos = e.span().map_or(Position::START, |s| Position::of_offset(&text, s.start));
                diags.error(&path, pos, format!("giá trị không hợp lệ: {}", crate::diagnostics::toml_message(e.message())));
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
