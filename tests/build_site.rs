//! Whole builds of small sites, asserting on the pages a citizen would open.

mod common;

use common::{hrefs, stderr, texts, Site};
use unicode_normalization::UnicodeNormalization;

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Two movements, five stories: one unit spelt four ways (old/new tone marks, NFD, capitals),
/// one old commune in NFC and NFD, ranked awards, a Vietnamese file name.
fn links_site() -> Site {
    let site = Site::new();
    site.movement("phong-trao-a", "Phong trào A")
        .movement("phong-trao-b", "Phong trào B")
        .write(
            "content/awards.toml",
            "[[award]]\ntitle = \"Huân chương Lao động hạng Ba\"\n\n[[award]]\ntitle = \"Bằng khen của Chủ tịch UBND tỉnh\"\n",
        )
        .write(
            "content/stories/htx-hoa-binh.md",
            "---\ntitle: Hợp tác xã Hoà Bình\nkind: tap-the\nmovements: [phong-trao-a]\nunit: Hợp tác xã Hoà Bình\nlocality:\n  province: Lào Cai\n  district: Huyện Bảo Yên\n  commune: Xã Điện Quan\nawards:\n  - title: Bằng khen của Chủ tịch UBND tỉnh\n    year: 2021\ndate: 2022-01-10\n---\nNội dung.\n",
        )
        .write(
            "content/stories/chi-thuy.md",
            &nfd("---\ntitle: Chị Nguyễn Thị Thuỷ\nkind: ca-nhan\nmovements: [phong-trao-a, phong-trao-b]\nunit: Hợp tác xã Hòa Bình\nlocality:\n  province: Lào Cai\n  district: Huyện Bảo Yên\n  commune: Xã Điện Quan\nawards:\n  - title: bằng khen của chủ tịch ubnd tỉnh\n    year: 2020\n  - title: Huân chương lao động hạng ba\n    year: 2021\ndate: 2021-03-01\n---\nNội dung.\n"),
        )
        .write(
            "content/stories/ho-ong-ly.md",
            "---\ntitle: Hộ ông Lý Văn Phúc\nkind: ho-gia-dinh\nmovements: [phong-trao-a]\nunit: HỢP TÁC XÃ HOÀ BÌNH\nlocality:\n  province: Lào Cai\ndate: 2023-05-05\n---\nNội dung.\n",
        )
        .write(
            "content/stories/ông-thào-a.md",
            "---\ntitle: Ông Thào A\nkind: ca-nhan\nmovements: [phong-trao-b]\ndate: 2022-02-02\n---\nNội dung.\n",
        )
        .write(
            "content/stories/doi-xung-kich.md",
            "---\ntitle: Đội xung kích\nkind: tap-the\nmovements: [phong-trao-a]\nlocality:\n  province: Lào Cai\n  district: Huyện Si Ma Cai\ndate: 2020-01-01\n---\nNội dung.\n",
        );
    site
}

/// Story links of a list and of every following page (`rel=next`).
fn cards_on_all_pages(site: &Site, url: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut next = Some(url.to_string());
    while let Some(url) = next {
        let page = site.page(&url);
        links.extend(hrefs(&page, ".card h3 a"));
        next = hrefs(&page, ".pagination a[rel=next]").into_iter().next();
    }
    links
}

#[test]
fn story_page_links_movements_unit_locality_awards_and_year() {
    let site = links_site();
    site.build();
    let page = site.page("/guong/chi-thuy/");
    let links = hrefs(&page, "main a");
    for expected in [
        "/phong-trao/phong-trao-a/",
        "/phong-trao/phong-trao-b/",
        "/don-vi/lao-cai/hop-tac-xa-hoa-binh/",
        "/dia-phuong/lao-cai/",
        "/dia-phuong/lao-cai/xa-thuong-ha/",
        "/khen-thuong/huan-chuong-lao-dong-hang-ba/",
        "/khen-thuong/bang-khen-cua-chu-tich-ubnd-tinh/",
        "/nam/2021/",
        "/loai/ca-nhan/",
    ] {
        assert!(links.iter().any(|l| l == expected), "{expected} missing from {links:?}");
    }
    // ...and each of those pages links back to the story.
    for url in ["/phong-trao/phong-trao-b/", "/don-vi/lao-cai/hop-tac-xa-hoa-binh/", "/dia-phuong/lao-cai/", "/dia-phuong/lao-cai/xa-thuong-ha/", "/khen-thuong/huan-chuong-lao-dong-hang-ba/", "/nam/2021/", "/loai/ca-nhan/"] {
        let links = cards_on_all_pages(&site, url);
        assert!(links.contains(&"/guong/chi-thuy/".to_string()), "{url} does not link the story: {links:?}");
    }
    // Awards highest rank first, with the vocabulary's spelling.
    assert_eq!(
        texts(&page, ".awards li a"),
        ["Huân chương Lao động hạng Ba", "Bằng khen của Chủ tịch UBND tỉnh"]
    );
}

