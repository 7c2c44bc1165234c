//! Statistics: exact tallies on a small site, the CSV read back as Excel would, charts with text
//! at the page's size and one colour per kind, the tables of a period or a year.

mod common;

use common::{stderr, texts, Site};

/// Three movements (one without stories); five stories with kinds, sectors, localities (old and
/// merged units, one left out) and awards chosen to be counted; s5 is of 2023, the others of 2022.
fn stats_site() -> Site {
    let site = Site::new();
    site.movement("a", "Phong trào A").movement("b", "Phong trào B").movement("c", "Phong trào C").write(
        "content/awards.toml",
        "[[award]]\ntitle = \"Huân chương Lao động hạng Ba\"\n\n[[award]]\ntitle = \"Bằng khen của Chủ tịch UBND tỉnh\"\n",
    );
    let story = |file: &str, kind: &str, movement: &str, sector: &str, district: &str, awards: &[(&str, i32)]| {
        let date = if file == "s5" { "2023-03-01" } else { "2022-01-01" };
        let awards: String = awards.iter().map(|(t, y)| format!("  - title: {t}\n    year: {y}\n")).collect();
        site.write(
            &format!("content/stories/{file}.md"),
            &format!("---\ntitle: {file}\nkind: {kind}\nmovements: [{movement}]\n{sector}{district}awards:\n{awards}date: {date}\n---\nNội dung.\n"),
        );
    };
    story("s1", "tap-the", "a", "sector: su-nghiep-cong-lap\n", "locality:\n  province: Lào Cai\n  district: Huyện Bảo Yên\n  commune: Xã Điện Quan\n", &[("Bằng khen của Chủ tịch UBND tỉnh", 2021), ("Huân chương Lao động hạng Ba", 2022)]);
    story("s2", "ca-nhan", "a", "sector: hanh-chinh-nha-nuoc\n", "locality:\n  province: Lào Cai\n  district: Huyện Bảo Yên\n", &[("Bằng khen của Chủ tịch UBND tỉnh", 2021)]);
    story("s3", "ca-nhan", "a", "", "locality:\n  province: Yên Bái\n  district: Huyện Lục Yên\n", &[("Bằng khen của Chủ tịch UBND tỉnh", 2022)]);
    story("s4", "ho-gia-dinh", "b", "sector: doi-tuong-khac\n", "", &[("Bằng khen của Chủ tịch UBND tỉnh", 2022)]);
    story("s5", "tap-the", "b", "sector: doanh-nghiep\n", "locality:\n  province: Điện Biên\n  district: Huyện Tuần Giáo\n  commune: Thị trấn Tuần Giáo\n", &[]);
    site
}

