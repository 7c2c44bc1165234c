//! What a deploy does, decided before it does anything: the files to upload (in the order readers
//! need them) with their headers, and the objects to delete.

use std::collections::BTreeMap;

use globset::{Glob, GlobMatcher};

use crate::config::HeaderRule;
use crate::site::manifest::{Entry, Manifest};
use crate::site::routes::{self, PublishStage};

/// The headers a file is uploaded with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: &'static str,
    pub cache_control: String,
    pub gzip: bool,
}

impl Headers {
    /// A short fingerprint, kept in the published manifest: a changed rule re-uploads its files.
    pub fn fingerprint(&self) -> String {
        let text = format!("{}\0{}\0{}", self.content_type, self.cache_control, self.gzip);
        blake3::hash(text.as_bytes()).as_bytes()[..4].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Content types by extension; text types say their charset.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "yml" | "yaml" => "application/yaml; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Photos are named by their content hash: a changed photo is a new file, so readers may keep one
/// for a year. Everything else keeps its name when it changes: five minutes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const SHORT: &str = "public, max-age=300";

/// The header rules of `nguoitot.toml`, compiled.
pub struct HeaderRules {
    rules: Vec<(GlobMatcher, HeaderRule)>,
}

impl HeaderRules {
    /// Rules were checked when the configuration was read; a glob that fails here is skipped.
    pub fn new(rules: &[HeaderRule]) -> HeaderRules {
        HeaderRules {
            rules: rules
                .iter()
                .filter_map(|r| Glob::new(&r.files).ok().map(|g| (g.compile_matcher(), r.clone())))
                .collect(),
        }
    }

    /// The headers of one file: the first rule that matches it, over the defaults.
    pub fn headers(&self, path: &str) -> Headers {
        let content_type = content_type(path);
        let default_cache = if path.starts_with("anh/") { IMMUTABLE } else { SHORT };
        let rule = self.rules.iter().find(|(glob, _)| glob.is_match(path)).map(|(_, r)| r);
        let is_text = content_type.contains("charset=");
        Headers {
            content_type,
            cache_control: rule.and_then(|r| r.cache_control.clone()).unwrap_or_else(|| default_cache.to_string()),
            gzip: is_text && rule.and_then(|r| r.gzip).unwrap_or(false),
        }
    }
}

/// One file to upload.
#[derive(Debug, Clone)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub headers: Headers,
    pub stage: PublishStage,
}

/// Everything a deploy will do.
#[derive(Debug, Default)]
pub struct Plan {
    /// In upload order: by stage, then by path.
    pub uploads: Vec<Upload>,
    pub deletes: Vec<String>,
    /// Files already published with the same contents and headers.
    pub unchanged: usize,
    /// The manifest the bucket will hold once the plan is carried out.
    pub published: Manifest,
}

impl Plan {
    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    /// Uploads per stage, in order.
    pub fn stages(&self) -> Vec<(PublishStage, usize, u64)> {
        let mut by_stage: BTreeMap<PublishStage, (usize, u64)> = BTreeMap::new();
        for u in &self.uploads {
            let entry = by_stage.entry(u.stage).or_default();
            entry.0 += 1;
            entry.1 += u.size;
        }
        by_stage.into_iter().map(|(stage, (n, bytes))| (stage, n, bytes)).collect()
    }
}

/// What the bucket holds, as far as the deploy knows it.
pub enum Remote {
    /// The manifest the last deploy published: what changed is found without listing.
    Manifest(Manifest),
    /// The object keys found by listing (no manifest, or `--force`): every local file is uploaded.
    Listed(Vec<String>),
}

/// Compares the local build with the bucket.
pub fn plan(local: &Manifest, remote: &Remote, rules: &HeaderRules) -> Plan {
    let mut plan = Plan::default();
    for (path, entry) in &local.files {
        let headers = rules.headers(path);
        let fingerprint = headers.fingerprint();
        let same = match remote {
            Remote::Manifest(m) => m.files.get(path).is_some_and(|r| r.digest == entry.digest && r.headers.as_deref() == Some(fingerprint.as_str())),
            Remote::Listed(_) => false,
        };
        plan.published.files.insert(path.clone(), Entry { digest: entry.digest, headers: Some(fingerprint) });
        if same {
            plan.unchanged += 1;
        } else {
            plan.uploads.push(Upload { path: path.clone(), size: entry.digest.size, stage: routes::publish_stage(path), headers });
        }
    }
    plan.uploads.sort_by(|a, b| (a.stage, &a.path).cmp(&(b.stage, &b.path)));
    plan.deletes = match remote {
        Remote::Manifest(m) => m.files.keys().filter(|p| !local.files.contains_key(*p)).cloned().collect(),
        Remote::Listed(keys) => keys.iter().filter(|p| !local.files.contains_key(*p)).cloned().collect(),
    };
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::manifest::Digest;

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest::from_digests(files.iter().map(|(p, c)| (p.to_string(), Digest::of(c.as_bytes()))))
    }

    #[test]
    fn uploads_only_what_changed_in_reader_order() {
        let rules = HeaderRules::new(&[]);
        let old = manifest(&[("index.html", "home"), ("guong/a/index.html", "a"), ("guong/b/index.html", "b"), ("anh/x-1.webp", "x")]);
        let first = plan(&old, &Remote::Listed(vec![]), &rules);
        assert_eq!(first.uploads.len(), 4);
        let order: Vec<&str> = first.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(order, ["anh/x-1.webp", "guong/a/index.html", "guong/b/index.html", "index.html"]);

        let remote = Remote::Manifest(first.published.clone());
        assert_eq!(plan(&old, &remote, &rules).uploads.len(), 0, "an unchanged site uploads nothing");

        let new = manifest(&[("index.html", "home 2"), ("guong/a/index.html", "a"), ("anh/x-1.webp", "x"), ("anh/y-1.webp", "y")]);
        let p = plan(&new, &remote, &rules);
        let order: Vec<&str> = p.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(order, ["anh/y-1.webp", "index.html"]);
        assert_eq!(p.deletes, ["guong/b/index.html"]);
        assert_eq!(p.unchanged, 2);
    }

    #[test]
    fn a_changed_header_rule_uploads_its_files_again() {
        let site = manifest(&[("index.html", "home"), ("style.css", "x")]);
        let before = plan(&site, &Remote::Listed(vec![]), &HeaderRules::new(&[]));
        let rule = HeaderRule { files: "*.css".into(), cache_control: Some("public, max-age=86400".into()), gzip: Some(true) };
        let after = plan(&site, &Remote::Manifest(before.published), &HeaderRules::new(&[rule]));
        assert_eq!(after.uploads.len(), 1);
        assert_eq!(after.uploads[0].headers, Headers { content_type: "text/css; charset=utf-8", cache_control: "public, max-age=86400".into(), gzip: true });
    }

    #[test]
    fn default_headers() {
        let rules = HeaderRules::new(&[HeaderRule { files: "anh/**".into(), cache_control: None, gzip: Some(true) }]);
        let photo = rules.headers("anh/ab-480.webp");
        assert_eq!((photo.content_type, photo.cache_control.as_str(), photo.gzip), ("image/webp", IMMUTABLE, false), "photos are never gzipped");
        let page = rules.headers("guong/a/index.html");
        assert_eq!((page.content_type, page.cache_control.as_str()), ("text/html; charset=utf-8", SHORT));
        assert_eq!(rules.headers("tim-kiem/index.json").content_type, "application/json; charset=utf-8");
    }
}