#[test]
fn movement_pages_paginate_newest_first_and_count_each_kind() {
    let site = links_site();
    site.build();
    let first = site.page("/phong-trao/phong-trao-a/");
    assert_eq!(texts(&first, ".card h3"), ["Hộ ông Lý Văn Phúc", "Hợp tác xã Hoà Bình"]);
    assert_eq!(texts(&first, ".counts li"), ["Tập thể: 2", "Cá nhân: 1", "Hộ gia đình: 1"]);
    // Older stories are on archive pages numbered from the oldest, which keep their stories
    // when new ones arrive.
    assert_eq!(hrefs(&first, ".pagination a[rel=next]"), ["/phong-trao/phong-trao-a/trang/1/"]);
    let older = site.page("/phong-trao/phong-trao-a/trang/1/");
    assert_eq!(texts(&older, ".card h3"), ["Chị Nguyễn Thị Thuỷ", "Đội xung kích"]);
    assert_eq!(hrefs(&older, ".pagination a[rel=prev]"), ["/phong-trao/phong-trao-a/"]);
    assert!(texts(&older, ".counts li").is_empty(), "the list's totals are on its first page only");
    assert!(!site.public().join("phong-trao/phong-trao-a/trang/2").exists());

    // A new story: the first page takes it (3 stories now), the archive page is unchanged.
    site.write(
        "content/stories/moi.md",
        "---\ntitle: Gương mới\nkind: ca-nhan\nmovements: [phong-trao-a]\ndate: 2025-06-01\n---\nMới.\n",
    );
    site.build();
    assert_eq!(texts(&site.page("/phong-trao/phong-trao-a/"), ".card h3"), ["Gương mới", "Hộ ông Lý Văn Phúc", "Hợp tác xã Hoà Bình"]);
    assert_eq!(site.page("/phong-trao/phong-trao-a/trang/1/"), older);
}

#[test]
fn one_unit_and_one_place_whatever_the_unicode_form_or_tone_placement() {
    let site = links_site();
    site.build();
    let units = site.page("/don-vi/");
    // The first spelling in file order is shown (chi-thuy.md, written in NFD with "Hòa").
    assert_eq!(texts(&units, ".term-list li"), ["Hợp tác xã Hòa Bình — Lào Cai (3)"]);
    let unit = site.page("/don-vi/lao-cai/hop-tac-xa-hoa-binh/");
    // Paginated by 2: the first page holds 2 to 3 stories, so all three are on it.
    assert_eq!(texts(&unit, ".card h3").len(), 3);
    assert!(unit.contains("3 gương điển hình"));
    let places = site.page("/dia-phuong/");
    assert_eq!(texts(&places, ".term-list > li > a"), ["Lào Cai"]);
    // Xã Điện Quan (written in NFC and NFD) is part of Xã Thượng Hà since 1 July 2025; Huyện Si
    // Ma Cai names no commune.
    let province = site.page("/dia-phuong/lao-cai/");
    assert_eq!(texts(&province, ".term-list li"), ["Xã Thượng Hà (2)"]);
    assert!(province.contains("4 gương điển hình"));
}

#[test]
fn vietnamese_file_name_gives_an_ascii_url() {
    let site = links_site();
    site.build();
    assert!(site.public().join("guong/ong-thao-a/index.html").is_file());
    assert!(texts(&site.page("/guong/ong-thao-a/"), "h1").contains(&"Ông Thào A".to_string()));
}

#[test]
fn every_kind_has_a_page_and_home_counts_them() {
    let site = links_site();
    site.build();
    let home = site.page("/");
    assert_eq!(texts(&home, ".hero .counts li"), ["Tập thể: 2", "Cá nhân: 2", "Hộ gia đình: 1"]);
    assert_eq!(texts(&site.page("/loai/ho-gia-dinh/"), ".card h3"), ["Hộ ông Lý Văn Phúc"]);
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://vi-du.test/guong/chi-thuy/</loc><lastmod>2021-03-01</lastmod>"));
    assert!(site.public().join("404.html").is_file());
    assert!(site.public().join("robots.txt").is_file());
    assert!(site.public().join("favicon.svg").is_file());
}

#[test]
fn drafts_are_built_only_on_request() {
    let site = links_site();
    site.write(
        "content/stories/nhap.md",
        "---\ntitle: Bài nháp\nkind: ca-nhan\nmovements: [phong-trao-b]\ndate: 2022-02-03\ndraft: true\n---\nNháp.\n",
    );
    site.build();
    assert!(!site.public().join("guong/nhap").exists());
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success());
    assert!(site.public().join("guong/nhap/index.html").is_file());
}

