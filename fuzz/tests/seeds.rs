//! Every committed seed through its target's checks: the fuzz targets compile and hold on the
//! inputs they start from, on a stable toolchain, in every test run.

use std::path::Path;

fn each_seed(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let mut seeds = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            panic!("seed {} fails: {panic:?}", path.display());
        }
        seeds += 1;
    }
    assert!(seeds > 0, "no seeds in {}", dir.display());
}

#[test]
fn front_matter_seeds() {
    each_seed("front_matter", nguoitot_fuzz::front_matter);
}

#[test]
fn markdown_seeds() {
    each_seed("markdown", nguoitot_fuzz::markdown);
}

#[test]
fn slug_seeds() {
    each_seed("slug", nguoitot_fuzz::slug);
}

#[test]
fn analyzer_seeds() {
    each_seed("analyzer", nguoitot_fuzz::analyzer);
}

#[test]
fn search_query_seeds() {
    each_seed("search_query", nguoitot_fuzz::search_query);
}
