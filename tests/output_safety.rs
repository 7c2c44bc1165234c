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
    let leftovers: Vec<_> = std::fs::read_dir(site.root()).unwrap().filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().contains("nguoitot-")).collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn killed_build_leaves_either_the_old_or_the_complete_new_output() {
    let site = Site::new();
    site.movement("a", "A");
    for i in 0..1500 {
        site.write(&format!("content/stories/s{i}.md"), &format!("---\ntitle: Gương {i}\nkind: ca-nhan\nmovements: [a]\nunit: Đơn vị {}\ndate: 2022-01-01\n---\nNội dung {i}.\n", i % 50));
    }
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
