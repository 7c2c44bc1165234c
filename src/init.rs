//! `nguoitot init`: a new site for a province or agency — its configuration, its movements, one
//! sample story, `.gitignore` and the CI file of its git host. The theme is built in, so the new
//! site has no theme folder.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::authoring::{self, NewPlace};
use crate::places;

/// The 13 movements of the Lào Cai plan for 2021–2025 (this repository's example site): a
/// starting set a province can adapt.
static LAO_CAI_MOVEMENTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content/movements");

const GITHUB_CI: &str = include_str!("../docs/ci/github-actions.yml");
const GITLAB_CI: &str = include_str!("../docs/ci/gitlab-ci.yml");

/// Where the site's git repository is hosted, for its CI file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitHost {
    Github,
    Gitlab,
    /// No CI file.
    None,
}

#[derive(Debug, Clone)]
pub struct InitOptions {
    pub title: String,
    pub base_url: String,
    /// The agency that publishes the site.
    pub publisher: Option<String>,
    /// A current province, as written by the user (checked against the registry).
    pub province: Option<String>,
    /// "owner/repo" of the content repository, for the web editor.
    pub repo: Option<String>,
    pub host: GitHost,
    /// Start with the 13 movements of the Lào Cai 2021–2025 plan.
    pub lao_cai_movements: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("thư mục {0} đã có tệp; `nguoitot init` chỉ tạo trang trong thư mục trống (hoặc chỉ có .git) để không ghi đè gì")]
    NotEmpty(PathBuf),
    #[error("`--base-url` cần địa chỉ đầy đủ bắt đầu bằng https:// hoặc http://, ví dụ https://nguoitot.laocai.gov.vn (nhận được \"{0}\")")]
    BaseUrl(String),
    #[error("tên trang (--title) đang để trống")]
    EmptyTitle,
    #[error("`--province`: \"{written}\" không phải một tỉnh, thành phố hiện nay (34 tỉnh, thành phố từ 1/7/2025){hint}")]
    Province { written: String, hint: String },
    #[error("`--repo`: \"{0}\" cần dạng \"tổ-chức/tên-kho\", ví dụ \"so-noi-vu-lao-cai/nguoi-tot\"")]
    Repo(String),
    #[error("không ghi được {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error(transparent)]
    Authoring(#[from] authoring::AuthoringError),
}

/// Writes a new site into `dir` (created if missing; refused unless empty but for hidden
/// entries such as `.git`). Returns the files written, in order.
pub fn init(dir: &Path, options: &InitOptions, today: chrono::NaiveDate) -> Result<Vec<PathBuf>, InitError> {
    let title = crate::text::nfc(options.title.trim());
    if title.is_empty() {
        return Err(InitError::EmptyTitle);
    }
    let base_url = options.base_url.trim().trim_end_matches('/').to_string();
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) || url::Url::parse(&base_url).is_err() {
        return Err(InitError::BaseUrl(options.base_url.clone()));
    }
    let province = options.province.as_deref().map(|p| current_province(p.trim())).transpose()?;
    if let Some(repo) = &options.repo {
        if repo.split('/').filter(|p| !p.is_empty()).count() < 2 {
            return Err(InitError::Repo(repo.clone()));
        }
    }
    if dir.exists() && !is_quasi_empty(dir) {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }

    let mut written = Vec::new();
    let mut write = |rel: &str, text: &str| -> Result<(), InitError> {
        let path = dir.join(rel);
        let fail = |e: std::io::Error| InitError::Write { path: path.clone(), reason: crate::diagnostics::io_reason(&e) };
        std::fs::create_dir_all(path.parent().expect("under dir")).map_err(fail)?;
        std::fs::write(&path, text).map_err(fail)?;
        written.push(path);
        Ok(())
    };
    write("nguoitot.toml", &config_text(&title, &base_url, options.publisher.as_deref(), province.as_deref(), options.repo.as_deref(), options.host))?;
    write(".gitignore", "/public\n/.public.nguoitot-*\n/.nguoitot-cache\n")?;
    let first_movement = if options.lao_cai_movements {
        let mut files: Vec<_> = LAO_CAI_MOVEMENTS.files().collect();
        files.sort_by_key(|f| f.path());
        for file in &files {
            let name = file.path().file_name().expect("a file").to_string_lossy();
            write(&format!("content/movements/{name}"), file.contents_utf8().expect("movements are UTF-8"))?;
        }
        "thanh-nien-lam-chu-dat-nuoc"
    } else {
        write("content/movements/thi-dua-yeu-nuoc.md", DEFAULT_MOVEMENT)?;
        "thi-dua-yeu-nuoc"
    };
    match options.host {
        GitHost::Github => write(".github/workflows/nguoitot.yml", GITHUB_CI)?,
        GitHost::Gitlab => write(".gitlab-ci.yml", GITLAB_CI)?,
        GitHost::None => {}
    }
    let content = crate::content::load(dir).0;
    let place = NewPlace { province: province.as_deref(), commune: None };
    written.push(authoring::new_story(dir, &content, "Bài mẫu", first_movement, "tap-the", place, today)?);
    Ok(written)
}

/// A folder with nothing in it but hidden entries (`.git`, `.gitkeep`).
fn is_quasi_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| entries.filter_map(Result::ok).all(|e| e.file_name().to_string_lossy().starts_with('.')))
}

