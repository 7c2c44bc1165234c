//! `nguoitot deploy` against a real S3 server: `s3s-fs` (an S3 implementation on a folder that
//! checks SigV4 signatures), started here, installed by `.ci/run`. Without it these tests skip
//! locally, saying so, and fail under `CI=true`.
//!
//! The bucket is read back with a real S3 client (object_store, as deploy itself uses), never by
//! peeking at the server's folder.

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{stderr, Site};
use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

const ACCESS_KEY: &str = "nguoitot-thu";
const SECRET_KEY: &str = "bi-mat-chi-dung-de-thu";
const BUCKET: &str = "nguoitot-laocai";

/// The `s3s-fs` binary: `S3S_FS` if set, else on PATH or in cargo's bin folder.
fn s3s_fs() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("S3S_FS") {
        return Some(PathBuf::from(path));
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME").or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string())) {
        dirs.push(Path::new(&home).join("bin"));
    }
    dirs.into_iter().map(|d| d.join("s3s-fs")).find(|p| p.is_file())
}

/// A running S3 server on a temporary folder, stopped when dropped.
struct Server {
    process: Child,
    endpoint: String,
    _data: tempfile::TempDir,
}

impl Server {
    /// `None` (after saying why) when s3s-fs is not installed and this is not CI.
    fn start() -> Option<Server> {
        let Some(binary) = s3s_fs() else {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "s3s-fs is needed under CI=true (.ci/run installs it: cargo install s3s-fs --features binary)");
            eprintln!("SKIP: s3s-fs is not installed (cargo install s3s-fs --version 0.14.1 --features binary --locked)");
            return None;
        };
        let data = tempfile::tempdir().unwrap();
        std::fs::create_dir(data.path().join(BUCKET)).unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let process = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start s3s-fs");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "s3s-fs did not start listening");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Server { process, endpoint: format!("http://127.0.0.1:{port}"), _data: data })
    }

    fn store(&self) -> impl ObjectStore {
        AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_region("us-east-1")
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_access_key_id(ACCESS_KEY)
            .with_secret_access_key(SECRET_KEY)
            .build()
            .unwrap()
    }

    /// Every object under `prefix/` with its contents.
    fn objects(&self, prefix: &str) -> BTreeMap<String, Vec<u8>> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = self.store();
            let listed: Vec<_> = store.list(Some(&prefix.into())).try_collect().await.unwrap();
            let mut objects = BTreeMap::new();
            for meta in listed {
                let bytes = store.get(&meta.location).await.unwrap().bytes().await.unwrap();
                let key = meta.location.as_ref().strip_prefix(&format!("{prefix}/")).unwrap().to_string();
                objects.insert(key, bytes.to_vec());
            }
            objects
        })
    }

    /// The Content-Type, Cache-Control and Content-Encoding an object was stored with.
    fn headers(&self, key: &str) -> (String, String, Option<String>) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let got = self.store().get(&key.into()).await.unwrap_or_else(|e| panic!("{key}: {e}"));
            let attribute = |a: &Attribute| got.attributes.get(a).map(|v| v.to_string());
            (attribute(&Attribute::ContentType).unwrap_or_default(), attribute(&Attribute::CacheControl).unwrap_or_default(), attribute(&Attribute::ContentEncoding))
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn deploy(site: &Site, server: &Server, extra: &[&str]) -> Output {
    deploy_with_keys(site, server, ACCESS_KEY, SECRET_KEY, extra)
}

fn deploy_with_keys(site: &Site, server: &Server, access: &str, secret: &str, extra: &[&str]) -> Output {
    deploy_to(site, &format!("s3://{BUCKET}/trang"), &server.endpoint, (access, secret), extra)
}

/// `nguoitot deploy --to <url> --endpoint <endpoint>` with these keys.
fn deploy_to(site: &Site, url: &str, endpoint: &str, (access, secret): (&str, &str), extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["deploy", "--to", url, "--endpoint", endpoint])
        .args(extra)
        .current_dir(site.root())
        .env("AWS_ACCESS_KEY_ID", access)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run nguoitot deploy")
}

