//! `nguoitot deploy`: publishes the last completed build of the output folder to S3-compatible
//! object storage, uploading only what changed.
//!
//! 1. The build wrote a manifest of its output ([`crate::site::manifest`]); the bucket holds the
//!    manifest the last deploy published. Their difference is the plan ([`plan`]): no file is
//!    hashed again and, when the bucket's manifest is there, nothing is listed.
//! 2. Uploads go in the order readers need them: photos, styles, scripts and search files first,
//!    then story pages, then lists, feeds and the sitemap, the home page last
//!    ([`crate::site::routes::PublishStage`]). Deletes follow once every upload succeeded, and the
//!    new manifest is written at the very end: an interrupted deploy leaves the old site working,
//!    and the next deploy, comparing with the old manifest, completes it.
//!
//! The object store is the `object_store` crate (Apache Arrow's): one maintained API over S3 and
//! the S3-compatible servers provinces run (MinIO, Ceph), with SigV4 signing and retries with
//! backoff built in, at a fraction of `aws-sdk-s3`'s dependencies and build time; `rust-s3` has
//! one maintainer and no retry policy.

pub mod plan;
pub mod target;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::report::Reporter;
use crate::site::manifest::{self, Manifest};
use crate::site::output;
pub use plan::{HeaderRules, Plan, Remote};
pub use target::{Credentials, Location, Target, TargetChoice};

/// The published manifest's object key, under the target's prefix.
pub const REMOTE_MANIFEST: &str = manifest::FILE;
pub const DEFAULT_MAX_DELETES: usize = 256;
pub const DEFAULT_PARALLEL: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("tệp cấu hình có lỗi:\n{0}")]
    Config(String),
    #[error("chưa có bản dựng hoàn chỉnh trong {0}: hãy chạy `nguoitot build` trước")]
    NoBuild(PathBuf),
    #[error("một lần dựng đang ghi vào {0}; chờ nó xong rồi chạy lại `nguoitot deploy`")]
    Building(PathBuf),
    #[error("tệp kê khai {path} hỏng ({why}); hãy chạy lại `nguoitot build`")]
    BadLocalManifest { path: PathBuf, why: String },
    #[error("tệp {0} đã bị sửa hoặc xóa sau lần dựng; hãy chạy lại `nguoitot build`")]
    Changed(String),
    #[error("chưa có đích triển khai: dùng --to s3://TÊN-BUCKET[/THƯ-MỤC], hoặc khai báo [[deploy]] trong nguoitot.toml")]
    NoTarget,
    #[error("nguoitot.toml có nhiều đích triển khai ({0}); chọn một bằng --target TÊN")]
    WhichTarget(String),
    #[error("không có đích triển khai \"{name}\" trong nguoitot.toml (các đích: {known})")]
    UnknownTarget { name: String, known: String },
    #[error("địa chỉ đích: {0}")]
    BadUrl(String),
    #[error(
        "không tìm thấy khóa truy cập: đặt biến môi trường AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY (thêm AWS_SESSION_TOKEN nếu có), hoặc ghi hồ sơ [{profile}] trong ~/.aws/credentials"
    )]
    NoCredentials { profile: String },
    #[error("không tạo được kết nối tới kho lưu trữ: {0}")]
    Store(String),
    #[error("máy chủ từ chối khóa truy cập ({source_of_keys}): khóa sai, hết hạn, hoặc không có quyền ghi, xóa trong {target}. {state}")]
    Denied { target: String, source_of_keys: String, state: &'static str },
    #[error("không có bucket \"{bucket}\" trên máy chủ {server}; hãy tạo bucket trước, hoặc kiểm tra tên và --endpoint")]
    NoBucket { bucket: String, server: String },
    #[error("không kết nối được tới máy chủ {server} (đã thử lại nhiều lần): {detail}. {state}")]
    Network { server: String, detail: String, state: &'static str },
    #[error("máy chủ lưu trữ báo lỗi: {detail}. {state}")]
    Remote { detail: String, state: &'static str },
    #[error("tệp kê khai trên bucket hỏng ({0}); chạy lại với --force để tải lại toàn bộ và ghi lại tệp kê khai")]
    BadRemoteManifest(String),
    #[error(
        "lần triển khai này sẽ xóa {count} tệp trên bucket, nhiều hơn giới hạn {max}: hãy kiểm tra lại thư mục xuất và đích; nếu đúng là cần xóa, chạy lại với --max-deletes {count}. Chưa có gì bị thay đổi"
    )]
    TooManyDeletes { count: usize, max: usize },
    #[error("không đọc được {path}: {}", crate::diagnostics::io_reason(.source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// What `nguoitot deploy` was asked.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub target: TargetChoice,
    pub dry_run: bool,
    /// Upload every file and rebuild the bucket's manifest from a listing.
    pub force: bool,
    pub max_deletes: usize,
    pub parallel: usize,
}

