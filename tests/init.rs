//! A new agency's path, as staff would take it: `init` into an empty folder, a story with `new`,
//! `check`, `build` — with no theme folder in the site, and pages that pass the HTML validator.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::stderr;

fn nguoitot(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(args).current_dir(dir).output().unwrap()
}

#[test]
fn init_new_check_build_with_no_theme_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("dien-bien");
    let init = nguoitot(
        dir.path(),
        &[
            "init",
            "dien-bien",
            "--title",
            "Người tốt, việc tốt — Điện Biên",
            "--base-url",
            "https://nguoitot.dienbien.example",
            "--publisher",
            "Ban Thi đua - Khen thưởng tỉnh Điện Biên",
            "--province",
            "Điện Biên",
            "--repo",
            "btdkt-dienbien/nguoi-tot",
            "--host",
            "gitlab",
        ],
    );
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(stderr(&init).contains("Trang mới đã sẵn sàng"), "{}", stderr(&init));
    assert!(site.join(".gitlab-ci.yml").is_file());
    assert!(!site.join("themes").exists(), "the theme is built in");

    // A second init into the same folder refuses, and changes nothing.
    let before = common::snapshot(&site);
    let again = nguoitot(dir.path(), &["init", "dien-bien", "--title", "X", "--base-url", "https://x.example"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("đã có tệp"), "{}", stderr(&again));
    assert_eq!(before, common::snapshot(&site));

    // The sample story is a draft: the site checks clean and says what is left out.
    let check = nguoitot(&site, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).contains("Chưa đăng: 1 bài nháp"), "{}", stderr(&check));

    // A story with `new`: the site's province is filled in; staff complete it and publish.
    let new = nguoitot(&site, &["new", "story", "Chị Lò Thị Hoa", "--movement", "thi-dua-yeu-nuoc", "--kind", "ca-nhan", "--commune", "Xã Tuần Giáo"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let path = site.join("content/stories/chi-lo-thi-hoa.md");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("province: \"Điện Biên\""), "{written}");
    assert!(written.contains("commune: \"Xã Tuần Giáo\""), "{written}");
    let published = written.replace("draft: true", "draft: false").replace("date: ", "date: 2024-03-01 # ").replace(
        "Viết nội dung bài ở đây",
        "Chị Hoa mở lớp dạy chữ cho phụ nữ trong bản. Viết nội dung bài ở đây",
    );
    std::fs::write(&path, published).unwrap();
    let check = nguoitot(&site, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));

    let build = nguoitot(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let public = site.join("public");
    let story = std::fs::read_to_string(public.join("guong/chi-lo-thi-hoa/index.html")).unwrap();
    assert!(story.contains("Chị Lò Thị Hoa") && story.contains("Tuần Giáo"), "{story}");
    assert!(public.join("style.css").is_file(), "the built-in theme's static files");
    let admin = std::fs::read_to_string(public.join("admin/index.html")).unwrap();
    assert!(admin.contains("https://gitlab.com"), "the editor may reach the GitLab of [editor]: {admin}");

    let Some(mut vnu) = common::vnu_command() else { return };
    let out = vnu.args(["--errors-only", "--format", "gnu", "--skip-non-html"]).arg(&public).output().unwrap();
    assert!(out.status.success(), "HTML errors:\n{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
}

#[test]
fn init_without_a_terminal_needs_title_and_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(["init"]).current_dir(dir.path()).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("thiếu tên trang: thêm --title"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn theme_eject_writes_the_default_theme_for_restyling() {
    let dir = tempfile::tempdir().unwrap();
    let out = nguoitot(dir.path(), &["theme", "eject"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("themes/default/templates/base.html").is_file());
    let again = nguoitot(dir.path(), &["theme", "eject"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("đã có"), "{}", stderr(&again));
}

#[test]
fn command_line_mistakes_and_help_are_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let out = nguoitot(dir.path(), &["build", "--ouput", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("lỗi: không có tùy chọn `--ouput` — có phải ý bạn là `--output`?"), "{}", stderr(&out));
    let out = nguoitot(dir.path(), &["serve", "--port", "http"]);
    assert!(stderr(&out).starts_with("lỗi: giá trị \"http\" không hợp lệ cho --port <CỔNG>: cần một số cổng"), "{}", stderr(&out));
    let help = nguoitot(dir.path(), &["build", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Cách dùng: nguoitot build [TÙY CHỌN]") && help.contains("Tùy chọn:"), "{help}");
    assert!(!help.contains("Usage") && !help.contains("Options") && !help.contains("[default"), "{help}");
}