#[test]
fn no_script_from_content_reaches_any_output() {
    // tests/fixtures/hostile: script, handlers, javascript: URLs in every field that reaches output.
    let site = Site::fixture("hostile");
    site.build();
    // The search page's inline script, exactly as the theme writes it (the site's base path is "").
    let template = std::fs::read_to_string(common::repo_root().join("themes/default/templates/search.html")).unwrap();
    let early_script = template.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).unwrap().replace("{{ site.base_path }}", "");
    let check_html = |html: &str, place: &str| {
        let doc = scraper::Html::parse_document(html);
        for el in doc.select(&scraper::Selector::parse("*").unwrap()) {
            let name = el.value().name();
            if name == "script" {
                // Only the theme's own scripts, and JSON-LD that no text can close.
                let own = el.value().attr("src").is_some_and(|s| ["/tim-kiem.js", "/chia-se.js", "/nhung.js", "/admin/sveltia-cms.js"].contains(&s));
                let data = matches!(el.value().attr("type"), Some("application/ld+json" | "application/json")) && !el.inner_html().contains('<');
                let early = el.value().attrs().next().is_none() && el.text().collect::<String>() == early_script;
                assert!(own || data || early, "script from content in {place}: {}", el.html());
                continue;
            }
            assert!(!["iframe", "object", "embed"].contains(&name), "<{name}> in {place}");
            for (attr, value) in el.value().attrs() {
                assert!(!attr.starts_with("on"), "{attr}= on <{name}> in {place}");
                assert!(!value.trim().to_lowercase().contains("javascript:"), "{attr}={value} in {place}");
            }
        }
    };
    for (path, bytes) in common::snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        let place = path.display().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => check_html(&text, &place),
            Some("xml") if place.ends_with("atom.xml") || place.ends_with("rss.xml") => {
                let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
                for e in feed.entries {
                    for html in [e.content.and_then(|c| c.body), e.summary.map(|s| s.content)].into_iter().flatten() {
                        check_html(&html, &place);
                    }
                }
            }
            Some("json") if place.starts_with("oembed") => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                let html = v["html"].as_str().unwrap();
                assert!(html.starts_with("<iframe ") && html.matches('<').count() == 2, "{html}");
                assert!(!html.contains("<script"), "{html}");
            }
            Some("csv") => {
                // Data, not markup; but no cell may start a spreadsheet formula.
                let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
                for record in reader.records() {
                    for cell in record.unwrap().iter() {
                        assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell {cell:?} in {place}");
                    }
                }
            }
            Some("yml") => {
                // The web editor's config: hostile names stay plain YAML strings.
                let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
                assert!(v["collections"].is_array(), "{place}");
            }
            Some("js") | Some("css") | Some("json") => {}
            _ => assert!(!text.to_lowercase().contains("<script"), "<script in {place}"),
        }
    }
    // The text is still there, shown as text.
    assert!(site.page("/guong/doc-hai/").contains("&lt;&#x2F;title&gt;&lt;script&gt;") || site.page("/guong/doc-hai/").contains("&lt;/title&gt;&lt;script&gt;"));
}

