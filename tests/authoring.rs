//! Authoring for non-programmers: `new`, the JSON Schema, the web editor's config, drafts and
//! future dates, and links that lead nowhere.

mod common;

use common::{hrefs, repo_root, stderr, Site};
use nguoitot::content::{fields, node, source};

fn site() -> Site {
    let site = Site::new();
    site.movement("thanh-nien", "Thanh niên làm chủ đất nước").write(
        "content/awards.toml",
        "[[award]]\ntitle = \"Huân chương Lao động hạng Ba\"\n\n[[award]]\ntitle = \"Giấy khen\"\n",
    );
    site
}

#[test]
fn new_story_has_every_field_and_passes_check() {
    let site = site();
    let out = site.run(&["new", "story", "Chị Lò Thị Hoà", "--movement", "thanh-nien", "--kind", "cá nhân"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Đã tạo content/stories/chi-lo-thi-hoa.md"), "{}", stderr(&out));
    let text = std::fs::read_to_string(site.root().join("content/stories/chi-lo-thi-hoa.md")).unwrap();
    for f in fields::STORY.iter().filter(|f| f.key != "movement") {
        assert!(text.lines().any(|l| l.starts_with(&format!("{}:", f.key))), "field {} missing in:\n{text}", f.key);
    }
    assert!(text.contains("title: \"Chị Lò Thị Hoà\"") && text.contains("kind: ca-nhan") && text.contains("movements: [thanh-nien]"));
    assert!(text.contains("# bắt buộc — Tên tập thể, cá nhân hoặc hộ gia đình"), "Vietnamese hints:\n{text}");
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    // A second story with the same title is refused, the first file untouched.
    let again = site.run(&["new", "story", "Chị Lò Thị Hoà", "--movement", "thanh-nien", "--kind", "ca-nhan"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("đã có"));
    let out = site.run(&["new", "story", "X", "--movement", "thanh-nien-lam-chu", "--kind", "ca-nhan"]);
    assert!(stderr(&out).contains("không có phong trào mã `thanh-nien-lam-chu`"), "{}", stderr(&out));
    let out = site.run(&["new", "movement", "Dân vận khéo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.run(&["check"]).status.success());
    assert!(site.root().join("content/movements/dan-van-kheo.md").is_file());
}

#[test]
fn new_story_writes_the_province_and_commune_as_the_registry_spells_them() {
    let site = site();
    let out = site.run(&["new", "story", "Tổ hòa giải thôn Bản 4", "--movement", "thanh-nien", "--kind", "tap-the", "--province", "lào cai", "--commune", "Thượng Hà"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(site.root().join("content/stories/to-hoa-giai-thon-ban-4.md")).unwrap();
    assert!(text.contains("\n  province: \"Lào Cai\"   #") && text.contains("\n  commune: \"Xã Thượng Hà\"   #"), "{text}");
    let check = site.run(&["check"]);
    assert!(check.status.success() && !stderr(&check).contains(": cảnh báo:"), "{}", stderr(&check));
    // A commune the province does not have is refused with the closest real names.
    let out = site.run(&["new", "story", "Tổ khác", "--movement", "thanh-nien", "--kind", "tap-the", "--province", "Lào Cai", "--commune", "Xã Thượng Hả"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("có phải \"Xã Thượng Hà\"?"), "{}", stderr(&out));
    assert!(!site.root().join("content/stories/to-khac.md").exists());
}

fn front_matter_json(path: &std::path::Path) -> serde_json::Value {
    let text = source::clean_text(std::fs::read_to_string(path).unwrap());
    let split = source::split_front_matter(&text).unwrap();
    let node = match split.format {
        source::FrontMatterFormat::Yaml => node::parse_yaml(split.front_matter, 2).unwrap(),
        source::FrontMatterFormat::Toml => node::parse_toml(split.front_matter, 2).unwrap(),
    };
    node.to_json()
}

#[test]
fn schema_accepts_every_example_story_and_rejects_mistakes() {
    let out_dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo_root().join("content"), &out_dir.path().join("content"));
    std::fs::copy(repo_root().join("nguoitot.toml"), out_dir.path().join("nguoitot.toml")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_nguoitot")).args(["schema"]).current_dir(out_dir.path()).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let load = |name: &str| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(out_dir.path().join("schema").join(name)).unwrap()).unwrap() };
    let story_schema = load("story.schema.json");
    assert_eq!(story_schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(story_schema["properties"]["title"]["description"], "Tên tập thể, cá nhân hoặc hộ gia đình");
    let movement_ids = &story_schema["properties"]["movements"]["items"]["enum"];
    assert_eq!(movement_ids.as_array().unwrap().len(), 13);
    let award_titles = &story_schema["properties"]["awards"]["items"]["properties"]["title"]["enum"];
    assert!(award_titles.as_array().unwrap().contains(&serde_json::json!("Huân chương Độc lập hạng Nhì")));
    let stories = jsonschema::draft202012::new(&story_schema).unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(repo_root().join("content/stories")).into_iter().filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "md")) {
        let fm = front_matter_json(entry.path());
        let errors: Vec<String> = stories.iter_errors(&fm).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", entry.path().display());
        checked += 1;
    }
    assert_eq!(checked, 11);
    let movements = jsonschema::draft202012::new(&load("movement.schema.json")).unwrap();
    for entry in std::fs::read_dir(repo_root().join("content/movements")).unwrap() {
        assert!(movements.is_valid(&front_matter_json(&entry.unwrap().path())));
    }
    let good = serde_json::json!({ "title": "A", "kind": "ca-nhan", "movements": ["thanh-nien-lam-chu-dat-nuoc"], "date": "2022-01-01" });
    assert!(stories.is_valid(&good));
    let mut no_title = good.clone();
    no_title.as_object_mut().unwrap().remove("title");
    assert!(!stories.is_valid(&no_title));
    let mut bad_kind = good.clone();
    bad_kind["kind"] = "doanh-nghiep".into();
    assert!(!stories.is_valid(&bad_kind));
    let mut typo = good.clone();
    typo["titel"] = "x".into();
    assert!(!stories.is_valid(&typo));
}

#[test]
fn web_editor_config_is_generated_from_the_model_and_valid_for_sveltia() {
    let site = site();
    site.write(
        "nguoitot.toml",
        "title = \"Trang thử\"\nbase_url = \"https://vi-du.test\"\n\n[editor]\nbackend = \"gitlab\"\nrepo = \"so-noi-vu/nguoi-tot\"\nbranch = \"xuat-ban\"\napi_root = \"https://git.laocai.gov.vn/api/v4\"\napp_id = \"abc123\"\n",
    );
    site.build();
    let config_text = std::fs::read_to_string(site.public().join("admin/config.yml")).unwrap();
    let config: serde_json::Value = serde_saphyr::from_str(&config_text).unwrap();
    let sveltia_schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo_root().join("tests/fixtures/sveltia-cms.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&sveltia_schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&config).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        config["backend"],
        serde_json::json!({ "name": "gitlab", "repo": "so-noi-vu/nguoi-tot", "branch": "xuat-ban", "api_root": "https://git.laocai.gov.vn/api/v4", "app_id": "abc123", "auth_type": "pkce" })
    );
    let collections = config["collections"].as_array().unwrap();
    let stories = collections.iter().find(|c| c["name"] == "stories").unwrap();
    assert_eq!(stories["folder"], "content/stories");
    assert_eq!(stories["media_folder"], "", "images go into the story's own folder");
    let names: Vec<&str> = stories["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    for f in fields::STORY.iter().filter(|f| f.key != "movement") {
        assert!(names.contains(&f.key), "{} missing from {names:?}", f.key);
    }
    let field = |name: &str| stories["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();
    assert_eq!(field("kind")["widget"], "select");
    assert_eq!(field("movements")["options"][0]["value"], "thanh-nien");
    let award_title = field("awards")["fields"].as_array().unwrap().iter().find(|f| f["name"] == "title").unwrap().clone();
    assert_eq!(award_title["widget"], "select");
    assert_eq!(
        award_title["options"],
        serde_json::json!([{ "label": "Huân chương Lao động hạng Ba", "value": "Huân chương Lao động hạng Ba" }, { "label": "Giấy khen", "value": "Giấy khen" }])
    );
    assert!(collections.iter().any(|c| c["name"] == "movements"));
    // The editor page loads the vendored bundle, from this site only.
    let admin = site.page("/admin/");
    assert!(admin.contains("<script src=\"/admin/sveltia-cms.js\"></script>"));
    assert!(site.public().join("admin/sveltia-cms.js").is_file());
    assert!(site.public().join("admin/LICENSE-sveltia-cms.txt").is_file());
    assert!(site.public().join("admin/locales/vi.json").is_file());
    assert!(site.public().join("admin/fonts/material-symbols-outlined.woff2").is_file());
    // The self-hosted GitLab, and no other host, may be reached from the editor.
    assert!(admin.contains("connect-src 'self' blob: data: https://git.laocai.gov.vn;"), "{admin}");
}

#[test]
fn without_an_editor_section_the_editor_page_says_how_to_set_it_up() {
    let site = site();
    site.build();
    let admin = site.page("/admin/");
    assert!(admin.contains("Trình soạn thảo web chưa được bật"), "{admin}");
    assert!(admin.contains("[editor]"));
    assert!(!admin.contains("sveltia-cms.js"));
    assert!(!site.public().join("admin/config.yml").exists(), "no placeholder backend is published");
}

#[test]
fn editor_settings_are_checked_with_their_position() {
    let site = site();
    site.write("nguoitot.toml", "title = \"T\"\nbase_url = \"https://vi-du.test\"\n[editor]\nbackend = \"gitlab\"\nrepo = \"kho\"\n");
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("nguoitot.toml:5:1: lỗi: `editor.repo`: \"kho\" cần dạng \"tổ-chức/tên-kho\""), "{out}");
    site.write("nguoitot.toml", "title = \"T\"\nbase_url = \"https://vi-du.test\"\n[editor]\nbackend = \"bitbucket\"\nrepo = \"a/b\"\n");
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("nguoitot.toml:4:11: lỗi:") && out.contains("bitbucket"), "{out}");
}

#[test]
fn drafts_and_future_stories_wait_and_updated_is_shown() {
    let site = site();
    site.write("content/stories/sau-nay.md", "---\ntitle: Sau này\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2999-01-01\n---\nChưa đến ngày.\n")
        .write("content/stories/da-sua.md", "---\ntitle: Đã sửa\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2022-01-01\nupdated: 2022-03-04\n---\nNội dung.\n");
    site.build();
    assert!(!site.public().join("guong/sau-nay").exists());
    assert!(site.page("/guong/da-sua/").contains("cập nhật <time datetime=\"2022-03-04\">04/03/2022</time>"));
    let out = site.run(&["build", "--future"]);
    assert!(out.status.success());
    assert!(site.public().join("guong/sau-nay/index.html").is_file());
}

#[test]
fn links_to_missing_stories_movements_or_files_are_errors_and_md_links_become_pages() {
    let site = site();
    site.write("content/stories/a.md", "---\ntitle: A\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2022-01-01\n---\nXem [chị B](b.md#thanh-tich), [phong trào](/phong-trao/thanh-nien/) và [gương C](/guong/c/).\n\n[thiếu](khong-co.md) [cũng thiếu](/guong/khong-co/) [phong trào lạ](/phong-trao/la/) [tệp](bao-cao.pdf)\n")
        .write("content/stories/b.md", "---\ntitle: B\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2022-01-01\n---\nNội dung.\n")
        .write("content/stories/c.md", "---\ntitle: C\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2022-01-01\n---\nNội dung.\n");
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("content/stories/a.md:9:1: lỗi: liên kết \"khong-co.md\" dẫn tới một bài hoặc phong trào không có trong trang"), "{out}");
    assert!(out.contains("liên kết \"/guong/khong-co/\" dẫn tới"), "{out}");
    assert!(out.contains("liên kết \"/phong-trao/la/\" dẫn tới"), "{out}");
    assert!(out.contains("liên kết \"bao-cao.pdf\" trỏ tới tệp content/stories/bao-cao.pdf không tồn tại"), "{out}");
    assert!(!out.contains("\"b.md#thanh-tich\"") && !out.contains("\"/guong/c/\""), "{out}");
    site.write("content/stories/a.md", "---\ntitle: A\nkind: ca-nhan\nmovements: [thanh-nien]\ndate: 2022-01-01\n---\nXem [chị B](b.md#thanh-tich) và [phong trào](/phong-trao/thanh-nien/).\n");
    site.build();
    let links = hrefs(&site.page("/guong/a/"), ".body a");
    assert_eq!(links, ["/guong/b/#thanh-tich", "/phong-trao/thanh-nien/"]);
}

/// Why `value` would not open unchanged in the form field `field` of the editor's config.yml
/// (a select shows only its options; a field the form lacks is dropped on save).
fn form_loses(field: &serde_json::Value, value: &serde_json::Value, at: &str) -> Vec<String> {
    let option_values: Vec<&serde_json::Value> =
        field["options"].as_array().map(|o| o.iter().map(|o| if o.is_object() { &o["value"] } else { o }).collect()).unwrap_or_default();
    match field["widget"].as_str().unwrap() {
        "select" if field["multiple"] == true => match value.as_array() {
            Some(items) => items.iter().filter(|v| !option_values.contains(v)).map(|v| format!("{at}: {v} is not an option")).collect(),
            None => vec![format!("{at}: {value} is not a list")],
        },
        "select" if !option_values.contains(&value) => vec![format!("{at}: {value} is not an option")],
        "object" => fields_lose(field["fields"].as_array().unwrap(), value, at),
        "list" if field.get("fields").is_some() => value
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .flat_map(|(i, item)| fields_lose(field["fields"].as_array().unwrap(), item, &format!("{at}[{i}]")))
            .collect(),
        _ => vec![],
    }
}

fn fields_lose(fields: &[serde_json::Value], table: &serde_json::Value, at: &str) -> Vec<String> {
    let mut lost = Vec::new();
    for (key, value) in table.as_object().unwrap() {
        match fields.iter().find(|f| f["name"] == key.as_str()) {
            None => lost.push(format!("{at}.{key}: no such field in the form")),
            Some(_) if value.is_null() => {}
            Some(field) => lost.extend(form_loses(field, value, &format!("{at}.{key}"))),
        }
    }
    lost
}

#[test]
fn every_example_file_opens_in_the_web_editor_without_loss() {
    let (_dir, public) = common::build_example();
    let config: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(public.join("admin/config.yml")).unwrap()).unwrap();
    let mut lost = Vec::new();
    let mut files = 0;
    for collection in config["collections"].as_array().unwrap() {
        let folder = repo_root().join(collection["folder"].as_str().unwrap());
        for entry in walkdir::WalkDir::new(&folder).into_iter().map(Result::unwrap).filter(|e| e.path().extension().is_some_and(|x| x == "md")) {
            files += 1;
            let at = entry.path().strip_prefix(repo_root()).unwrap().display().to_string();
            lost.extend(fields_lose(collection["fields"].as_array().unwrap(), &front_matter_json(entry.path()), &at));
        }
    }
    assert!(files >= 24, "{files} files");
    assert!(lost.is_empty(), "{lost:#?}");
}

#[test]
fn values_outside_the_lists_become_options_so_the_form_keeps_them() {
    let site = site();
    site.write("nguoitot.toml", "title = \"T\"\nbase_url = \"https://vi-du.test\"\n[editor]\nbackend = \"github\"\nrepo = \"a/b\"\n")
        .write("content/stories/cu.md", "---\ntitle: Cũ\nkind: ca-nhan\nmovements: [thanh-nien]\nlocality:\n  province: Yên Bái\n  district: Huyện Lục Yên\n  commune: Xã Khánh Hòa\nawards:\n  - title: Cờ thi đua của Ủy ban\n    year: 2022\ndate: 2022-01-01\n---\nx\n");
    site.build();
    let config: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(site.public().join("admin/config.yml")).unwrap()).unwrap();
    let stories = config["collections"].as_array().unwrap().iter().find(|c| c["name"] == "stories").unwrap().clone();
    let fields = stories["fields"].as_array().unwrap();
    let lost = fields_lose(fields, &front_matter_json(&site.root().join("content/stories/cu.md")), "cu.md");
    assert!(lost.is_empty(), "{lost:#?}");
    let locality = fields.iter().find(|f| f["name"] == "locality").unwrap();
    let province = locality["fields"].as_array().unwrap().iter().find(|f| f["name"] == "province").unwrap();
    assert!(province["options"].as_array().unwrap().contains(&serde_json::json!({ "label": "Yên Bái (như bài đã ghi: tỉnh cũ hoặc tên ngoài danh mục)", "value": "Yên Bái" })));
    // And a value the form could not show is one `check` refuses, naming what to write.
    site.write("content/stories/cu.md", "---\ntitle: Cũ\nkind: Cá nhân\nmovement: thanh-nien\ndate: 13/05/2022\n---\nx\n");
    let out = stderr(&site.run(&["check"]));
    assert!(out.contains("cu.md:3:7: lỗi: trường `kind`: viết mã `ca-nhan` thay cho \"Cá nhân\""), "{out}");
    assert!(out.contains("cu.md:4:1: lỗi: trường `movement` (số ít) không dùng được: viết `movements: [thanh-nien]`"), "{out}");
    assert!(out.contains("cu.md:5:7: lỗi: trường `date`: ngày viết dạng NĂM-THÁNG-NGÀY, tức `date: 2022-05-13` thay cho \"13/05/2022\""), "{out}");
}
