//! The parity check of the tantivy engine and the browser client, shared by the tests of the
//! generator (`tests/engine_parity.rs`) and of the benchmarks' corpus
//! (`bench/tests/engine_parity.rs`): for fixed queries on a site, the same first result and at
//! least 4 of the same top 5 (or all, when fewer match).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use nguoitot::pipeline::{self, BuildOptions};
use nguoitot::search::engine::Engine;
use nguoitot::site::index::{Publish, SiteIndex};

/// The repository root, from the tests of either package.
fn repo_root() -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if package.ends_with("bench") { package.parent().expect("bench/ is in the repository").to_path_buf() } else { package }
}

/// Per query, the browser client's top stories (index positions) on the built site `public`.
fn client_ranking(public: &Path, queries: &[&str]) -> Option<HashMap<String, Vec<usize>>> {
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "node is required under CI=true");
        eprintln!("\n!!!!!!!! SKIPPED: Node.js is not installed; engine/client parity did not run. !!!!!!!!\n");
        return None;
    }
    let out = Command::new("node").arg("tests/js/rank.mjs").arg(public).args(queries).current_dir(repo_root()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// Builds the site at `root` and compares both engines on `queries`.
pub fn assert_parity(root: &Path, queries: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let options = BuildOptions { root: root.to_path_buf(), output: Some(public.clone()), base_url: None, publish: Publish::now(false, false) };
    pipeline::build(&options, &nguoitot::report::Quiet).unwrap_or_else(|e| panic!("{}", e.describe()));
    let Some(client) = client_ranking(&public, queries) else { return };
    let site = nguoitot::pipeline::load_site(root).unwrap();
    let index = SiteIndex::build(&site.content, &Publish::now(false, false));
    let engine = Engine::build(&index).unwrap();
    for q in queries {
        let server: Vec<usize> = engine.search(q, 5).unwrap().into_iter().map(|h| h.doc).collect();
        let browser = &client[*q];
        let titles = |docs: &[usize]| docs.iter().map(|d| index.stories[*d].title.clone()).collect::<Vec<_>>();
        assert!(!browser.is_empty(), "{q}: the client finds nothing");
        assert_eq!(server.first(), browser.first(), "{q}: first result differs\n server {:?}\n client {:?}", titles(&server), titles(browser));
        let shared = server.iter().filter(|d| browser.contains(d)).count();
        let needed = browser.len().min(server.len()).min(4);
        assert!(shared >= needed, "{q}: only {shared} of the top 5 shared\n server {:?}\n client {:?}", titles(&server), titles(browser));
    }
}

