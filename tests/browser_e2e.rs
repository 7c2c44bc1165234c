//! End-to-end tests in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! the npm lockfile). They skip loudly when Chromium or the npm packages are missing, and fail
//! instead under `CI=true`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo_root, stderr};

fn browser_available() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let why = if !Path::new(&chromium).exists() {
        Some(format!("Chromium not found at {chromium} (apt-get install chromium)"))
    } else {
        common::npm_packages().err()
    };
    match why {
        None => true,
        Some(why) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "browser tests cannot run under CI=true: {why}");
            eprintln!("\n!!!!!!!! SKIPPED: browser tests did not run: {why} !!!!!!!!\n");
            false
        }
    }
}

/// Builds the example site into a temporary folder and runs one browser test file against it.
fn run_browser_test(file: &str) {
    run_browser_test_on(&repo_root(), file);
}

/// Builds the site at `root` into a temporary folder and runs one browser test file against it.
fn run_browser_test_on(root: &Path, file: &str) {
    if !browser_available() {
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["build", "--root", root.to_str().unwrap(), "--output", public.to_str().unwrap(), "--base-url", "http://127.0.0.1"])
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", file])
        .current_dir(repo_root())
        .env("SITE_PUBLIC", &public)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(out.status.success(), "browser test {file} failed:\n{stdout}\n{}", stderr(&out));
}

#[test]
fn search_in_headless_chromium() {
    run_browser_test("tests/browser/search.test.mjs");
}

#[test]
fn embeds_in_headless_chromium() {
    // The example site has no photos: two of its stories get one here (a portrait and a
    // landscape), so that cards are tried with a photo and without.
    let site = common::Site::new();
    common::copy_dir(&repo_root().join("content"), &site.root().join("content"));
    std::fs::copy(repo_root().join("nguoitot.toml"), site.root().join("nguoitot.toml")).unwrap();
    for (story, (width, height)) in [("thanh-nien/hoang-tung", (800, 1200)), ("thanh-nien/doan-xa-dien-quan", (1200, 800))] {
        let file = site.root().join(format!("content/stories/{story}.md"));
        let text = std::fs::read_to_string(&file).unwrap();
        let name = format!("anh-{width}x{height}.png");
        let with_photo = text.replacen("---\n", &format!("---\nphoto:\n  src: {name}\n  alt: Ảnh thử\n"), 1);
        assert_ne!(with_photo, text, "{story}: YAML front matter expected");
        std::fs::write(&file, with_photo).unwrap();
        let photo = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
        photo.save(file.parent().unwrap().join(name)).unwrap();
    }
    run_browser_test_on(site.root(), "tests/browser/embed.test.mjs");
}

#[test]
fn web_editor_in_headless_chromium() {
    run_browser_test("tests/browser/admin.test.mjs");
}

#[test]
fn accessibility_in_headless_chromium() {
    run_browser_test("tests/browser/quality.test.mjs");
}

#[test]
fn fold_twins_in_headless_chromium() {
    let site = common::Site::fixture("search");
    run_browser_test_on(site.root(), "tests/browser/twins.test.mjs");
}

#[test]
fn hostile_site_in_headless_chromium() {
    let site = common::Site::fixture("hostile");
    run_browser_test_on(site.root(), "tests/browser/hostile.test.mjs");
}

#[test]
fn the_screenshot_script_shows_every_main_page_at_both_widths() {
    if !browser_available() {
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let public = out_dir.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(["build", "--root", repo_root().to_str().unwrap(), "--output", public.to_str().unwrap()]).output().unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let shots = out_dir.path().join("anh");
    let out = Command::new("node").arg("tools/screenshots.mjs").arg(&public).arg(&shots).current_dir(repo_root()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for page in ["trang-chu", "guong", "phong-trao", "dia-phuong", "tim-kiem", "thong-ke"] {
        for (width, theme) in [(390, ""), (1280, ""), (390, "-toi"), (1280, "-toi")] {
            let file = shots.join(format!("{page}-{width}{theme}.png"));
            let png = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(&png[1..4], b"PNG", "{}", file.display());
            // The IHDR chunk's width: the page was laid out at that width (a full-page shot of a
            // page that does not overflow).
            assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), width, "{}", file.display());
        }
    }
}
