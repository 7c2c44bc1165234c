//! A new or edited story changes only the files it appears in, so that `deploy` uploads little
//! and readers' cached search files stay valid: search ids are stable, the search index keeps the
//! sealed stories' files byte-identical, and list pages are cut from the oldest end.

mod common;

use std::collections::BTreeMap;

use common::Site;

/// Enough stories that most are sealed in the search index (`SEAL_BLOCK`, 64, at a time).
const STORIES: usize = 150;

/// Story `i`: 207 words as the index counts them (the first paragraph twice, as text and as the
/// summary made of it, and 165 more), so that `extra` of 7 words leaves its length in the same
/// step of the length normalisation (206–224 words; see `body_impact`), as an edit of a sentence
/// of a real story of several hundred words does.
fn story(i: usize, extra: &str) -> String {
    let movement = ["a", "b", "c"][i % 3];
    let kind = ["ca-nhan", "tap-the", "ho-gia-dinh"][i % 3];
    format!(
        "---\ntitle: \"Gương số {i}\"\nkind: {kind}\nmovements: [{movement}]\ndate: {}-{:02}-{:02}\n---\nGương thứ {i} làm kinh tế giỏi, giúp đỡ bà con trong thôn bản. Câu chuyện được nhiều người biết đến.{extra}\n\n{}\n",
        2020 + i % 5,
        1 + i % 12,
        1 + i % 28,
        "mùa ".repeat(165)
    )
}

fn big_site() -> Site {
    let site = Site::new();
    site.movement("a", "Phong trào A").movement("b", "Phong trào B").movement("c", "Phong trào C");
    for i in 0..STORIES {
        site.write(&format!("content/stories/g{i:03}.md"), &story(i, ""));
    }
    site
}

fn manifest(site: &Site) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(site.public().join(".nguoitot-manifest.tsv")).expect("the build's manifest");
    text.lines().skip(1).map(|l| l.split_once('\t').map(|(p, rest)| (p.to_string(), rest.to_string())).unwrap()).collect()
}

fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let mut paths: Vec<String> = after.iter().filter(|(p, e)| before.get(*p) != Some(e)).map(|(p, _)| p.clone()).collect();
    paths.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    paths.sort();
    paths
}

#[test]
fn a_new_story_changes_no_sealed_search_file_and_no_archive_page() {
    let site = big_site();
    site.build();
    let before = manifest(&site);
    assert!(before.keys().any(|p| p.starts_with("tim-kiem/b/")), "sealed body files exist");

    site.write("content/stories/moi.md", "---\ntitle: \"Gương mới nhất\"\nkind: ca-nhan\nmovements: [a]\ndate: 2025-12-01\n---\nMột gương mới làm kinh tế giỏi.\n");
    site.build();
    let after = manifest(&site);
    let changed = changed(&before, &after);

    for path in &changed {
        assert!(!path.starts_with("tim-kiem/t/") && !path.starts_with("tim-kiem/b/"), "a sealed search file changed: {path}");
        assert!(!path.contains("/trang/"), "an archive page changed: {path}");
        // Related stories are found among the sealed stories: no other story's page changes.
        assert!(!path.starts_with("guong/") || path.starts_with("guong/moi/"), "another story's page changed: {path}");
        assert!(!path.starts_with("tim-kiem/d/") || path == &format!("tim-kiem/d/{STORIES}.json"), "another story's search card changed: {path}");
    }
    assert!(changed.contains(&format!("tim-kiem/d/{STORIES}.json")), "the new story takes the next id");
    assert!(changed.contains(&"guong/moi/index.html".to_string()));
    assert!(changed.len() < 60, "{} files changed: {changed:?}", changed.len());

    // The browser finds sealed and recent stories together, as the server does.
    common::parity::assert_parity(site.root(), &["kinh tế giỏi", "gương mới nhất", "gương số 7", "thôn bản"]);
}

#[test]
fn an_edited_sentence_changes_only_the_files_of_the_words_it_adds() {
    let site = big_site();
    site.build();
    let before = manifest(&site);
    // Story 10 is sealed (old); a sentence with one new word.
    site.write("content/stories/g010.md", &story(10, " Năm nay anh trồng thêm cây sachi."));
    site.build();
    let changed = changed(&before, &manifest(&site));
    let body_files: Vec<&String> = changed.iter().filter(|p| p.starts_with("tim-kiem/b/")).collect();
    // "sachi" is new, the others ("nam", "nay", "anh", "trong", "them", "cay") gained a story.
    assert!(body_files.len() <= 8, "{body_files:?}");
    assert!(!changed.iter().any(|p| p.starts_with("tim-kiem/b/kinh") || p.starts_with("tim-kiem/b/giup")), "words the edit did not touch keep their files: {changed:?}");
    assert!(!changed.iter().any(|p| p.starts_with("tim-kiem/r/")), "no recent file holds the edited story: {changed:?}");
}
