//! Helpers for whole-build tests: small sites written into a temporary folder, built with the
//! real `nguoitot` binary, and read back the way a user would see them.
#![allow(dead_code)]

pub mod parity;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use walkdir::WalkDir;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The npm packages the tests use, as `package-lock.json` locks them.
const NPM_PACKAGES: [&str; 3] = ["vnu-jar", "axe-core", "playwright-core"];

/// `node_modules/` with the locked test packages, installed by `npm ci` the first time a test
/// needs them, so that `cargo test` alone runs every test on a fresh clone. `Err`: why they are
/// not there (no npm, or the install failed).
pub fn npm_packages() -> Result<PathBuf, String> {
    static INSTALLED: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(install_npm_packages).clone()
}

fn install_npm_packages() -> Result<PathBuf, String> {
    let modules = repo_root().join("node_modules");
    let complete = || NPM_PACKAGES.iter().all(|p| modules.join(p).join("package.json").is_file());
    if complete() {
        return Ok(modules);
    }
    // One installer at a time: test binaries may run in parallel (cargo nextest). Creating a
    // folder either succeeds or finds it there, atomically.
    let lock = repo_root().join("target/npm-ci.lock");
    fs::create_dir_all(lock.parent().unwrap()).map_err(|e| e.to_string())?;
    let waiting = std::time::Instant::now();
    while fs::create_dir(&lock).is_err() {
        if waiting.elapsed() > std::time::Duration::from_secs(900) {
            return Err(format!("another test process has held {} for 15 minutes", lock.display()));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let result = if complete() {
        Ok(modules.clone())
    } else {
        // Straight to the terminal: the test harness hides `eprintln!` of passing tests.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "Installing the locked npm test packages ({}) with `npm ci`, once, into {} …", NPM_PACKAGES.join(", "), modules.display());
        match Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(repo_root()).status() {
            Ok(status) if status.success() && complete() => Ok(modules.clone()),
            Ok(status) => Err(format!("`npm ci` failed ({status})")),
            Err(e) => Err(format!("npm could not be run ({e}); install Node.js and npm")),
        }
    };
    let _ = fs::remove_dir(&lock);
    result
}

/// A site folder under a temporary directory, with the default theme copied in.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A site with a config and no content yet; no theme folder (the built-in theme is used).
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site { dir };
        site.write("nguoitot.toml", "title = \"Trang thử\"\nbase_url = \"https://vi-du.test\"\npaginate_by = 2\n");
        fs::create_dir_all(site.root().join("content/movements")).unwrap();
        fs::create_dir_all(site.root().join("content/stories")).unwrap();
        site
    }

    /// A copy of a fixture site from `tests/fixtures/<name>`.
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

/// The page's JSON-LD blocks, parsed, in page order.
pub fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    doc.select(&sel).map(|s| serde_json::from_str(&s.inner_html()).unwrap()).collect()
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

/// The W3C Nu Html Checker from the `vnu-jar` npm package, run with the machine's Java.
pub fn vnu_command() -> Option<Command> {
    let java_ok = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    let jar = npm_packages().map(|modules| modules.join("vnu-jar/build/dist/vnu.jar"));
    match jar {
        Ok(jar) if jar.is_file() && java_ok => {
            let mut cmd = Command::new("java");
            cmd.arg("-jar").arg(jar);
            Some(cmd)
        }
        _ => {
            let why = match jar {
                Err(why) => why,
                Ok(jar) => format!("vnu.jar at {} present: {}, java works: {java_ok}", jar.display(), jar.is_file()),
            };
            assert!(std::env::var("CI").as_deref() != Ok("true"), "HTML validation cannot run under CI=true: {why}");
            eprintln!("\n!!!!!!!! SKIPPED: W3C HTML validation did not run ({why}). Install Java. !!!!!!!!\n");
            None
        }
    }
}