/// What a deploy tells the person running it while it works.
#[derive(Debug)]
pub enum DeployEvent<'a> {
    /// The plan, before anything is changed (the whole of a dry run).
    Planned { target: &'a str, plan: &'a Plan, dry_run: bool },
    /// One more file uploaded; `bytes` uploaded so far.
    Uploaded { done: usize, total: usize, bytes: u64 },
    /// The uploads are done and the deletes begin.
    Deleting { total: usize },
}

/// What a deploy did.
#[derive(Debug)]
pub struct DeployReport {
    pub target: String,
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

/// Where the bucket stands if the deploy stops at an error.
const UNCHANGED: &str = "Bucket chưa bị thay đổi gì";
const OLD_SITE_KEPT: &str = "Trang cũ trên bucket vẫn dùng được; chạy lại `nguoitot deploy` để hoàn tất";

/// `nguoitot deploy`.
pub fn deploy(options: &DeployOptions, reporter: &dyn Reporter) -> Result<DeployReport, DeployError> {
    let mut diags = Diagnostics::default();
    let config = SiteConfig::load(&options.root, &mut diags).ok_or_else(|| DeployError::Config(diags.sorted().iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    // Held to the end: a build that starts meanwhile waits rather than swap the folder mid-upload.
    let lock = output::hold_completed(&output).map_err(|e| match e {
        output::OutputError::Busy { output, .. } => DeployError::Building(output),
        other => DeployError::Output(other),
    })?;
    if lock.is_none() {
        return Err(DeployError::NoBuild(output));
    }
    let local = match Manifest::read(&output) {
        Ok(Some(m)) => m,
        Ok(None) => return Err(DeployError::NoBuild(output)),
        Err(e) if e.kind() == std::io::ErrorKind::Other => return Err(DeployError::BadLocalManifest { path: output.join(manifest::FILE), why: e.to_string() }),
        Err(source) => return Err(DeployError::Io { path: output.join(manifest::FILE), source }),
    };
    let target = Target::resolve(&options.target, &config)?;
    let credentials = Credentials::find()?;
    let store = target.store(&credentials)?;
    let rules = HeaderRules::new(&config.headers);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|source| DeployError::Io { path: output.clone(), source })?;
    runtime.block_on(run(options, &output, &local, &target, &credentials, store, &rules, reporter))
}

#[allow(clippy::too_many_arguments)]
async fn run(
    options: &DeployOptions,
    output: &Path,
    local: &Manifest,
    target: &Target,
    credentials: &Credentials,
    store: Arc<dyn ObjectStore>,
    rules: &HeaderRules,
    reporter: &dyn Reporter,
) -> Result<DeployReport, DeployError> {
    let failed = |state: &'static str| move |e: object_store::Error| remote_error(e, target, credentials, state);
    let remote = read_remote(&store, target, options.force).await.map_err(|e| match e {
        ReadRemote::Store(e) => remote_error(e, target, credentials, UNCHANGED),
        ReadRemote::Corrupt(why) => DeployError::BadRemoteManifest(why),
    })?;
    let plan = plan::plan(local, &remote, rules);
    let shown = target.location.to_string();
    reporter.deploy(DeployEvent::Planned { target: &shown, plan: &plan, dry_run: options.dry_run });
    if plan.deletes.len() > options.max_deletes {
        return Err(DeployError::TooManyDeletes { count: plan.deletes.len(), max: options.max_deletes });
    }
    let report = DeployReport {
        target: shown.clone(),
        uploaded: plan.uploads.len(),
        uploaded_bytes: plan.upload_bytes(),
        deleted: plan.deletes.len(),
        unchanged: plan.unchanged,
        dry_run: options.dry_run,
    };
    if options.dry_run {
        return Ok(report);
    }

    // Uploads, stage by stage: a stage starts when the one before it is complete.
    let total = plan.uploads.len();
    let (done, bytes) = (AtomicUsize::new(0), AtomicU64::new(0));
    let mut first_error = None;
    for stage in plan.stages() {
        let uploads = plan.uploads.iter().filter(|u| u.stage == stage.0);
        let result = stream::iter(uploads.map(|u| {
            let (store, done, bytes) = (&store, &done, &bytes);
            async move {
                upload(store.as_ref(), output, &target.location, u).await?;
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let b = bytes.fetch_add(u.size, Ordering::Relaxed) + u.size;
                reporter.deploy(DeployEvent::Uploaded { done: n, total, bytes: b });
                Ok::<(), UploadError>(())
            }
        }))
        .buffer_unordered(options.parallel.max(1))
        .try_collect::<Vec<()>>()
        .await;
        if let Err(e) = result {
            first_error = Some(e);
            break;
        }
    }
    if let Some(e) = first_error {
        // Nothing was deleted and the old manifest still describes what the old pages need.
        let state = if done.load(Ordering::Relaxed) == 0 { UNCHANGED } else { OLD_SITE_KEPT };
        return Err(match e {
            UploadError::Store(e) => remote_error(e, target, credentials, state),
            UploadError::Local(e) => e,
        });
    }

    reporter.deploy(DeployEvent::Deleting { total: plan.deletes.len() });
    stream::iter(plan.deletes.iter().map(|path| {
        let store = &store;
        async move {
            match store.delete(&target.location.key(path)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e),
            }
        }
    }))
    .buffer_unordered(options.parallel.max(1))
    .try_collect::<Vec<()>>()
    .await
    .map_err(failed(OLD_SITE_KEPT))?;

    // Nothing changed and the bucket's manifest says so already: nothing to write.
    if let Remote::Manifest(current) = &remote {
        if plan.uploads.is_empty() && plan.deletes.is_empty() && current == &plan.published {
            return Ok(report);
        }
    }
    let manifest_text = plan.published.to_text();
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, "text/tab-separated-values; charset=utf-8".into());
    attributes.insert(Attribute::CacheControl, "no-cache".into());
    store
        .put_opts(&target.location.key(REMOTE_MANIFEST), PutPayload::from(manifest_text), PutOptions { attributes, ..Default::default() })
        .await
        .map_err(failed(OLD_SITE_KEPT))?;
    Ok(report)
}