fn csv_rows(site: &Site, id: &str) -> Vec<Vec<String>> {
    let bytes = std::fs::read(site.public().join(format!("thong-ke/{id}.csv"))).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{id}.csv starts with a UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn tallies_are_exact_in_page_csv_json_and_cli() {
    let site = stats_site();
    site.build();
    assert_eq!(
        csv_rows(&site, "phong-trao-theo-loai"),
        [
            vec!["Phong trào", "Tập thể", "Cá nhân", "Hộ gia đình", "Tổng"],
            vec!["Phong trào A", "1", "2", "0", "3"],
            vec!["Phong trào B", "1", "0", "1", "2"],
            vec!["Phong trào C", "0", "0", "0", "0"],
            vec!["Tổng cộng", "2", "2", "1", "5"],
        ]
    );
    assert_eq!(
        csv_rows(&site, "khen-thuong-theo-nam"),
        [
            vec!["Hình thức khen thưởng", "2021", "2022", "Tổng"],
            vec!["Huân chương Lao động hạng Ba", "0", "1", "1"],
            vec!["Bằng khen của Chủ tịch UBND tỉnh", "2", "2", "4"],
            vec!["Tổng cộng", "2", "3", "5"],
        ]
    );
    // Current units: Yên Bái is part of Lào Cai since 1 July 2025.
    assert_eq!(
        csv_rows(&site, "dia-phuong"),
        [
            vec!["Tỉnh, thành phố", "Tập thể", "Cá nhân", "Hộ gia đình", "Tổng"],
            vec!["Điện Biên", "1", "0", "0", "1"],
            vec!["Lào Cai", "1", "2", "0", "3"],
            vec!["Chưa xác định địa phương", "0", "0", "1", "1"],
            vec!["Tổng cộng", "2", "2", "1", "5"],
        ]
    );
    // Old communes under the commune they became (Xã Điện Quan → Xã Thượng Hà).
    assert_eq!(
        csv_rows(&site, "xa-phuong"),
        [
            vec!["Tỉnh, thành phố", "Xã, phường, đặc khu", "Tập thể", "Cá nhân", "Hộ gia đình", "Tổng"],
            vec!["Điện Biên", "Xã Tuần Giáo", "1", "0", "0", "1"],
            vec!["Lào Cai", "Xã Thượng Hà", "1", "0", "0", "1"],
            vec!["Lào Cai", "Chưa rõ xã, phường", "0", "2", "0", "2"],
            vec!["Tổng cộng", "", "2", "2", "0", "4"],
        ]
    );
    // Reports about 2021–2025 count by the districts of then.
    assert_eq!(
        csv_rows(&site, "huyen-truoc-2025"),
        [
            vec!["Tỉnh (cũ)", "Huyện, thị xã, thành phố", "Tập thể", "Cá nhân", "Hộ gia đình", "Tổng"],
            vec!["Điện Biên", "Huyện Tuần Giáo", "1", "0", "0", "1"],
            vec!["Lào Cai", "Huyện Bảo Yên", "1", "1", "0", "2"],
            vec!["Yên Bái", "Huyện Lục Yên", "0", "1", "0", "1"],
            vec!["Tổng cộng", "", "2", "2", "0", "4"],
        ]
    );
    let sector = csv_rows(&site, "khen-thuong-theo-phong-trao");
    assert_eq!(&sector[0][..5], ["Phong trào", "Hình thức khen thưởng", "Tổng số", "Tập thể", "Cá nhân"]);
    assert_eq!(sector[0][5], "Hành chính nhà nước – tập thể");
    // Movement A, Bằng khen: s1 (collective, public service), s2 (individual, state administration), s3 (individual, no sector).
    assert_eq!(sector[2], ["Phong trào A", "Bằng khen của Chủ tịch UBND tỉnh", "3", "1", "2", "0", "1", "1", "0", "0", "0", "0", "0", "0", "1"]);
    assert_eq!(sector[1], ["Phong trào A", "Huân chương Lao động hạng Ba", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0"]);
    // The household counts with collectives, in "other".
    assert_eq!(sector[3], ["Phong trào B", "Bằng khen của Chủ tịch UBND tỉnh", "1", "1", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "0"]);
    assert_eq!(sector[4][..5], ["Tổng cộng", "", "5", "3", "2"]);
    assert_eq!(sector.len(), 5);

    // The page shows the same numbers in accessible tables.
    let page = site.page("/thong-ke/");
    assert!(texts(&page, "#phong-trao-theo-loai tbody tr").contains(&"Phong trào A1203".to_string()));
    assert_eq!(texts(&page, "#phong-trao-theo-loai tfoot tr"), ["Tổng cộng2215"]);
    assert!(text_of_cli(&site).contains("Tổng cộng"));
    // JSON export and the command line agree with the files.
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(site.public().join("thong-ke/thong-ke.json")).unwrap()).unwrap();
    assert_eq!(json[1]["rows"][1]["values"], serde_json::json!([2, 2, 4]));
    let out = site.run(&["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, json);
    let text = String::from_utf8(site.run(&["stats"]).stdout).unwrap();
    assert!(text.contains("Bằng khen của Chủ tịch UBND tỉnh  2     2     4"), "{text}");
    let csv_out = String::from_utf8(site.run(&["stats", "--csv"]).stdout).unwrap();
    // One byte-order mark first, as in the site's CSV files, so that Excel reads UTF-8.
    assert!(csv_out.starts_with("\u{feff}Phong trào,Tập thể,Cá nhân,Hộ gia đình,Tổng\n"), "{csv_out}");
    assert_eq!(csv_out.matches('\u{feff}').count(), 1);
}

fn text_of_cli(site: &Site) -> String {
    String::from_utf8(site.run(&["stats"]).stdout).unwrap()
}

/// Rows in Vietnamese alphabetical order (Đ after D, Ư after U), not byte order.
#[test]
fn rows_follow_the_vietnamese_alphabet() {
    let site = Site::new();
    for (id, title) in [("dn", "Doanh nghiệp"), ("ds", "Đời sống văn hóa"), ("ub", "Ủy ban"), ("ut", "Uống nước nhớ nguồn"), ("vh", "Văn hóa")] {
        site.movement(id, title);
    }
    site.build();
    let rows: Vec<String> = csv_rows(&site, "phong-trao-theo-loai").into_iter().skip(1).map(|r| r[0].clone()).collect();
    assert_eq!(rows, ["Doanh nghiệp", "Đời sống văn hóa", "Uống nước nhớ nguồn", "Ủy ban", "Văn hóa", "Tổng cộng"]);
}

#[test]
fn charts_have_text_labels_one_colour_per_kind_and_fold_empty_rows() {
    let site = stats_site();
    site.build();
    let page = site.page("/thong-ke/");
    let chart = scraper::Html::parse_document(&page);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    // Labels and counts are the page's text (an SVG scaled to the column made them larger than
    // the body); the bars alone are drawn, each segment coloured by its kind's class.
    let first = chart.select(&sel("#phong-trao-theo-loai .chart")).next().expect("the first table's chart");
    let labels: Vec<String> = first.select(&sel(".bars li")).map(|li| li.text().collect::<String>()).collect();
    assert_eq!(labels, ["Phong trào A 3Tập thể: 1Cá nhân: 2", "Phong trào B 2Tập thể: 1Hộ gia đình: 1"]);
    assert!(first.select(&sel("svg text")).next().is_none(), "no text inside the bars");
    let legend: Vec<(String, String)> = first
        .select(&sel(".chart-legend li"))
        .map(|li| (li.select(&sel(".swatch")).next().unwrap().value().classes().find(|c| c.starts_with("kind-")).unwrap().to_string(), li.text().collect()))
        .collect();
    assert_eq!(legend, [("kind-tap-the".to_string(), "Tập thể".to_string()), ("kind-ca-nhan".into(), "Cá nhân".into()), ("kind-ho-gia-dinh".into(), "Hộ gia đình".into())]);
    // A movement without stories is one line under the bars, not an empty bar, and not a row of
    // zeros in the page's table (the CSV keeps it, above).
    assert_eq!(texts(&page, "#phong-trao-theo-loai .chart-empty"), ["Chưa có gương điển hình (1): Phong trào C."]);
    assert!(!texts(&page, "#phong-trao-theo-loai tbody tr").iter().any(|r| r.contains("Phong trào C")));
    // The same kind has the same class on the movement page's chart and on the story cards, and
    // the stylesheet gives each kind's class its colour.
    let movement = site.page("/phong-trao/a/");
    let doc = scraper::Html::parse_document(&movement);
    let bar_classes: Vec<String> = doc.select(&sel(".movement-chart rect")).map(|r| r.value().attr("class").unwrap().to_string()).collect();
    assert_eq!(bar_classes, ["kind-tap-the", "kind-ca-nhan"]);
    assert_eq!(texts(&movement, ".movement-chart .chart-empty"), ["Chưa có gương điển hình (1): Hộ gia đình."]);
    let badges: Vec<String> = doc.select(&sel(".card .kind")).map(|b| format!("{} {}", b.value().attr("class").unwrap(), b.text().collect::<String>())).collect();
    assert!(badges.contains(&"kind kind-tap-the Tập thể".to_string()) && badges.contains(&"kind kind-ca-nhan Cá nhân".to_string()), "{badges:?}");
    let css = std::fs::read_to_string(site.public().join("style.css")).unwrap();
    for kind in ["tap-the", "ca-nhan", "ho-gia-dinh"] {
        assert!(css.contains(&format!(".kind-{kind} {{ --kind: var(--kind-{kind}); }}")), "{kind}");
        assert_eq!(css.matches(&format!("--kind-{kind}: #")).count(), 2, "{kind}: one colour in light mode, one in dark");
    }
}

/// A yearly report: `stats --from/--to` and `/thong-ke/<năm>/` count stories by the year of their
/// date and awards by the year they were given.
#[test]
fn a_period_counts_its_stories_and_its_awards() {
    let site = stats_site();
    site.build();
    let year_page = site.page("/thong-ke/2023/");
    assert_eq!(texts(&year_page, "h1"), ["Thống kê năm 2023"]);
    assert_eq!(texts(&year_page, "#phong-trao-theo-loai tfoot tr"), ["Tổng cộng1001"], "s5 alone");
    assert_eq!(texts(&year_page, "#phong-trao-theo-loai tbody tr"), ["Phong trào B1001"]);
    assert_eq!(texts(&year_page, "#dia-phuong tbody tr"), ["Điện Biên1001"]);
    // No award was given in 2023: the award tables are empty, said in one line.
    assert_eq!(texts(&year_page, "#khen-thuong-theo-nam .chart-empty"), ["Chưa có khen thưởng."]);
    assert!(texts(&year_page, "#khen-thuong-theo-nam table").is_empty());
    // 2021 has awards (two Bằng khen) but no story.
    let y2021 = site.page("/thong-ke/2021/");
    assert_eq!(texts(&y2021, "#khen-thuong-theo-nam tbody tr"), ["Bằng khen của Chủ tịch UBND tỉnh22"]);
    assert_eq!(texts(&y2021, "#phong-trao-theo-loai .chart-empty"), ["Chưa có gương điển hình (3): Phong trào A; Phong trào B; Phong trào C."]);
    // Every year page is linked from the statistics page, and has its workbook.
    let all = site.page("/thong-ke/");
    assert_eq!(texts(&all, ".year-nav a"), ["2021", "2022", "2023"]);
    for year in [2021, 2022, 2023] {
        assert!(site.public().join(format!("thong-ke/{year}/thong-ke.xlsx")).is_file(), "{year}");
    }

    // The command line: the same period, the same numbers, the period in the titles.
    let out = site.run(&["stats", "--from", "2022", "--to", "2022", "--csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv_out = String::from_utf8(out.stdout).unwrap();
    assert!(csv_out.contains("Phong trào A,1,2,0,3\nPhong trào B,0,0,1,1\nPhong trào C,0,0,0,0\nTổng cộng,1,2,1,4\n"), "{csv_out}");
    assert!(csv_out.contains("Hình thức khen thưởng,2022,Tổng\nHuân chương Lao động hạng Ba,1,1\nBằng khen của Chủ tịch UBND tỉnh,2,2\nTổng cộng,3,3\n"), "{csv_out}");
    let text = String::from_utf8(site.run(&["stats", "--from", "2023"]).stdout).unwrap();
    assert!(text.starts_with("Gương điển hình theo phong trào và loại (từ 2023)\n"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(&site.run(&["stats", "--to", "2021", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["total"], serde_json::json!([0, 0, 0, 0]));
    assert_eq!(json[1]["total"], serde_json::json!([2, 2]));
    let backwards = site.run(&["stats", "--from", "2024", "--to", "2022"]);
    assert_eq!(backwards.status.code(), Some(2));
    assert!(stderr(&backwards).contains("lỗi: --from 2024 sau --to 2022: năm bắt đầu phải trước hoặc bằng năm kết thúc."), "{}", stderr(&backwards));
}

#[test]
fn an_unknown_sector_is_a_located_error() {
    let site = Site::new();
    site.movement("a", "A").write("content/stories/x.md", "---\ntitle: X\nkind: ca-nhan\nmovements: [a]\nsector: tư nhân\ndate: 2022-01-01\n---\nx\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("content/stories/x.md:5:9: lỗi: trường `sector`: giá trị \"tư nhân\" không hợp lệ"), "{}", stderr(&out));
}

/// The workbook as a spreadsheet opens it: one sheet per table, counts as numbers, the total row.
#[test]
fn the_workbook_has_a_sheet_per_table_with_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let site = stats_site();
    site.build();
    let check = |bytes: Vec<u8>| {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["phong-trao-theo-loai", "khen-thuong-theo-nam", "dia-phuong", "xa-phuong", "huyen-truoc-2025", "khen-thuong-theo-phong-trao"]);
        let sheet = book.worksheet_range("phong-trao-theo-loai").unwrap();
        assert_eq!(sheet.get((0, 0)), Some(&Data::String("Phong trào".into())));
        assert_eq!(sheet.get((1, 0)), Some(&Data::String("Phong trào A".into())));
        assert_eq!(sheet.get((1, 2)), Some(&Data::Float(2.0)), "a count is a number");
        assert_eq!(sheet.get((4, 0)), Some(&Data::String("Tổng cộng".into())));
        assert_eq!(sheet.get((4, 4)), Some(&Data::Float(5.0)));
    };
    check(std::fs::read(site.public().join("thong-ke/thong-ke.xlsx")).unwrap());
    let file = site.root().join("bao-cao.xlsx");
    let out = site.run(&["stats", "--xlsx", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Đã ghi 6 bảng thống kê vào"), "{}", stderr(&out));
    check(std::fs::read(&file).unwrap());
}
