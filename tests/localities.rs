//! Localities as Vietnam has them since 1 July 2025, with real names from the registry: new-style
//! stories on their commune's page, old communes under the commune they became, the same name in
//! two provinces kept apart, addresses that never move, misspellings warned with the right name,
//! and search by either name.

mod common;

#[path = "common/parity.rs"]
mod parity;

use common::{hrefs, stderr, texts, Site};

/// A story file with a locality written as YAML lines (`province: …`, `commune: …`).
fn story(site: &Site, file: &str, title: &str, unit: &str, date: &str, locality: &[&str]) {
    let locality: String = locality.iter().map(|l| format!("  {l}\n")).collect();
    site.write(
        &format!("content/stories/{file}.md"),
        &format!("---\ntitle: {title}\nkind: tap-the\nmovements: [a]\nunit: {unit}\nlocality:\n{locality}date: {date}\n---\nNội dung về {title}.\n"),
    );
}

fn site() -> Site {
    let site = Site::new();
    site.movement("a", "Phong trào A");
    // The way every story is written since the reform.
    story(&site, "ta-van", "Hợp tác xã Tả Van", "Hợp tác xã Tả Van", "2025-09-01", &["province: Lào Cai", "commune: Xã Tả Van"]);
    // A story of 2022 with the old province, district and commune: Xã Điện Quan is now part of
    // Xã Thượng Hà.
    story(&site, "dien-quan", "Đoàn thanh niên xã Điện Quan", "Đoàn xã Điện Quan", "2022-05-10", &["province: Lào Cai", "district: Huyện Bảo Yên", "commune: Xã Điện Quan"]);
    // Xã Hưng Đạo of Cao Bằng and Xã Hưng Đạo of Hà Nội, each with its health station.
    story(&site, "hung-dao-cao-bang", "Trạm Y tế xã Hưng Đạo (Cao Bằng)", "Trạm Y tế xã Hưng Đạo", "2025-10-01", &["province: Cao Bằng", "commune: Xã Hưng Đạo"]);
    story(&site, "hung-dao-ha-noi", "Trạm Y tế xã Hưng Đạo (Hà Nội)", "Trạm Y tế xã Hưng Đạo", "2025-10-02", &["province: Hà Nội", "commune: Xã Hưng Đạo"]);
    site
}

#[test]
fn a_new_style_story_is_on_its_commune_page() {
    let site = site();
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let commune = site.page("/dia-phuong/lao-cai/xa-ta-van/");
    assert_eq!(texts(&commune, "h1"), ["Xã Tả Van"]);
    assert_eq!(hrefs(&commune, ".card h3 a"), ["/guong/ta-van/"]);
    let province = site.page("/dia-phuong/lao-cai/");
    assert_eq!(texts(&province, ".term-list li"), ["Xã Tả Van (1)", "Xã Thượng Hà (1)"]);
    let story = site.page("/guong/ta-van/");
    assert!(story.contains("<dd>Xã Tả Van, Lào Cai<br>"), "the story page names commune and province");
    assert!(hrefs(&story, "main a").contains(&"/dia-phuong/lao-cai/xa-ta-van/".to_string()));
    let all = site.page("/dia-phuong/");
    assert_eq!(texts(&all, ".term-list a"), ["Cao Bằng", "Hà Nội", "Lào Cai"]);
}

