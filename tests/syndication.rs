//! What newspapers, broadcasters and social networks read: oEmbed, embed pages, feeds, JSON-LD
//! and share metadata, checked on the example site.

mod common;

use std::io::Write;
use std::path::Path;

use common::{build_example, hrefs, texts};

const BASE: &str = "https://nguoitot.laocai.example";
const SLUGS: [&str; 11] = [
    "doan-xa-dien-quan", "truong-thpt-so-1-thanh-pho-lao-cai", "hoang-tung", "xa-son-ha", "xa-xuan-quang",
    "ong-thao-seo-chieu", "ong-ma-chin-lin", "ong-cu-seo-lenh", "to-cong-nghe-so-xa-thuong-ha",
    "doan-thanh-nien-phuong-sa-pa", "to-hop-tac-chan-nuoi-xa-tuan-giao",
];

fn read(public: &Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len()
}

#[test]
fn oembed_has_the_required_fields_and_points_at_an_existing_embed_page() {
    let (_tmp, public) = build_example();
    for slug in SLUGS {
        let v: serde_json::Value = serde_json::from_str(&read(&public, &format!("oembed/{slug}.json"))).unwrap();
        assert_eq!(v["version"], "1.0");
        assert_eq!(v["type"], "rich");
        assert_eq!(v["provider_name"], "Người tốt, việc tốt — Lào Cai");
        assert_eq!(v["provider_url"], format!("{BASE}/"));
        assert!(v["width"].as_u64().unwrap() > 0 && v["height"].as_u64().unwrap() > 0);
        assert!(!v["title"].as_str().unwrap().is_empty());
        let html = v["html"].as_str().unwrap();
        let src = html.split("src=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(src, format!("{BASE}/nhung/{slug}.html"));
        assert!(public.join(format!("nhung/{slug}.html")).is_file());
        // Discovery from the story page.
        let page = read(&public, &format!("guong/{slug}/index.html"));
        assert!(page.contains(&format!("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{BASE}/oembed/{slug}.json\"")));
    }
}

#[test]
fn embed_cards_are_small_framable_and_open_the_story_in_the_top_window() {
    let (_tmp, public) = build_example();
    let css = std::fs::read(public.join("nhung.css")).unwrap();
    let js = std::fs::read(public.join("nhung.js")).unwrap();
    for slug in SLUGS {
        let page = read(&public, &format!("nhung/{slug}.html"));
        let total = gzip_len(page.as_bytes()) + gzip_len(&css) + gzip_len(&js);
        assert!(total <= 15 * 1024, "{slug}: {total} bytes gzipped");
        assert!(!page.to_lowercase().contains("x-frame-options"));
        assert!(texts(&page, ".site-header").is_empty(), "no site chrome");
        let more = hrefs(&page, ".embed-more a");
        assert_eq!(more, [format!("{BASE}/guong/{slug}/")]);
        assert!(page.contains("target=\"_top\">Đọc tiếp</a>"));
    }
    let school = read(&public, "nhung/truong-thpt-so-1-thanh-pho-lao-cai.html");
    assert_eq!(texts(&school, ".embed-awards li"), ["Huân chương Độc lập hạng Nhì (2021)"]);
    let movement = read(&public, "nhung/phong-trao/thanh-nien-lam-chu-dat-nuoc/index.html");
    let listed = texts(&movement, ".embed-list li a");
    assert_eq!(listed, ["Đoàn Thanh niên phường Sa Pa", "Hoàng Tùng", "Đoàn TNCS Hồ Chí Minh xã Điện Quan"]);
}

#[test]
fn feeds_parse_and_hold_every_story_with_absolute_links() {
    let (_tmp, public) = build_example();
    for file in ["atom.xml", "rss.xml", "feed.json"] {
        let feed = feed_rs::parser::parse(std::fs::read(public.join(file)).unwrap().as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let links: Vec<String> = feed.entries.iter().map(|e| e.links[0].href.clone()).collect();
        for slug in SLUGS {
            assert!(links.contains(&format!("{BASE}/guong/{slug}/")), "{file} misses {slug}: {links:?}");
        }
        for e in &feed.entries {
            let content = e.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
            assert!(!content.is_empty(), "{file}: full content");
            assert!(!content.contains("href=\"/") && !content.contains("src=\"/"), "{file}: relative link in content");
            assert!(e.published.is_some(), "{file}: date");
        }
    }
    // Per movement, only its stories.
    for format in ["atom.xml", "rss.xml"] {
        let feed = feed_rs::parser::parse(std::fs::read(public.join(format!("phong-trao/thanh-nien-lam-chu-dat-nuoc/{format}"))).unwrap().as_slice()).unwrap();
        let titles: Vec<String> = feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect();
        assert_eq!(titles, ["Đoàn Thanh niên phường Sa Pa", "Hoàng Tùng", "Đoàn TNCS Hồ Chí Minh xã Điện Quan"], "{format}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(&public, "feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
}

#[test]
fn story_pages_carry_share_metadata_and_json_ld() {
    let (_tmp, public) = build_example();
    let page = read(&public, "guong/hoang-tung/index.html");
    let doc = scraper::Html::parse_document(&page);
    let meta = |sel: &str| {
        doc.select(&scraper::Selector::parse(sel).unwrap()).next().and_then(|e| e.value().attr("content").map(str::to_string)).unwrap_or_default()
    };
    assert_eq!(meta("meta[property='og:title']"), "Hoàng Tùng");
    assert_eq!(meta("meta[property='og:url']"), format!("{BASE}/guong/hoang-tung/"));
    assert_eq!(meta("meta[property='og:type']"), "article");
    assert_eq!(meta("meta[property='og:locale']"), "vi_VN");
    assert!(meta("meta[property='og:description']").starts_with("Bí thư Đoàn cơ sở"));
    assert_eq!(meta("meta[name='twitter:card']"), "summary");
    assert_eq!(hrefs(&page, "link[rel=canonical]"), [format!("{BASE}/guong/hoang-tung/")]);
    let ld_sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&doc.select(&ld_sel).next().unwrap().inner_html()).unwrap();
    assert_eq!(ld["@type"], "Person");
    assert_eq!(ld["name"], "Hoàng Tùng");
    assert_eq!(ld["affiliation"]["name"], "Bệnh viện Sản Nhi tỉnh Lào Cai");
    // The current province (the story names Thành phố Lào Cai, a district before 1 July 2025).
    assert_eq!(ld["address"]["addressRegion"], "Tỉnh Lào Cai");
    let school = read(&public, "guong/truong-thpt-so-1-thanh-pho-lao-cai/index.html");
    let doc = scraper::Html::parse_document(&school);
    let ld: serde_json::Value = serde_json::from_str(&doc.select(&ld_sel).next().unwrap().inner_html()).unwrap();
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["award"], serde_json::json!(["Huân chương Độc lập hạng Nhì (2021)"]));
    // Share links and the embed snippet.
    let share = hrefs(&page, ".share a");
    assert!(share.contains(&"https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnguoitot.laocai.example%2Fguong%2Fhoang-tung%2F".to_string()));
    assert!(share.iter().any(|h| h.starts_with("https://zalo.me/share")));
    let snippet = texts(&page, "#ma-nhung").join("");
    assert!(snippet.contains(&format!("<iframe src=\"{BASE}/nhung/hoang-tung.html\"")) && snippet.contains(&format!("<script src=\"{BASE}/embed.js\" async></script>")), "{snippet}");
    assert!(texts(&page, ".print-url").contains(&format!("{BASE}/guong/hoang-tung/")));
}
