//! The tantivy engine and the browser client rank alike on a fixture and the example site
//! ([`common::parity`]; the benchmarks' 1,000-story corpus is checked in `bench/tests/`). Related
//! stories are the same across two builds.

mod common;

use common::parity::assert_parity;
use common::{stderr, Site};
use nguoitot::search::engine::Engine;
use nguoitot::site::index::{Publish, SiteIndex};

#[test]
fn engine_and_client_agree_on_the_search_fixture() {
    let site = Site::fixture("search");
    // Submitted queries: every word, the last one whole ("dien qu" is two words, no prefix).
    assert_parity(site.root(), &["dien quan", "hoang tung", "hòa", "hoa", "thanh nien", "tinh nguyen bac giang", "bao yen", "dien qu", "Thạnh An", "thanh an", "dien quan zzqx", "li quoc quan", "Lý"]);
}

#[test]
fn engine_and_client_agree_on_the_example_site() {
    assert_parity(
        &common::repo_root(),
        &["dien quan", "Điện Quan", "nong thon moi", "thanh nien", "hoang tung", "son ha", "hoa", "bao thang", "muong khuong", "huan chuong doc lap", "giao duc", "truong thpt"],
    );
}

#[test]
fn related_stories_are_the_same_across_builds() {
    use nguoitot::search::engine::Coverage;
    let related = |coverage| {
        let site = nguoitot::pipeline::load_site(&common::repo_root()).unwrap();
        let index = SiteIndex::build(&site.content, &Publish::all());
        let engine = Engine::build_with(&index, nguoitot::search::cards(&index).into(), coverage).unwrap();
        if coverage == Coverage::Related {
            assert!(engine.search("dien quan", 5).is_err(), "an engine without bodies refuses to search");
        }
        (0..index.stories.len()).map(|i| engine.related(i, 5).unwrap()).collect::<Vec<_>>()
    };
    let first = related(Coverage::Search);
    assert!(first.iter().all(|r| !r.is_empty() && r.len() <= 5), "{first:?}");
    for (i, r) in first.iter().enumerate() {
        assert!(!r.contains(&i), "story {i} is not related to itself");
    }
    assert_eq!(first, related(Coverage::Search));
    // `build` indexes no bodies for related stories; `serve` does; both list the same stories.
    assert_eq!(first, related(Coverage::Related));
}

#[test]
fn search_command_lists_matching_stories_best_first() {
    let site = Site::fixture("search");
    let out = site.run(&["search", "dien quan", "--limit", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("Đoàn TNCS Hồ Chí Minh xã Điện Quan\t/guong/doan-dien-quan/\t"), "{text}");
    // How many stories hold every word, and how to see them all.
    assert!(stderr(&out).starts_with("4 kết quả (in 2 kết quả đầu; thêm --limit để xem nhiều hơn)"), "{}", stderr(&out));
    let some = site.run(&["search", "dien quan zzqx"]);
    assert!(stderr(&some).starts_with("Không có gương điển hình nào có đủ các từ \"dien quan zzqx\"; "), "{}", stderr(&some));
    let json: serde_json::Value = serde_json::from_slice(&site.run(&["search", "hoa", "--kind", "ho-gia-dinh", "--json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["url"], "/guong/ba-hoa/");
    let bad = site.run(&["search", "x", "--kind", "doanh-nghiep"]);
    assert_eq!(bad.status.code(), Some(2));
}