#[test]
fn a_merged_old_commune_is_listed_under_its_successor_saying_so() {
    let site = site();
    site.build();
    let successor = site.page("/dia-phuong/lao-cai/xa-thuong-ha/");
    assert_eq!(hrefs(&successor, ".card h3 a"), ["/guong/dien-quan/"]);
    assert_eq!(texts(&successor, ".former"), ["trước đây: xã Điện Quan, huyện Bảo Yên"]);
    let story = site.page("/guong/dien-quan/");
    assert!(story.contains("Xã Điện Quan (nay là xã Thượng Hà), Lào Cai"), "the story page names the old and the current commune");
    // Statistics count it under its successor, and under its old district for 2021–2025.
    let stats = std::fs::read_to_string(site.public().join("thong-ke/xa-phuong.csv")).unwrap();
    assert!(stats.contains("Lào Cai,Xã Thượng Hà,1,0,0,1"), "{stats}");
    let stats = std::fs::read_to_string(site.public().join("thong-ke/huyen-truoc-2025.csv")).unwrap();
    assert!(stats.contains("Lào Cai,Huyện Bảo Yên,1,0,0,1"), "{stats}");
    // Feeds file it under the current commune and province, for the CMS that takes them.
    let atom = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    let entry = &atom[atom.find("/guong/dien-quan/").unwrap()..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    assert!(entry.contains("<category term=\"Xã Thượng Hà\"/><category term=\"Lào Cai\"/>"), "{entry}");
    // JSON-LD gives the current address.
    assert!(story.contains(r#""addressLocality":"Xã Thượng Hà","addressRegion":"Tỉnh Lào Cai""#), "JSON-LD address");
}

#[test]
fn the_same_name_in_two_provinces_is_two_pages() {
    let site = site();
    site.build();
    let cao_bang = site.page("/dia-phuong/cao-bang/xa-hung-dao/");
    let ha_noi = site.page("/dia-phuong/ha-noi/xa-hung-dao/");
    assert_eq!(hrefs(&cao_bang, ".card h3 a"), ["/guong/hung-dao-cao-bang/"]);
    assert_eq!(hrefs(&ha_noi, ".card h3 a"), ["/guong/hung-dao-ha-noi/"]);
    // A unit's identity includes its province.
    let units = site.page("/don-vi/");
    assert!(texts(&units, ".term-list li").contains(&"Trạm Y tế xã Hưng Đạo — Cao Bằng (1)".to_string()));
    assert_eq!(hrefs(&site.page("/don-vi/cao-bang/tram-y-te-xa-hung-dao/"), ".card h3 a"), ["/guong/hung-dao-cao-bang/"]);
    assert_eq!(hrefs(&site.page("/don-vi/ha-noi/tram-y-te-xa-hung-dao/"), ".card h3 a"), ["/guong/hung-dao-ha-noi/"]);
}

#[test]
fn a_fold_twin_arriving_moves_no_existing_address() {
    let site = site();
    story(&site, "son-ha", "Xã Sơn Hà", "UBND xã Sơn Hà", "2025-09-05", &["province: Quảng Ngãi", "commune: Xã Sơn Hà"]);
    site.build();
    let before: Vec<String> = hrefs(&site.page("/dia-phuong/quang-ngai/"), ".term-list a");
    assert_eq!(before.len(), 1);
    let son_ha = before[0].clone();
    assert!(son_ha.starts_with("/dia-phuong/quang-ngai/xa-son-ha-"), "{son_ha}: the twins' slugs carry their official codes");
    // Xã Sơn Hạ folds to the same letters.
    story(&site, "son-ha-nang", "Xã Sơn Hạ", "UBND xã Sơn Hạ", "2025-09-06", &["province: Quảng Ngãi", "commune: Xã Sơn Hạ"]);
    site.build();
    let after = hrefs(&site.page("/dia-phuong/quang-ngai/"), ".term-list a");
    assert_eq!(after.len(), 2);
    assert!(after.contains(&son_ha), "Xã Sơn Hà kept {son_ha}: {after:?}");
    assert_eq!(hrefs(&site.page(&son_ha), ".card h3 a"), ["/guong/son-ha/"]);
    let other = after.iter().find(|u| **u != son_ha).unwrap();
    assert_eq!(hrefs(&site.page(other), ".card h3 a"), ["/guong/son-ha-nang/"]);
}

#[test]
fn a_misspelt_commune_is_warned_at_its_line_with_the_right_name() {
    let site = site();
    story(&site, "sai", "Tổ sai tên", "Tổ sai tên", "2022-03-01", &["province: Lào Cai", "district: Huyện Bảo Yên", "commune: Xã Điện Quang"]);
    story(&site, "moi-sai", "Tổ mới sai tên", "Tổ mới sai tên", "2025-08-01", &["province: Lào Cai", "commune: Xã Thượng Hả"]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "unknown places are warnings, never errors");
    let err = stderr(&out);
    assert!(
        err.contains("content/stories/sai.md:9:12: cảnh báo: trường `locality.commune`: không có xã, phường, thị trấn \"Xã Điện Quang\" ở huyện Bảo Yên (trước 1/7/2025) trong danh mục đơn vị hành chính — có phải \"Xã Điện Quan\"?"),
        "{err}"
    );
    assert!(err.contains("content/stories/moi-sai.md:8:12: cảnh báo: trường `locality.commune`: không có xã, phường \"Xã Thượng Hả\" ở tỉnh Lào Cai trong danh mục đơn vị hành chính — có phải \"Xã Thượng Hà\"?"), "{err}");
}

#[test]
fn an_old_unit_in_a_story_after_the_reform_is_told_its_successor() {
    let site = site();
    story(&site, "muon", "Tổ viết muộn", "Tổ viết muộn", "2025-11-01", &["province: Yên Bái"]);
    let err = stderr(&site.run(&["check"]));
    assert!(err.contains("content/stories/muon.md:7:13: cảnh báo: trường `locality.province`: từ 1/7/2025 tỉnh Yên Bái đã nhập vào tỉnh Lào Cai; bài đăng sau ngày đó ghi `province: Lào Cai`"), "{err}");
}

#[test]
fn search_for_the_new_name_finds_the_old_story() {
    let site = site();
    for query in ["thuong ha", "dien quan"] {
        let out = site.run(&["search", query, "--json"]);
        let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(found[0]["url"], "/guong/dien-quan/", "{query}: {found}");
    }
    // The browser's index finds it too, ranked as the server ranks.
    parity::assert_parity(site.root(), &["thuong ha", "dien quan"]);
}