fn story(slug: &str, title: &str, body: &str) -> (String, String) {
    (format!("content/stories/{slug}.md"), format!("---\ntitle: {title}\nkind: ca-nhan\nmovements: [a]\ndate: 2024-03-0{}\n---\n{body}\n", slug.len() % 9 + 1))
}

fn site_with_stories(slugs: &[&str]) -> Site {
    let site = Site::new();
    site.movement("a", "Phong trào A");
    for slug in slugs {
        let (path, text) = story(slug, &format!("Gương {slug}"), "Nội dung gương điển hình.");
        site.write(&path, &text);
    }
    // A photo, for the headers of content-hashed files.
    let mut png = Vec::new();
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    site.write("content/stories/co-anh/index.md", "---\ntitle: Gương có ảnh\nkind: tap-the\nmovements: [a]\ndate: 2023-05-13\nphoto:\n  src: anh.png\n  alt: Tập thể\n---\nCó ảnh.\n");
    std::fs::write(site.root().join("content/stories/co-anh/anh.png"), png).unwrap();
    site
}

/// The files of the build, as the bucket should hold them under `trang/`.
fn public_files(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let public = site.public();
    walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap()))
        .filter(|(path, _)| !path.starts_with(".nguoitot"))
        .collect()
}

/// The bucket holds exactly the build, plus the manifest deploy keeps there.
fn assert_mirrors(site: &Site, server: &Server) {
    let mut remote = server.objects("trang");
    let manifest = remote.remove(".nguoitot-manifest.tsv").expect("the published manifest");
    assert!(String::from_utf8(manifest).unwrap().starts_with("# nguoitot-manifest 1\n"));
    let local = public_files(site);
    assert_eq!(remote.keys().collect::<Vec<_>>(), local.keys().collect::<Vec<_>>());
    for (path, bytes) in &local {
        assert!(&remote[path] == bytes, "{path} differs in the bucket");
    }
}

