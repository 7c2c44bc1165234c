//! `check` and `build` on broken content: every problem at once, in Vietnamese, with its
//! file, line and column. The expected output is pinned in `tests/fixtures/broken/`.

mod common;

use common::{stderr, Site};

/// `check` on `tests/fixtures/<name>` prints exactly its `expected-check.txt`.
fn check_output_is_pinned(name: &str) {
    let site = Site::fixture(name);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = std::fs::read_to_string(common::repo_root().join("tests/fixtures").join(name).join("expected-check.txt")).unwrap();
    let actual = stderr(&out);
    for (n, (got, want)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(got, want, "line {} of check output", n + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count(), "whole output:\n{actual}");
}

#[test]
fn check_reports_every_problem_with_file_line_and_column() {
    check_output_is_pinned("broken");
}

/// Ten mistakes of different kinds in four files — field errors, values the web editor cannot
/// show, cross-file errors (unknown movement, duplicate address, missing photo, a broken link at
/// its column) and warnings — all reported by one run, not in rounds.
#[test]
fn one_check_reports_all_mistakes_of_four_files() {
    check_output_is_pinned("mistakes");
}

#[test]
fn each_kind_of_mistake_is_named_where_it_is() {
    let site = Site::fixture("broken");
    let out = stderr(&site.run(&["check"]));
    let has = |needle: &str| assert!(out.lines().any(|l| l.starts_with(needle)), "no line starting with {needle:?} in:\n{out}");
    has("content/stories/yaml-syntax.md:3:5: lỗi: cú pháp YAML không hợp lệ");
    has("content/stories/unclosed.md:1:1: lỗi: phần thông tin mở bằng `---` ở dòng 1 nhưng không có dòng `---` đóng lại");
    has("content/stories/missing-title.md:2:1: lỗi: thiếu trường bắt buộc `title`");
    has("content/stories/bad-kind.md:3:7: lỗi: trường `kind`: giá trị \"doanh-nghiep\" không hợp lệ");
    has("content/stories/bad-movement.md:4:13: lỗi: trường `movements`: không có phong trào mã `b`");
    has("content/stories/trung.md:1:1: lỗi: địa chỉ /guong/trung/ bị trùng: tệp content/stories/dup1.md cũng dùng địa chỉ này");
    has("content/stories/photo-missing.md:7:8: lỗi: trường `photo.src`: không tìm thấy tệp ảnh \"khong-co.jpg\"");
    has("content/stories/photo-outside.md:7:8: lỗi: trường `photo.src`: \"../../../etc/passwd\" nằm ngoài thư mục trang");
    has("content/stories/bad-date.md:5:7: lỗi: trường `date`: ngày \"2022-02-30\" không hợp lệ");
    has("content/stories/unknown-award.md:7:12: cảnh báo: danh hiệu \"Bằng khen của Chủ tịch UBND tỉnh\" không có trong content/awards.toml");
    has("content/stories/empty-body.md:7:1: cảnh báo: nội dung bài viết đang để trống");
    has("content/stories/typo.md:2:1: lỗi: trường `titel` không được hỗ trợ — có phải ý bạn là `title`?");
    has("content/stories/typo.md:7:3: lỗi: trường `locality.distric` không được hỗ trợ — có phải ý bạn là `district`?");
    has("content/stories/toml-syntax.md:6:8: lỗi: cú pháp TOML không hợp lệ");
    has("content/stories/ward.md:8:3: lỗi: trường `locality.ward` không được hỗ trợ — có phải ý bạn là `commune`?");
    has("content/stories/xa-sai-ten.md:8:12: cảnh báo: trường `locality.commune`: không có xã, phường \"Xã Thượng Hả\" ở tỉnh Lào Cai trong danh mục đơn vị hành chính — có phải \"Xã Thượng Hà\"?");
    has("nguoitot.toml:3:1: lỗi: khóa `paginat_by` không được hỗ trợ trong nguoitot.toml — có phải ý bạn là `paginate_by`?");
}

#[test]
fn build_with_errors_exits_1_and_writes_nothing() {
    let site = Site::fixture("broken");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Không dựng trang: nội dung có 15 lỗi"));
    assert!(!site.public().exists());
}

#[test]
fn warnings_alone_do_not_fail() {
    let site = Site::new();
    site.movement("a", "A")
        .write("content/awards.toml", "[[award]]\ntitle = \"Giấy khen\"\n")
        .write("content/stories/x.md", "---\ntitle: X\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\nawards:\n  - title: Bằng khen lạ\n---\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("cảnh báo: danh hiệu \"Bằng khen lạ\" không có trong content/awards.toml"));
    assert!(stderr(&out).contains("cảnh báo: nội dung bài viết đang để trống"));
}

#[test]
fn bom_crlf_and_nfd_files_are_read_like_any_other() {
    let site = Site::new();
    site.movement("a", "A").write(
        "content/stories/bom.md",
        "\u{feff}---\r\ntitle: \"Đie\u{0302}\u{0323}n Quan\"\r\nkind: tap-the\r\nmovements: [a]\r\ndate: 2022-01-01\r\n---\r\nNội dung.\r\n",
    );
    site.build();
    let page = site.page("/guong/bom/");
    assert!(page.contains("<h1>Điện Quan</h1>"), "{page}");
}

#[test]
fn non_utf8_and_missing_config_are_clear_errors() {
    let site = Site::new();
    site.movement("a", "A");
    std::fs::write(site.root().join("content/stories/latin1.md"), b"---\ntitle: \xe9t\xe9\n---\n").unwrap();
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("content/stories/latin1.md:2:8: lỗi: tệp không phải văn bản UTF-8"), "{out}");
    std::fs::remove_file(site.root().join("nguoitot.toml")).unwrap();
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("nguoitot.toml:1:1: lỗi: không đọc được tệp cấu hình nguoitot.toml"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nguoitot")).arg("buidl").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn root_given_on_the_command_line_prefixes_paths() {
    let site = Site::fixture("broken");
    let root = site.root().to_str().unwrap().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(["check", "--root", &root]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&format!("{root}/content/stories/bad-kind.md:3:7: lỗi:")));
}
