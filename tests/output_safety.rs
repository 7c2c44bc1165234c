//! A failed or interrupted build never damages the previous output, and `build` refuses output
//! folders it could destroy by mistake.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{snapshot, stderr, Site};

fn small_site() -> Site {
    let site = Site::new();
    site.movement("a", "A").write("content/stories/x.md", "---\ntitle: X\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\n---\nNội dung.\n");
    site
}

#[test]
fn content_error_leaves_previous_output_byte_identical() {
    let site = small_site();
    site.build();
    let before = snapshot(&site.public());
    site.write("content/stories/y.md", "---\ntitle: Y\nkind: sai\nmovements: [a]\ndate: 2022-01-01\n---\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Thư mục xuất cũ được giữ nguyên"));
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn template_error_mid_render_leaves_previous_output_and_no_staging() {
    let site = small_site();
    site.build();
    let before = snapshot(&site.public());
    site.write("content/stories/z.md", "---\ntitle: Z\nkind: tap-the\nmovements: [a]\ndate: 2023-01-01\n---\nMới.\n");
    // A site override of the story template that fails at render time.
    site.write("templates/story.html", "{% extends \"base.html\" %}{% block content %}{{ story.khong_co }}{% endblock content %}");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("không dựng được trang /guong/"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.public()), before);
    assert_eq!(leftovers(&site), Vec::<String>::new(), "staging left behind");
}

/// What builds left beside the output besides the lock file (which stays: it is only locked).
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("nguoitot-") && !n.ends_with("nguoitot-lock"))
        .collect()
}

fn many_stories(n: usize) -> Site {
    let site = Site::new();
    site.movement("a", "A");
    for i in 0..n {
        site.write(&format!("content/stories/s{i}.md"), &format!("---\ntitle: Gương {i}\nkind: ca-nhan\nmovements: [a]\nunit: Đơn vị {}\ndate: 2022-01-01\n---\nNội dung {i}.\n", i % 50));
    }
    site
}

/// Issue #25, item 1: two builds into one output at once (two CI jobs, a cron and a person) both
/// succeed, one after the other, and leave the complete site.
#[test]
fn two_builds_at_once_take_turns_and_leave_the_complete_site() {
    let site = many_stories(1500);
    let children: Vec<_> = (0..2)
        .map(|_| Command::new(env!("CARGO_BIN_EXE_nguoitot")).arg("build").current_dir(site.root()).stderr(std::process::Stdio::piped()).spawn().unwrap())
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let stories = std::fs::read_dir(site.public().join("guong")).unwrap().count();
    assert_eq!(stories, 1500, "every story page is in the output");
    assert!(site.public().join(".nguoitot").is_file(), "the output keeps its marker");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

/// A build that cannot get the output's lock in time says which process holds it and changes
/// nothing; once the lock is free the next build goes through.
#[test]
fn a_held_lock_is_named_and_the_output_left_alone() {
    let site = small_site();
    site.build();
    let before = snapshot(&site.public());
    let lock = std::fs::OpenOptions::new().read(true).write(true).open(site.root().join(".public.nguoitot-lock")).unwrap();
    lock.lock().unwrap();
    std::fs::write(site.root().join(".public.nguoitot-lock"), "424242").unwrap();
    site.write("content/stories/y.md", "---\ntitle: Gương Y\nkind: ca-nhan\nmovements: [a]\ndate: 2022-01-01\n---\nMới.\n");
    let out = Command::new(env!("CARGO_BIN_EXE_nguoitot")).arg("build").env("NGUOITOT_LOCK_WAIT", "1").current_dir(site.root()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("một lần dựng khác (tiến trình 424242) đang ghi vào thư mục xuất"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Thư mục xuất cũ được giữ nguyên"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.public()), before);
    drop(lock);
    assert!(site.run(&["build"]).status.success());
    assert!(site.public().join("guong/y/index.html").is_file());
}

#[test]
fn killed_build_leaves_either_the_old_or_the_complete_new_output() {
    let site = many_stories(1500);
    site.build();
    let old = snapshot(&site.public());
    site.write("content/stories/s0.md", "---\ntitle: Gương mới\nkind: ca-nhan\nmovements: [a]\ndate: 2024-01-01\n---\nĐã sửa.\n");
    for delay_ms in [5u64, 30, 60, 120, 250] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nguoitot")).arg("build").current_dir(site.root()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok();
        child.wait().unwrap();
        let now = snapshot(&site.public());
        let after_kill_is_old = now == old;
        let after_kill_is_new = now.iter().any(|(p, b)| p.ends_with("guong/s0/index.html") && String::from_utf8_lossy(b).contains("Gương mới"))
            && now.len() == old.len();
        assert!(after_kill_is_old || after_kill_is_new, "output is neither the old nor the new site after a kill at {delay_ms} ms");
    }
    // A following build always ends with the complete new site.
    site.build();
    assert!(site.page("/guong/s0/").contains("Gương mới"));
}

#[test]
fn refuses_the_site_root_and_foreign_folders() {
    let site = small_site();
    let out = site.run(&["build", "--output", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("trùng với thư mục trang hoặc chứa nó"), "{}", stderr(&out));
    let out = site.run(&["build", "--output", ".."]);
    assert!(stderr(&out).contains("trùng với thư mục trang hoặc chứa nó"));
    site.write("tai-lieu/quan-trong.docx", "không được xóa");
    let out = site.run(&["build", "--output", "tai-lieu"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("đã có tệp mà không do nguoitot tạo ra"));
    assert!(site.root().join("tai-lieu/quan-trong.docx").is_file());
    // An empty folder, or one nguoitot made, is fine.
    std::fs::create_dir_all(site.root().join("trong")).unwrap();
    assert!(site.run(&["build", "--output", "trong"]).status.success());
    assert!(site.run(&["build", "--output", "trong"]).status.success());
    assert!(site.root().join("trong/guong/x/index.html").is_file());
}
