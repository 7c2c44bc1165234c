//! The theme: Tera templates and static files. The default theme is built into the binary (as
//! mdBook does), so a content repository needs no theme folder; a site overrides it file by file
//! with `themes/<theme>/` and then with its own `templates/` and `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

/// `themes/default/` of this repository, as it was when nguoitot was compiled.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub const DEFAULT_THEME: &str = "default";

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("không tìm thấy giao diện `{name}`: cần thư mục {dir} (giao diện có sẵn duy nhất là `default`)")]
    Missing { name: String, dir: PathBuf },
    #[error("không đọc được {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("{0} đã có; xóa hoặc đổi tên thư mục đó trước khi xuất giao diện mặc định")]
    EjectExists(PathBuf),
    #[error("không ghi được {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

/// Where one file of the theme comes from.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    BuiltIn(&'static [u8]),
    Site(PathBuf),
}

impl ThemeFile {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, ThemeError> {
        match self {
            ThemeFile::BuiltIn(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            ThemeFile::Site(path) => std::fs::read(path)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| ThemeError::Read { path: path.clone(), reason: crate::diagnostics::io_reason(&e) }),
        }
    }
}

/// Every file of the theme a site uses, by its path under `templates/` or `static/`, the last
/// layer winning: built-in default, `themes/<theme>/`, the site's own folder.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, ThemeFile>,
    pub statics: BTreeMap<String, ThemeFile>,
}

/// The files of theme `name` for the site at `root`.
pub fn files(root: &Path, name: &str) -> Result<ThemeFiles, ThemeError> {
    let theme_dir = root.join("themes").join(name);
    if name != DEFAULT_THEME && !theme_dir.is_dir() {
        return Err(ThemeError::Missing { name: name.to_string(), dir: theme_dir });
    }
    let mut files = ThemeFiles::default();
    for (part, map) in [("templates", &mut files.templates), ("static", &mut files.statics)] {
        if let Some(dir) = BUILT_IN.get_dir(part) {
            add_built_in(dir, part, map);
        }
        for dir in [theme_dir.join(part), root.join(part)] {
            add_site_files(&dir, map);
        }
    }
    Ok(files)
}

/// The built-in templates as (name, text): a complete set, valid on its own.
pub fn built_in_templates() -> Vec<(String, &'static str)> {
    let mut templates = BTreeMap::new();
    if let Some(dir) = BUILT_IN.get_dir("templates") {
        add_built_in(dir, "templates", &mut templates);
    }
    templates
        .into_iter()
        .map(|(name, file)| match file {
            ThemeFile::BuiltIn(bytes) => (name, std::str::from_utf8(bytes).expect("the built-in templates are UTF-8 (a test checks)")),
            ThemeFile::Site(_) => unreachable!("only built-in files were added"),
        })
        .collect()
}

fn add_built_in(dir: &'static Dir<'static>, part: &str, map: &mut BTreeMap<String, ThemeFile>) {
    for file in dir.files() {
        let name = file.path().strip_prefix(part).expect("under its part").to_string_lossy().replace('\\', "/");
        map.insert(name, ThemeFile::BuiltIn(file.contents()));
    }
    for sub in dir.dirs() {
        add_built_in(sub, part, map);
    }
}

/// Regular files only: a symbolic link could bring in a file from outside the site.
fn add_site_files(dir: &Path, map: &mut BTreeMap<String, ThemeFile>) {
    for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let name = entry.path().strip_prefix(dir).expect("walked under dir").to_string_lossy().replace('\\', "/");
        map.insert(name, ThemeFile::Site(entry.into_path()));
    }
}

/// `nguoitot theme eject`: writes the built-in theme to `<root>/themes/default/` for a site that
/// wants to restyle it; refuses when that folder exists.
pub fn eject(root: &Path) -> Result<PathBuf, ThemeError> {
    let target = root.join("themes").join(DEFAULT_THEME);
    if target.exists() {
        return Err(ThemeError::EjectExists(target));
    }
    write_dir(&BUILT_IN, &target)?;
    Ok(target)
}

fn write_dir(dir: &Dir<'static>, target: &Path) -> Result<(), ThemeError> {
    let fail = |path: &Path, e: std::io::Error| ThemeError::Write { path: path.to_path_buf(), reason: crate::diagnostics::io_reason(&e) };
    for file in dir.files() {
        let path = target.join(file.path());
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).map_err(|e| fail(&path, e))?;
        std::fs::write(&path, file.contents()).map_err(|e| fail(&path, e))?;
    }
    for sub in dir.dirs() {
        write_dir(sub, target)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_without_a_theme_folder_gets_the_built_in_theme() {
        let site = tempfile::tempdir().unwrap();
        let files = files(site.path(), DEFAULT_THEME).unwrap();
        assert!(matches!(files.templates.get("base.html"), Some(ThemeFile::BuiltIn(_))));
        assert!(matches!(files.statics.get("style.css"), Some(ThemeFile::BuiltIn(_))));
        assert!(files.statics.contains_key("admin/sveltia-cms.js"));
    }

    #[test]
    fn site_files_override_the_built_in_theme_file_by_file() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("themes/default/templates")).unwrap();
        std::fs::write(site.path().join("themes/default/templates/story.html"), "theme").unwrap();
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(site.path().join("templates/base.html"), "site").unwrap();
        let files = files(site.path(), DEFAULT_THEME).unwrap();
        assert!(matches!(&files.templates["story.html"], ThemeFile::Site(p) if p.ends_with("themes/default/templates/story.html")));
        assert!(matches!(&files.templates["base.html"], ThemeFile::Site(p) if p.ends_with("templates/base.html")));
        assert!(matches!(files.templates["index.html"], ThemeFile::BuiltIn(_)));
    }

    #[test]
    fn the_built_in_templates_are_utf8_and_complete() {
        let names: Vec<String> = built_in_templates().into_iter().map(|(name, _)| name).collect();
        for needed in ["base.html", "story.html", "index.html", "admin.html", "404.html"] {
            assert!(names.iter().any(|n| n == needed), "{needed} missing from {names:?}");
        }
    }

    #[test]
    fn a_named_theme_must_exist() {
        let site = tempfile::tempdir().unwrap();
        let err = files(site.path(), "xanh").unwrap_err();
        assert!(err.to_string().contains("không tìm thấy giao diện `xanh`"), "{err}");
    }

    #[test]
    fn eject_writes_the_whole_theme_once() {
        let site = tempfile::tempdir().unwrap();
        let dir = eject(site.path()).unwrap();
        assert_eq!(std::fs::read(dir.join("templates/base.html")).unwrap(), BUILT_IN.get_file("templates/base.html").unwrap().contents());
        assert!(dir.join("static/admin/sveltia-cms.js").is_file());
        assert!(matches!(eject(site.path()), Err(ThemeError::EjectExists(_))));
    }
}
