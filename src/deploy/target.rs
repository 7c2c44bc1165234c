//! Where a deploy goes: the bucket and prefix, the server, and the credentials, which come from the
//! environment or the AWS profile file — never from `nguoitot.toml`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::ObjectStore;

use super::DeployError;
use crate::config::{DeployTarget, SiteConfig};

/// `s3://bucket[/prefix]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub bucket: String,
    /// Without leading or trailing slash; empty for the bucket's root.
    pub prefix: String,
}

impl Location {
    pub fn parse(url: &str) -> Result<Location, String> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| format!("\"{url}\" cần dạng s3://TÊN-BUCKET hoặc s3://TÊN-BUCKET/THƯ-MỤC"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // Bucket names: 3–63 lower-case letters, digits, dots and hyphens (the S3 rule).
        let valid = (3..=63).contains(&bucket.len()) && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !valid {
            return Err(format!("tên bucket \"{bucket}\" không hợp lệ (3–63 ký tự: chữ thường không dấu, số, dấu chấm, gạch nối)"));
        }
        let prefix = prefix.trim_matches('/').to_string();
        if prefix.split('/').any(|part| part == ".." || part == ".") || prefix.contains("//") {
            return Err(format!("thư mục \"{prefix}\" trong bucket không hợp lệ"));
        }
        Ok(Location { bucket: bucket.to_string(), prefix })
    }

    /// The object key of a file of the output folder.
    pub fn key(&self, path: &str) -> object_store::path::Path {
        if self.prefix.is_empty() {
            object_store::path::Path::from(path)
        } else {
            object_store::path::Path::from(format!("{}/{path}", self.prefix))
        }
    }

    /// The output path of an object key under the prefix (`None` outside it).
    pub fn relative<'a>(&self, key: &'a str) -> Option<&'a str> {
        if self.prefix.is_empty() {
            return Some(key);
        }
        key.strip_prefix(self.prefix.as_str())?.strip_prefix('/')
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.prefix.is_empty() { write!(f, "s3://{}", self.bucket) } else { write!(f, "s3://{}/{}", self.bucket, self.prefix) }
    }
}

/// Where to publish, as the command line asks: a target of `nguoitot.toml` by name, or a URL.
#[derive(Debug, Clone, Default)]
pub struct TargetChoice {
    pub name: Option<String>,
    pub url: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// A resolved target.
#[derive(Debug, Clone)]
pub struct Target {
    pub location: Location,
    pub endpoint: Option<String>,
    pub region: String,
    pub path_style: bool,
}

impl Target {
    /// The command line's choice, completed from `nguoitot.toml`'s `[[deploy]]` (a lone target
    /// needs no name).
    pub fn resolve(choice: &TargetChoice, config: &SiteConfig) -> Result<Target, DeployError> {
        let named: Option<&DeployTarget> = match (&choice.name, &choice.url) {
            (Some(name), _) => Some(config.deploy.iter().find(|t| &t.name == name).ok_or_else(|| DeployError::UnknownTarget {
                name: name.clone(),
                known: config.deploy.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", "),
            })?),
            (None, Some(_)) => None,
            (None, None) => match config.deploy.as_slice() {
                [only] => Some(only),
                [] => return Err(DeployError::NoTarget),
                _ => return Err(DeployError::WhichTarget(config.deploy.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", "))),
            },
        };
        let url = choice.url.clone().or_else(|| named.map(|t| t.url.clone())).ok_or(DeployError::NoTarget)?;
        let location = Location::parse(&url).map_err(DeployError::BadUrl)?;
        let endpoint = choice.endpoint.clone().or_else(|| named.and_then(|t| t.endpoint.clone()));
        let region = choice
            .region
            .clone()
            .or_else(|| named.and_then(|t| t.region.clone()))
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let path_style = named.and_then(|t| t.path_style).unwrap_or(endpoint.is_some());
        Ok(Target { location, endpoint, region, path_style })
    }

    /// The object store, with the credentials found and retries with backoff on transient errors.
    pub fn store(&self, credentials: &Credentials) -> Result<Arc<dyn ObjectStore>, DeployError> {
        let retry = object_store::RetryConfig {
            backoff: object_store::BackoffConfig { init_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(5), base: 2.0 },
            max_retries: 4,
            retry_timeout: Duration::from_secs(60),
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&self.location.bucket)
            .with_region(&self.region)
            .with_access_key_id(&credentials.access_key_id)
            .with_secret_access_key(&credentials.secret_access_key)
            .with_virtual_hosted_style_request(!self.path_style)
            .with_retry(retry)
            .with_client_options(object_store::ClientOptions::new().with_connect_timeout(Duration::from_secs(10)).with_timeout(Duration::from_secs(120)));
        if let Some(token) = &credentials.session_token {
            builder = builder.with_token(token);
        }
        if let Some(endpoint) = &self.endpoint {
            let endpoint = endpoint.trim_end_matches('/');
            // With host-style addressing the bucket is part of the host.
            let endpoint = if self.path_style { endpoint.to_string() } else { endpoint.replacen("://", &format!("://{}.", self.location.bucket), 1) };
            builder = builder.with_allow_http(endpoint.starts_with("http://")).with_endpoint(endpoint);
        }
        builder.build().map(|s| Arc::new(s) as Arc<dyn ObjectStore>).map_err(|e| DeployError::Store(e.to_string()))
    }
}

