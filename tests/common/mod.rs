//! Helpers for whole-build tests: small sites written into a temporary folder, built with the
//! real `nguoitot` binary, and read back the way a user would see them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use walkdir::WalkDir;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site folder under a temporary directory, with the default theme copied in.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with a config and the default theme, no content yet.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site { dir };
        site.write("nguoitot.toml", "title = \"Trang thử\"\nbase_url = \"https://vi-du.test\"\npaginate_by = 2\n");
        copy_dir(&repo_root().join("themes/default"), &site.root().join("themes/default"));
        fs::create_dir_all(site.root().join("content/movements")).unwrap();
        fs::create_dir_all(site.root().join("content/stories")).unwrap();
        site
    }

    /// A copy of a fixture site from `tests/fixtures/<name>`, with the default theme.
    pub fn fixture(name: &str) -> Site {
        let site = Site::new();
        copy_dir(&repo_root().join("tests/fixtures").join(name), site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, contents: &str) -> &Self {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn movement(&self, id: &str, title: &str) -> &Self {
        self.write(&format!("content/movements/{id}.md"), &format!("---\ntitle: \"{title}\"\n---\nMô tả phong trào.\n"))
    }

    /// Runs `nguoitot <args>` from the site folder, as a staff member would.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(args).current_dir(self.root()).output().expect("run nguoitot")
    }

    pub fn build(&self) -> Output {
        let out = self.run(&["build"]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A built page by URL path ("/guong/x/").
    pub fn page(&self, url: &str) -> String {
        let rel = url.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
        fs::read_to_string(self.public().join(&file)).unwrap_or_else(|e| panic!("{url} ({file}): {e}"))
    }
}

/// Builds the repository's example site into a temporary folder (never touching its public/);
/// returns the folder (keep it alive) and the output path.
pub fn build_example() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["build", "--root", repo_root().to_str().unwrap(), "--output", public.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("cảnh báo"), "the example site should have no warnings:\n{}", stderr(&run));
    (out, public)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Link targets (`href`) of the elements matching `selector`.
pub fn hrefs(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("href").map(str::to_string)).collect()
}

/// Visible text of the elements matching `selector`, whitespace folded.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<Vec<_>>().join("").split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// Every file of a folder with its bytes, for byte-identical comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}
