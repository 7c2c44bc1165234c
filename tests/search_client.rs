//! Runs the browser client's query logic (tests/js/search.test.mjs) under Node's test runner
//! against a search fixture built by nguoitot, and checks the JS analyzer against the Rust one.

mod common;

use std::process::Command;

use common::{repo_root, stderr, Site};
use unicode_normalization::UnicodeNormalization;

/// Every Vietnamese vowel with every tone, đ, and some words in both tone placements and forms:
/// (word, folded, exact key, normalised).
fn analyzer_table() -> Vec<(String, String, String, String)> {
    let mut words: Vec<String> = Vec::new();
    for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] {
        for tone in ["", "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"] {
            let w: String = format!("{base}{tone}").nfc().collect();
            words.push(w.clone());
            words.push(w.to_uppercase());
            words.push(w.nfd().collect());
        }
    }
    for w in ["Điện", "ĐIỆN", "đ", "Đ", "hoà", "hòa", "thuỷ", "thủy", "Khoẻ", "người", "Quốc", "giữa", "tuyển", "Nguyễn", "Tùng", "quả", "già", "gìn", "khuỷu", "mía", "tuổi", "Thạnh", "ngoài"] {
        words.push(w.to_string());
        words.push(w.nfd().collect());
    }
    words
        .into_iter()
        .map(|w| {
            let folded = nguoitot::text::fold(&w);
            let exact = nguoitot::text::exact_key(&w);
            let normalized = nguoitot::text::normalize(&w);
            (w, folded, exact, normalized)
        })
        .collect()
}

#[test]
fn client_query_logic_under_node() {
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node_ok {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "node is required under CI=true");
        eprintln!("\n!!!!!!!! SKIPPED: Node.js is not installed; the client search tests did not run. !!!!!!!!\n");
        return;
    }
    let site = Site::fixture("search");
    site.build();
    // The same stories sealed into the by-word shards (the oldest 64 of a site are): 64 newer ones
    // are added after them.
    let sealed = Site::fixture("search");
    for i in 0..64 {
        sealed.write(&format!("content/stories/moi-{i}.md"), &format!("---\ntitle: \"Tổ tự quản số {i}\"\nkind: tap-the\nmovements: [nong-thon-moi]\ndate: 2026-01-{:02}\n---\nGiữ đường làng sạch, trồng hoa.\n", i % 28 + 1));
    }
    sealed.build();
    let table = site.root().join("analyzer.json");
    std::fs::write(&table, serde_json::to_string(&analyzer_table()).unwrap()).unwrap();
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "tests/js/"])
        .current_dir(repo_root())
        .env("SEARCH_PUBLIC", site.public())
        .env("SEARCH_PUBLIC_SEALED", sealed.public())
        .env("ANALYZER_TABLE", &table)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(out.status.success(), "node tests failed:\n{stdout}\n{}", stderr(&out));
}