/// An access key, from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, or
/// from the profile file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`; profile
/// `AWS_PROFILE`, else `default`).
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// Where they came from, for messages (never the secret).
    pub source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ access_key_id: {}, source: {} }}", self.access_key_id, self.source)
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Credentials {
    pub fn find() -> Result<Credentials, DeployError> {
        if let (Some(access_key_id), Some(secret_access_key)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
            return Ok(Credentials { access_key_id, secret_access_key, session_token: env("AWS_SESSION_TOKEN"), source: "biến môi trường".into() });
        }
        let file = env("AWS_SHARED_CREDENTIALS_FILE").map(PathBuf::from).or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")));
        let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
        if let Some(file) = file {
            if let Ok(text) = std::fs::read_to_string(&file) {
                if let Some(found) = Credentials::from_profile_file(&text, &profile) {
                    return Ok(Credentials { source: format!("hồ sơ [{profile}] trong {}", file.display()), ..found });
                }
            }
        }
        Err(DeployError::NoCredentials { profile })
    }

    /// The keys of `[profile]` in the INI text of an AWS credentials file.
    fn from_profile_file(text: &str, profile: &str) -> Option<Credentials> {
        let mut in_profile = false;
        let (mut id, mut secret, mut token) = (None, None, None);
        for line in text.lines().map(str::trim) {
            if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                in_profile = name.trim() == profile;
                continue;
            }
            if !in_profile {
                continue;
            }
            if let Some((key, value)) = line.split_once('=') {
                let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
                match key.trim() {
                    "aws_access_key_id" => id = value,
                    "aws_secret_access_key" => secret = value,
                    "aws_session_token" => token = value,
                    _ => {}
                }
            }
        }
        Some(Credentials { access_key_id: id?, secret_access_key: secret?, session_token: token, source: String::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_and_keys() {
        let l = Location::parse("s3://nguoitot-laocai/ban-chinh/").unwrap();
        assert_eq!((l.bucket.as_str(), l.prefix.as_str()), ("nguoitot-laocai", "ban-chinh"));
        assert_eq!(l.key("guong/a/index.html").as_ref(), "ban-chinh/guong/a/index.html");
        assert_eq!(l.relative("ban-chinh/guong/a/index.html"), Some("guong/a/index.html"));
        assert_eq!(l.relative("khac/index.html"), None);
        assert_eq!(Location::parse("s3://bucket").unwrap().key("index.html").as_ref(), "index.html");
        assert!(Location::parse("https://bucket").unwrap_err().contains("s3://"));
        assert!(Location::parse("s3://Bucket_Hoa").is_err());
        assert!(Location::parse("s3://bucket/../x").is_err());
    }

    #[test]
    fn profile_file() {
        let text = "[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\n[tinh]\naws_access_key_id=A2\naws_secret_access_key=S2\naws_session_token = T2\n";
        let c = Credentials::from_profile_file(text, "tinh").unwrap();
        assert_eq!((c.access_key_id.as_str(), c.secret_access_key.as_str(), c.session_token.as_deref()), ("A2", "S2", Some("T2")));
        assert_eq!(Credentials::from_profile_file(text, "default").unwrap().access_key_id, "A1");
        assert!(Credentials::from_profile_file(text, "khac").is_none());
        assert!(format!("{c:?}").contains("A2") && !format!("{c:?}").contains("S2"), "the secret is never printed");
    }
}
