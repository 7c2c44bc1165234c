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
        // The frame is as high as the card, which is designed to that height (no photo here).
        assert_eq!(v["height"], 300);
        assert!(html.contains("height=\"300\""), "{html}");
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
    let ld = &common::json_ld(&page)[0];
    assert_eq!(ld["@type"], "Person");
    assert_eq!(ld["name"], "Hoàng Tùng");
    assert_eq!(ld["affiliation"]["name"], "Bệnh viện Sản Nhi tỉnh Lào Cai");
    // The current province (the story names Thành phố Lào Cai, a district before 1 July 2025).
    assert_eq!(ld["address"]["addressRegion"], "Tỉnh Lào Cai");
    let school = read(&public, "guong/truong-thpt-so-1-thanh-pho-lao-cai/index.html");
    let ld = &common::json_ld(&school)[0];
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

/// A site whose one story has a photo and a unit, published by an agency.
fn site_with_photo_and_publisher() -> common::Site {
    let site = common::Site::new();
    site.write(
        "nguoitot.toml",
        "title = \"Trang thử\"\nbase_url = \"https://vi-du.test\"\n\n[publisher]\nagency = \"Ban Thi đua - Khen thưởng tỉnh Lào Cai\"\naddress = \"Số 1 đường Hoàng Liên, phường Lào Cai\"\nphone = \"0214 3840 000\"\nemail = \"thidua@laocai.gov.vn\"\n",
    );
    site.movement("a", "Phong trào A");
    site.write(
        "content/stories/co-anh/index.md",
        "---\ntitle: Tổ hợp tác chăn nuôi\nkind: tap-the\nmovements: [a]\nunit: Hợp tác xã Thượng Hà\nlocality:\n  province: Lào Cai\ndate: 2025-08-01\nphoto:\n  src: anh.png\n  alt: Tổ hợp tác\n---\nNội dung.\n",
    );
    let mut png = Vec::new();
    image::RgbImage::from_fn(800, 600, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 90])).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    std::fs::write(site.root().join("content/stories/co-anh/anh.png"), png).unwrap();
    site.build();
    site
}

#[test]
fn feeds_carry_the_story_photo_and_oembed_its_unit() {
    let site = site_with_photo_and_publisher();
    let public = site.public();
    let og = read(&public, "guong/co-anh/index.html").split("property=\"og:image\" content=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert!(og.starts_with("https://vi-du.test/anh/") && og.ends_with(".jpg"), "{og}");

    let json: serde_json::Value = serde_json::from_str(&read(&public, "feed.json")).unwrap();
    assert_eq!(json["items"][0]["image"], og.as_str());
    assert_eq!(json["items"][0]["authors"][0]["name"], "Hợp tác xã Thượng Hà");
    for file in ["atom.xml", "rss.xml"] {
        let feed = feed_rs::parser::parse(std::fs::read(public.join(file)).unwrap().as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let media: Vec<String> = feed.entries[0].media.iter().flat_map(|m| m.content.iter().filter_map(|c| c.url.as_ref().map(|u| u.to_string()))).collect();
        let enclosures: Vec<String> = feed.entries[0].links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")).map(|l| l.href.clone()).collect();
        assert!(media.contains(&og) || enclosures.contains(&og), "{file}: the photo, as a feed reader finds it: {media:?} {enclosures:?}");
    }

    let oembed: serde_json::Value = serde_json::from_str(&read(&public, "oembed/co-anh.json")).unwrap();
    assert_eq!(oembed["author_name"], "Hợp tác xã Thượng Hà");
    let author_url = oembed["author_url"].as_str().unwrap();
    assert!(author_url.starts_with("https://vi-du.test/don-vi/"), "{author_url}");
    let unit_page = author_url.trim_start_matches("https://vi-du.test/");
    assert!(public.join(unit_page).join("index.html").is_file(), "{author_url} is a page of the site");
    assert_eq!(oembed["thumbnail_url"], og.as_str());
}

#[test]
fn story_pages_name_their_publisher_in_json_ld() {
    let site = site_with_photo_and_publisher();
    let page = read(&site.public(), "guong/co-anh/index.html");
    let scripts = common::json_ld(&page);
    let web_page = scripts.iter().find(|v| v["@type"] == "WebPage").expect("the page's JSON-LD");
    assert_eq!(web_page["url"], "https://vi-du.test/guong/co-anh/");
    assert_eq!(web_page["isPartOf"]["name"], "Trang thử");
    let publisher = &web_page["publisher"];
    assert_eq!(publisher["@type"], "GovernmentOrganization");
    assert_eq!(publisher["name"], "Ban Thi đua - Khen thưởng tỉnh Lào Cai");
    assert_eq!(publisher["telephone"], "0214 3840 000");
    assert_eq!(publisher["email"], "thidua@laocai.gov.vn");
    // The exemplar itself is still the first JSON-LD.
    assert_eq!(scripts[0]["@type"], "Organization");
}