/// The registry's spelling of a current province, or why not.
fn current_province(written: &str) -> Result<String, InitError> {
    let registry = places::registry();
    match registry.find_provinces(written).first() {
        Some(&id) => Ok(registry.province(id).short.clone()),
        None => {
            let names: Vec<&str> = registry.provinces.iter().map(|p| p.short.as_str()).collect();
            // "dien bien": the same letters without their marks, else the nearest spelling.
            let folded = crate::text::fold(written);
            let hint = names
                .iter()
                .find(|n| crate::text::fold(n) == folded)
                .copied()
                .or_else(|| crate::diagnostics::did_you_mean(written, names.iter().copied()))
                .map(|p| format!(" — có phải \"{p}\"?"))
                .unwrap_or_default();
            Err(InitError::Province { written: written.to_string(), hint })
        }
    }
}

const DEFAULT_MOVEMENT: &str = "---
title: \"Phong trào thi đua yêu nước\"
short_title: \"Thi đua yêu nước\"
level: tinh
lead_agency: \"\"
period: \"\"
---
Giới thiệu phong trào: mục đích, đối tượng, thời gian. Mỗi phong trào là một tệp trong thư mục
content/movements/; tên tệp là mã phong trào dùng trong trường `movements` của bài viết.
";

fn config_text(title: &str, base_url: &str, publisher: Option<&str>, province: Option<&str>, repo: Option<&str>, host: GitHost) -> String {
    let quote = |s: &str| serde_json::to_string(s).expect("string");
    let mut text = String::from("# Cấu hình trang, do `nguoitot init` tạo. Chỉ `title` và `base_url` là bắt buộc.\n");
    text.push_str(&format!("title = {}\n", quote(title)));
    text.push_str(&format!("base_url = {}\n", quote(base_url)));
    let place = province.map(|p| format!(" tỉnh {p}")).unwrap_or_default();
    text.push_str(&format!("description = {}\n", quote(&format!("Gương điển hình tiên tiến trong các phong trào thi đua yêu nước{place}"))));
    if let Some(p) = province {
        text.push_str(&format!("# Tỉnh, thành phố của trang: `nguoitot new story` điền sẵn.\nprovince = {}\n", quote(p)));
    }
    text.push_str("\n# Cơ quan quản lý trang.\n[publisher]\n");
    match publisher {
        Some(agency) => text.push_str(&format!("agency = {}\n", quote(agency.trim()))),
        None => text.push_str("# agency = \"Ban Thi đua - Khen thưởng tỉnh …\"\n"),
    }
    let backend = if host == GitHost::Gitlab { "gitlab" } else { "github" };
    text.push_str("\n# Trình soạn thảo web /admin/: kho git chứa nội dung trang (xem docs/huong-dan.md).\n");
    match repo {
        Some(repo) => text.push_str(&format!("[editor]\nbackend = \"{backend}\"\nrepo = {}\nbranch = \"main\"\n", quote(repo))),
        None => text.push_str(&format!(
            "# [editor]\n# backend = \"{backend}\"            # hoặc \"gitlab\", \"gitea\", \"forgejo\"\n# repo = \"to-chuc/kho-noi-dung\"\n# branch = \"main\"\n# api_root = \"https://git.don-vi.gov.vn/api/v4\"   # máy chủ GitLab, Gitea, Forgejo riêng\n"
        )),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> InitOptions {
        InitOptions {
            title: "Người tốt, việc tốt — Điện Biên".into(),
            base_url: "https://nguoitot.dienbien.example/".into(),
            publisher: Some("Ban Thi đua - Khen thưởng tỉnh Điện Biên".into()),
            province: Some("điện biên".into()),
            repo: Some("btdkt-dienbien/nguoi-tot".into()),
            host: GitHost::Gitlab,
            lao_cai_movements: false,
        }
    }

    #[test]
    fn a_new_site_has_its_config_movement_sample_story_and_ci_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let files = init(dir.path(), &options(), today).unwrap();
        let names: Vec<String> = files.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["nguoitot.toml", ".gitignore", "content/movements/thi-dua-yeu-nuoc.md", ".gitlab-ci.yml", "content/stories/bai-mau.md"]);
        let config = std::fs::read_to_string(dir.path().join("nguoitot.toml")).unwrap();
        assert!(config.contains("base_url = \"https://nguoitot.dienbien.example\""), "{config}");
        assert!(config.contains("province = \"Điện Biên\""), "the registry's spelling: {config}");
        assert!(config.contains("[editor]\nbackend = \"gitlab\"\nrepo = \"btdkt-dienbien/nguoi-tot\""), "{config}");
        let story = std::fs::read_to_string(dir.path().join("content/stories/bai-mau.md")).unwrap();
        assert!(story.contains("province: \"Điện Biên\""), "{story}");
        assert!(story.contains("movements: [thi-dua-yeu-nuoc]"), "{story}");
    }

    #[test]
    fn refuses_a_folder_with_files_and_bad_values() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ghi-chu.txt"), "x").unwrap();
        assert!(matches!(init(dir.path(), &options(), today), Err(InitError::NotEmpty(_))));
        let empty = tempfile::tempdir().unwrap();
        let bad_province = InitOptions { province: Some("Yên Bái".into()), ..options() };
        let err = init(empty.path(), &bad_province, today).unwrap_err().to_string();
        assert!(err.contains("\"Yên Bái\" không phải một tỉnh, thành phố hiện nay"), "{err}");
        let bad_url = InitOptions { base_url: "nguoitot.vn".into(), ..options() };
        assert!(matches!(init(empty.path(), &bad_url, today), Err(InitError::BaseUrl(_))));
        assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0, "nothing written on refusal");
    }
}