/// The number after "tải lên" in deploy's last line.
fn uploaded(out: &Output) -> usize {
    let text = stderr(out);
    let line = text.lines().rfind(|l| l.starts_with("Đã triển khai")).unwrap_or_else(|| panic!("no summary:\n{text}"));
    line.split("tải lên ").nth(1).and_then(|rest| rest.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{line}"))
}

/// Files new or changed between two manifests of the output.
fn manifest_paths_changed(before: &str, after: &str) -> usize {
    let lines = |text: &str| text.lines().skip(1).map(str::to_string).collect::<std::collections::BTreeSet<_>>();
    lines(after).difference(&lines(before)).count()
}

#[test]
fn first_deploy_unchanged_redeploy_edit_and_delete() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an", "binh", "cuong"]);
    site.build();

    // First deploy: every file, with the headers a CDN needs.
    let out = deploy(&site, &server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(uploaded(&out), public_files(&site).len());
    assert_mirrors(&site, &server);
    let (kind, cache, encoding) = server.headers("trang/guong/an/index.html");
    assert_eq!((kind.as_str(), cache.as_str(), encoding), ("text/html; charset=utf-8", "public, max-age=300", None));
    let photo = public_files(&site).into_keys().find(|p| p.starts_with("anh/") && p.ends_with(".webp")).expect("a processed photo");
    let (kind, cache, _) = server.headers(&format!("trang/{photo}"));
    assert_eq!((kind.as_str(), cache.as_str()), ("image/webp", "public, max-age=31536000, immutable"));

    // Nothing changed: nothing uploaded.
    let out = deploy(&site, &server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(uploaded(&out), 0, "{}", stderr(&out));

    // One story edited: only the files whose contents changed.
    let before = std::fs::read_to_string(site.public().join(".nguoitot-manifest.tsv")).unwrap();
    let (path, text) = story("binh", "Gương binh", "Nội dung đã sửa: thêm một câu mới.");
    site.write(&path, &text);
    site.build();
    let after = std::fs::read_to_string(site.public().join(".nguoitot-manifest.tsv")).unwrap();
    let changed = manifest_paths_changed(&before, &after);
    assert!(changed > 0);
    let out = deploy(&site, &server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(uploaded(&out), changed, "{}", stderr(&out));
    assert!(changed < public_files(&site).len() / 2, "an edit re-uploads {changed} of {} files", public_files(&site).len());
    assert_mirrors(&site, &server);

    // A story deleted: its page leaves the bucket.
    std::fs::remove_file(site.root().join("content/stories/cuong.md")).unwrap();
    site.build();
    let out = deploy(&site, &server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("xóa "), "{}", stderr(&out));
    assert!(!server.objects("trang").contains_key("guong/cuong/index.html"));
    assert_mirrors(&site, &server);
}

#[test]
fn dry_run_changes_nothing_and_says_what_it_would_do() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an"]);
    site.build();
    let out = deploy(&site, &server, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains(&format!("Sẽ triển khai lên s3://{BUCKET}/trang: tải lên {} tệp", public_files(&site).len())), "{text}");
    assert!(text.contains("+ index.html") || text.contains("… và"), "{text}");
    assert!(text.contains("Chạy thử: chưa thay đổi gì"), "{text}");
    assert!(server.objects("trang").is_empty(), "a dry run uploads nothing");
}

#[test]
fn wrong_keys_missing_bucket_and_no_server_leave_the_bucket_unchanged() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an"]);
    site.build();

    let out = deploy_with_keys(&site, &server, ACCESS_KEY, "sai-khoa", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("máy chủ từ chối khóa truy cập"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Bucket chưa bị thay đổi gì"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(SECRET_KEY) && !stderr(&out).contains("sai-khoa"), "secrets are never printed");
    assert!(server.objects("trang").is_empty());

    let out = deploy_to(&site, "s3://khong-co-bucket/trang", &server.endpoint, (ACCESS_KEY, SECRET_KEY), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("không có bucket \"khong-co-bucket\""), "{}", stderr(&out));

    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = deploy_to(&site, &format!("s3://{BUCKET}/trang"), &format!("http://127.0.0.1:{closed}"), (ACCESS_KEY, SECRET_KEY), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("không kết nối được tới máy chủ"), "{}", stderr(&out));
}

#[test]
fn more_deletes_than_allowed_are_refused_before_any_change() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an", "binh", "cuong"]);
    site.build();
    assert!(deploy(&site, &server, &[]).status.success());
    let before = server.objects("trang");

    for slug in ["binh", "cuong"] {
        std::fs::remove_file(site.root().join(format!("content/stories/{slug}.md"))).unwrap();
    }
    site.build();
    let out = deploy(&site, &server, &["--max-deletes", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nhiều hơn giới hạn 1"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--max-deletes"), "{}", stderr(&out));
    assert_eq!(server.objects("trang"), before, "refused before any upload");

    let out = deploy(&site, &server, &["--max-deletes", "100"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_mirrors(&site, &server);
}

#[test]
fn an_interrupted_deploy_keeps_the_old_site_and_the_next_one_completes_it() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an", "binh"]);
    site.build();
    assert!(deploy(&site, &server, &[]).status.success());
    let old_home = server.objects("trang")["index.html"].clone();

    // A new story; the deploy stops at the home page, the last file it uploads (here because the
    // file went missing, as when a disk fails or the process is killed at that moment).
    let (path, text) = story("dung", "Gương dung", "Gương mới.");
    site.write(&path, &text);
    site.build();
    let home = site.public().join("index.html");
    let new_home = std::fs::read(&home).unwrap();
    std::fs::remove_file(&home).unwrap();
    let out = deploy(&site, &server, &["--parallel", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("index.html đã bị sửa hoặc xóa sau lần dựng"), "{}", stderr(&out));

    // Readers still get the old home page, and everything it links to is there; the new story's
    // page is already up (uploaded before the lists that link to it).
    let remote = server.objects("trang");
    assert_eq!(remote["index.html"], old_home);
    for href in common::hrefs(&String::from_utf8_lossy(&old_home), "a[href^='/']") {
        let file = if href.ends_with('/') { format!("{}index.html", href.trim_start_matches('/')) } else { href.trim_start_matches('/').to_string() };
        assert!(remote.contains_key(&file), "the old home page links to {href}, missing in the bucket");
    }
    assert!(remote.contains_key("guong/dung/index.html"));

    // The next deploy completes it.
    std::fs::write(&home, new_home).unwrap();
    let out = deploy(&site, &server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_mirrors(&site, &server);
}

#[test]
fn refuses_without_a_build_without_keys_and_with_a_secret_in_the_config() {
    let site = site_with_stories(&["an"]);
    let out = site.run(&["deploy", "--to", "s3://nguoitot-laocai"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("chưa có bản dựng hoàn chỉnh"), "{}", stderr(&out));

    site.build();
    let out = Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["deploy", "--to", "s3://nguoitot-laocai"])
        .current_dir(site.root())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_SHARED_CREDENTIALS_FILE", site.root().join("khong-co"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("không tìm thấy khóa truy cập: đặt biến môi trường AWS_ACCESS_KEY_ID"), "{}", stderr(&out));

    let config = std::fs::read_to_string(site.root().join("nguoitot.toml")).unwrap();
    site.write("nguoitot.toml", &format!("{config}\n[[deploy]]\nname = \"chinh\"\nurl = \"s3://nguoitot-laocai\"\nsecret_access_key = \"abc\"\n"));
    let out = site.run(&["deploy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("không ghi khóa bí mật vào nguoitot.toml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nguoitot.toml:8:1"), "{}", stderr(&out));
}

#[test]
fn a_named_target_and_keys_from_the_profile_file() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an"]);
    let config = std::fs::read_to_string(site.root().join("nguoitot.toml")).unwrap();
    site.write(
        "nguoitot.toml",
        &format!("{config}\n[[deploy]]\nname = \"chinh\"\nurl = \"s3://{BUCKET}/trang\"\nendpoint = \"{}\"\nregion = \"us-east-1\"\n", server.endpoint),
    );
    let home = tempfile::tempdir().unwrap();
    let credentials = home.path().join("credentials");
    std::fs::write(&credentials, format!("[default]\naws_access_key_id = sai\naws_secret_access_key = sai\n\n[tinh]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n")).unwrap();
    site.build();
    let out = Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["deploy", "--target", "chinh"])
        .current_dir(site.root())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_PROFILE", "tinh")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_mirrors(&site, &server);

    let out = site.run(&["deploy", "--target", "phu"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("không có đích triển khai \"phu\" trong nguoitot.toml (các đích: chinh)"), "{}", stderr(&out));
}

#[test]
fn refuses_while_a_build_writes_the_output() {
    let site = site_with_stories(&["an"]);
    site.build();
    // What a running build holds (src/site/output.rs).
    let lock = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(site.root().join(".public.nguoitot-lock")).unwrap();
    lock.try_lock().unwrap();
    let out = deploy_to(&site, "s3://nguoitot-laocai", "http://127.0.0.1:9", (ACCESS_KEY, SECRET_KEY), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("một lần dựng đang ghi vào"), "{}", stderr(&out));
    drop(lock);
}

#[test]
fn force_uploads_everything_again_and_header_rules_apply() {
    let Some(server) = Server::start() else { return };
    let site = site_with_stories(&["an"]);
    let config = std::fs::read_to_string(site.root().join("nguoitot.toml")).unwrap();
    site.write("nguoitot.toml", &format!("{config}\n[[headers]]\nfiles = \"**/*.css\"\ncache_control = \"public, max-age=86400\"\ngzip = true\n"));
    site.build();
    assert!(deploy(&site, &server, &[]).status.success());
    let (kind, cache, encoding) = server.headers("trang/style.css");
    assert_eq!((kind.as_str(), cache.as_str(), encoding.as_deref()), ("text/css; charset=utf-8", "public, max-age=86400", Some("gzip")));
    let stored = &server.objects("trang")["style.css"];
    let mut css = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(stored.as_slice()), &mut css).unwrap();
    assert_eq!(css.as_bytes(), std::fs::read(site.public().join("style.css")).unwrap(), "stored gzip-compressed, the same file");

    // An object removed behind deploy's back: the bucket's manifest still lists it, so a deploy
    // sees nothing to do; --force lists the bucket and uploads every file again.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(server.store().delete(&"trang/guong/an/index.html".into())).unwrap();
    let out = deploy(&site, &server, &[]);
    assert_eq!(uploaded(&out), 0, "{}", stderr(&out));
    let out = deploy(&site, &server, &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(uploaded(&out), public_files(&site).len());
    assert!(server.objects("trang").contains_key("guong/an/index.html"));
}