enum ReadRemote {
    Store(object_store::Error),
    Corrupt(String),
}

/// The bucket's manifest, or a listing when there is none (or `force`). A missing bucket and
/// wrong keys show here, before anything is changed.
async fn read_remote(store: &Arc<dyn ObjectStore>, target: &Target, force: bool) -> Result<Remote, ReadRemote> {
    let location = &target.location;
    if !force {
        match store.get(&location.key(REMOTE_MANIFEST)).await {
            Ok(found) => {
                let bytes = found.bytes().await.map_err(ReadRemote::Store)?;
                let text = String::from_utf8_lossy(&bytes);
                return Manifest::parse(&text).map(Remote::Manifest).map_err(|e| ReadRemote::Corrupt(e.to_string()));
            }
            // A missing bucket also answers "not found": the listing below tells them apart.
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(ReadRemote::Store(e)),
        }
    }
    let prefix = (!location.prefix.is_empty()).then(|| object_store::path::Path::from(location.prefix.as_str()));
    let listed: Vec<object_store::ObjectMeta> = store.list(prefix.as_ref()).try_collect().await.map_err(ReadRemote::Store)?;
    let keys = listed
        .iter()
        .filter_map(|meta| location.relative(meta.location.as_ref()).map(str::to_string))
        .filter(|path| path != REMOTE_MANIFEST)
        .collect();
    Ok(Remote::Listed(keys))
}

enum UploadError {
    Store(object_store::Error),
    Local(DeployError),
}

/// Reads one file of the output (checking it is the size the build recorded) and puts it.
async fn upload(store: &dyn ObjectStore, output: &Path, location: &Location, u: &plan::Upload) -> Result<(), UploadError> {
    let path = output.join(&u.path);
    let contents = tokio::fs::read(&path).await.map_err(|e| {
        UploadError::Local(if e.kind() == std::io::ErrorKind::NotFound { DeployError::Changed(u.path.clone()) } else { DeployError::Io { path: path.clone(), source: e } })
    })?;
    if contents.len() as u64 != u.size {
        return Err(UploadError::Local(DeployError::Changed(u.path.clone())));
    }
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, u.headers.content_type.into());
    attributes.insert(Attribute::CacheControl, u.headers.cache_control.clone().into());
    let body = if u.headers.gzip {
        attributes.insert(Attribute::ContentEncoding, "gzip".into());
        gzip(&contents)
    } else {
        contents
    };
    store
        .put_opts(&location.key(&u.path), PutPayload::from(body), PutOptions { attributes, ..Default::default() })
        .await
        .map(|_| ())
        .map_err(UploadError::Store)
}

fn gzip(contents: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(contents.len() / 3), flate2::Compression::best());
    encoder.write_all(contents).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// An object store error in the words of someone publishing a site.
fn remote_error(e: object_store::Error, target: &Target, credentials: &Credentials, state: &'static str) -> DeployError {
    let server = target.endpoint.clone().unwrap_or_else(|| format!("Amazon S3 ({})", target.region));
    match e {
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. } => {
            DeployError::Denied { target: target.location.to_string(), source_of_keys: format!("khóa {} từ {}", credentials.access_key_id, credentials.source), state }
        }
        object_store::Error::NotFound { .. } => DeployError::NoBucket { bucket: target.location.bucket.clone(), server },
        // A listing of a missing bucket comes as a generic error; S3's error code names it.
        other if other.to_string().contains("NoSuchBucket") => DeployError::NoBucket { bucket: target.location.bucket.clone(), server },
        other => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&other);
            while let Some(error) = source {
                if let Some(http) = error.downcast_ref::<object_store::client::HttpError>() {
                    let detail = match http.kind() {
                        object_store::client::HttpErrorKind::Connect => "không mở được kết nối".to_string(),
                        object_store::client::HttpErrorKind::Timeout => "hết thời gian chờ".to_string(),
                        _ => http.to_string(),
                    };
                    return DeployError::Network { server, detail, state };
                }
                source = error.source();
            }
            DeployError::Remote { detail: other.to_string(), state }
        }
    }
}