#[test]
fn a_site_overrides_theme_templates_and_base_url_comes_from_the_command_line() {
    let site = links_site();
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>Trang riêng của tỉnh</h1>{% endblock content %}");
    let out = site.run(&["build", "--base-url", "https://tinh.test/nguoi-tot/"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let not_found = site.page("/404.html");
    assert_eq!(texts(&not_found, "h1"), ["Trang riêng của tỉnh"]);
    // Links carry the base path; canonical URLs are absolute.
    let story = site.page("/guong/chi-thuy/");
    assert!(hrefs(&story, "main a").contains(&"/nguoi-tot/phong-trao/phong-trao-a/".to_string()));
    assert!(hrefs(&story, "link[rel=canonical]").contains(&"https://tinh.test/nguoi-tot/guong/chi-thuy/".to_string()));
}

/// Issue #22, item 2 (part): `[publisher]` on every page's footer, and a "Báo lỗi / góp ý" link
/// on each story with its title and address filled in; a contact address that could carry more
/// than an address is refused.
#[test]
fn the_publisher_is_on_every_page_and_each_story_can_be_reported() {
    let site = Site::new();
    site.movement("a", "A")
        .write(
            "nguoitot.toml",
            "title = \"T\"\nbase_url = \"https://vi-du.test\"\n[publisher]\nagency = \"Ban Thi đua - Khen thưởng tỉnh Điện Biên\"\nresponsible = \"Nguyễn Văn A\"\nphone = \"0215 000 000\"\nemail = \"btdkt@vi-du.test\"\n",
        )
        .write("content/stories/chi-hoa.md", "---\ntitle: Chị Lò Thị Hoa\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\n---\nx\n");
    site.build();
    // Every page a reader opens (each kind of page: home, story, lists, terms, places, years,
    // kinds, search, statistics, 404), and the attribution line of both embed cards.
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.public()).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(site.public()).unwrap().to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".html") || rel.starts_with("admin/") {
            continue;
        }
        let page = std::fs::read_to_string(entry.path()).unwrap();
        if rel.starts_with("nhung/") {
            assert!(texts(&page, ".embed-more span")[0].ends_with(" · Ban Thi đua - Khen thưởng tỉnh Điện Biên"), "{rel}");
            continue;
        }
        assert!(page.contains("Cơ quan quản lý: Ban Thi đua - Khen thưởng tỉnh Điện Biên · Chịu trách nhiệm nội dung: Nguyễn Văn A"), "{rel}");
        assert!(page.contains("Điện thoại: 0215 000 000 · Thư điện tử: <a href=\"mailto:btdkt@vi-du.test\">btdkt@vi-du.test</a>"), "{rel}");
        pages += 1;
    }
    assert!(pages >= 15, "{pages} pages");
    let report = hrefs(&site.page("/guong/chi-hoa/"), ".report a");
    assert_eq!(report, ["mailto:btdkt@vi-du.test?subject=G%C3%B3p%20%C3%BD%20v%E1%BB%81%20b%C3%A0i%3A%20Ch%E1%BB%8B%20L%C3%B2%20Th%E1%BB%8B%20Hoa&body=https%3A%2F%2Fvi-du.test%2Fguong%2Fchi-hoa%2F"]);
    site.write("nguoitot.toml", "title = \"T\"\nbase_url = \"https://vi-du.test\"\n[publisher]\nemail = \"a@b.vn?bcc=x@y.vn\"\n");
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("nguoitot.toml:4:1: lỗi: `publisher.email` cần một địa chỉ thư điện tử"), "{out}");
}

#[test]
fn story_pages_have_breadcrumbs_and_the_home_page_shows_each_story_once() {
    let site = links_site();
    site.build();
    let page = site.page("/guong/chi-thuy/");
    assert_eq!(texts(&page, ".breadcrumbs li"), ["Trang chủ", "Phong trào A", "Chị Nguyễn Thị Thuỷ"]);
    assert_eq!(hrefs(&page, ".breadcrumbs a"), ["/", "/phong-trao/phong-trao-a/"]);
    let trail = common::json_ld(&page).into_iter().find(|v| v["@type"] == "BreadcrumbList").expect("BreadcrumbList JSON-LD");
    assert_eq!(trail["itemListElement"][1]["item"], "https://vi-du.test/phong-trao/phong-trao-a/");
    assert_eq!(trail["itemListElement"][2]["position"], 3);

    // A featured story is not listed again under the newest ones.
    let path = site.root().join("content/stories/chi-thuy.md");
    let text = std::fs::read_to_string(&path).unwrap().replacen("---\n", "---\nfeatured: true\n", 1);
    std::fs::write(&path, text).unwrap();
    site.build();
    let home = site.page("/");
    let links = hrefs(&home, ".cards .card h3 a");
    assert!(links.contains(&"/guong/chi-thuy/".to_string()));
    let mut unique = links.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), links.len(), "each story once: {links:?}");
}

#[test]
fn tags_are_links_to_their_pages() {
    let site = links_site();
    site.write(
        "content/stories/the.md",
        "---\ntitle: Gương có từ khóa\nkind: ca-nhan\nmovements: [phong-trao-a]\ntags: [Chuyển đổi số, nông nghiệp sạch]\ndate: 2024-02-02\n---\nNội dung.\n",
    );
    site.write(
        "content/stories/the-2.md",
        "---\ntitle: Gương thứ hai\nkind: tap-the\nmovements: [phong-trao-a]\ntags: [chuyển đổi số]\ndate: 2024-03-03\n---\nNội dung.\n",
    );
    site.build();
    let page = site.page("/guong/the/");
    // A tag is shown as first written in file order (the-2.md writes it in lower case).
    assert_eq!(texts(&page, ".tags a"), ["chuyển đổi số", "nông nghiệp sạch"]);
    assert_eq!(hrefs(&page, ".tags a"), ["/tu-khoa/chuyen-doi-so/", "/tu-khoa/nong-nghiep-sach/"]);
    // One page per tag, whatever its case: both stories, newest first.
    let tag = site.page("/tu-khoa/chuyen-doi-so/");
    assert_eq!(texts(&tag, ".card h3"), ["Gương thứ hai", "Gương có từ khóa"]);
    assert_eq!(hrefs(&site.page("/tu-khoa/"), ".term-list a"), ["/tu-khoa/chuyen-doi-so/", "/tu-khoa/nong-nghiep-sach/"]);
    assert!(std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap().contains("https://vi-du.test/tu-khoa/chuyen-doi-so/"));
}
