//! The repository's own example site (Lào Cai): it builds, every internal link resolves, no
//! page asks another host for anything, and every page is valid HTML per the W3C Nu checker.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{build_example, hrefs, snapshot, stderr, texts};

fn html_files(public: &Path) -> Vec<(PathBuf, String)> {
    snapshot(public)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// Every `href`/`src`/`srcset` of a page.
fn references(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[href], [src], [srcset]").unwrap();
    let mut refs = Vec::new();
    for el in doc.select(&sel) {
        for attr in ["href", "src"] {
            if let Some(v) = el.value().attr(attr) {
                refs.push(v.to_string());
            }
        }
        if let Some(set) = el.value().attr("srcset") {
            refs.extend(set.split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string));
        }
    }
    refs
}

#[test]
fn every_internal_link_of_the_example_site_resolves() {
    let (_out, public) = build_example();
    let pages = html_files(&public);
    assert!(pages.len() > 30, "only {} pages", pages.len());
    let mut broken = BTreeSet::new();
    for (file, html) in &pages {
        for r in references(html) {
            // Own absolute URLs, and the share links that leave for Facebook and Zalo on click.
            let outbound = ["https://www.facebook.com/sharer/", "https://zalo.me/share"];
            if r.starts_with("https://nguoitot.laocai.example") || outbound.iter().any(|o| r.starts_with(o)) || r.starts_with("mailto:") || r.starts_with("tel:") {
                continue;
            }
            let (path, fragment) = r.split_once('#').map_or((r.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                file.clone()
            } else {
                assert!(path.starts_with('/'), "relative or external link {r} in {}", file.display());
                let rel = path.trim_start_matches('/');
                if rel.is_empty() || rel.ends_with('/') { PathBuf::from(format!("{rel}index.html")) } else { PathBuf::from(rel) }
            };
            let full = public.join(&target);
            if !full.is_file() {
                broken.insert(format!("{} → {r}", file.display()));
                continue;
            }
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let text = std::fs::read_to_string(&full).unwrap();
                if !text.contains(&format!("id=\"{id}\"")) {
                    broken.insert(format!("{} → {r} (no #{id})", file.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.into_iter().collect::<Vec<_>>().join("\n"));
}

#[test]
fn no_page_requests_another_host() {
    let (_out, public) = build_example();
    for (file, html) in html_files(&public) {
        let doc = scraper::Html::parse_document(&html);
        // Anything the browser fetches by itself: scripts, styles, images, frames, fonts, preloads.
        let sel = scraper::Selector::parse("script[src], link[rel~=stylesheet], link[rel~=preload], link[rel~=icon], img, iframe, source, video, audio").unwrap();
        for el in doc.select(&sel) {
            for attr in ["src", "href", "srcset"] {
                if let Some(v) = el.value().attr(attr) {
                    assert!(!v.contains("//"), "{} fetches {v} from another host", file.display());
                }
            }
        }
        assert!(!html.contains("@import") && !html.contains("fonts.googleapis"), "{}", file.display());
    }
    let css = std::fs::read_to_string(public.join("style.css")).unwrap();
    assert!(!css.contains("url(http") && !css.contains("@import"), "style.css fetches from another host");
}

#[test]
fn the_example_site_shows_the_lao_cai_exemplars() {
    let (_out, public) = build_example();
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap();
    let movements = read("phong-trao/index.html");
    assert_eq!(texts(&movements, ".movement-list li").len(), 13, "the 13 provincial movements");
    let youth = read("phong-trao/thanh-nien-lam-chu-dat-nuoc/index.html");
    assert!(texts(&youth, ".card h3").contains(&"Đoàn TNCS Hồ Chí Minh xã Điện Quan".to_string()));
    assert!(texts(&youth, ".card h3").contains(&"Hoàng Tùng".to_string()));
    assert!(texts(&youth, "dd").contains(&"Tỉnh Đoàn Lào Cai".to_string()));
    let school = read("guong/truong-thpt-so-1-thanh-pho-lao-cai/index.html");
    assert_eq!(texts(&school, ".awards li a"), ["Huân chương Độc lập hạng Nhì"]);
    assert!(hrefs(&read("index.html"), ".card h3 a").contains(&"/guong/doan-xa-dien-quan/".to_string()));
    // The Vietnamese file name xã-sơn-hà.md gives an ASCII address.
    assert!(public.join("guong/xa-son-ha/index.html").is_file());
}

#[test]
fn story_pages_list_related_stories_the_same_in_every_build() {
    let related = || {
        let (out, public) = build_example();
        let pages: Vec<(String, Vec<String>)> = std::fs::read_dir(public.join("guong"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .map(|slug| {
                let html = std::fs::read_to_string(public.join("guong").join(&slug).join("index.html")).unwrap();
                (slug, hrefs(&html, ".related li a"))
            })
            .collect();
        drop(out);
        pages.into_iter().collect::<std::collections::BTreeMap<_, _>>()
    };
    let first = related();
    assert_eq!(first.len(), 11);
    for (slug, links) in &first {
        assert!((1..=5).contains(&links.len()), "{slug}: {links:?}");
        assert!(!links.contains(&format!("/guong/{slug}/")), "{slug} lists itself");
    }
    // The two new-countryside communes of Bảo Thắng come first for each other.
    assert_eq!(first["xa-son-ha"][0], "/guong/xa-xuan-quang/");
    assert_eq!(first["xa-xuan-quang"][0], "/guong/xa-son-ha/");
    assert_eq!(first, related(), "related stories differ between two builds");
}

#[test]
fn every_page_passes_the_w3c_nu_html_checker() {
    let Some(mut vnu) = common::vnu_command() else { return };
    let (_example, example_public) = build_example();
    // The link fixture too: pagination, NFD names, every kind of list page.
    let fixture = common::Site::new();
    fixture.movement("a", "A");
    for (i, kind) in ["tap-the", "ca-nhan", "ho-gia-dinh"].iter().cycle().take(7).enumerate() {
        fixture.write(
            &format!("content/stories/s{i}.md"),
            &format!("---\ntitle: Gương {i}\nkind: {kind}\nmovements: [a]\nunit: Đơn vị\nlocality:\n  district: Huyện X\n  commune: Xã Y{}\nawards:\n  - title: Giấy khen\n    year: 2020\ndate: 2022-01-0{}\n---\n## Mục\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nChú thích[^1].\n\n[^1]: Nguồn.\n", i % 2, i + 1),
        );
    }
    fixture.build();
    let out = vnu
        .args(["--errors-only", "--format", "gnu", "--skip-non-html"])
        .arg(&example_public)
        .arg(fixture.public())
        .output()
        .unwrap();
    assert!(out.status.success(), "HTML errors:\n{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
}

#[test]
fn every_page_is_at_most_40_kb_gzipped_before_images() {
    use std::io::Write;
    let (_out, public) = build_example();
    for (file, html) in html_files(&public) {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(html.as_bytes()).unwrap();
        let gz = enc.finish().unwrap().len();
        assert!(gz <= 40 * 1024, "{}: {gz} bytes gzipped", file.display());
    }
}
