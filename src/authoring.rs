//! Tools for the staff who write stories: new files with every field and a hint (`nguoitot new`),
//! JSON Schema for editors (`nguoitot schema`), and the web editor's configuration (`/admin/`).
//! All three are generated from the field tables of [`crate::content::fields`].

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::config::{EditorBackend, EditorConfig};
use crate::content::fields::{self, Field, FieldType};
use crate::content::{AwardVocabulary, Content, Kind, Level, Movement, Sector};
use crate::places;
use crate::text;

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error("tệp {0} đã có; hãy đặt tiêu đề khác hoặc sửa tệp đó")]
    Exists(PathBuf),
    #[error("tiêu đề \"{0}\" không cho ra tên tệp hợp lệ; hãy dùng chữ và số")]
    EmptySlug(String),
    #[error("không có phong trào mã `{id}` (cần tệp content/movements/{id}.md){hint}")]
    UnknownMovement { id: String, hint: String },
    #[error("loại gương \"{0}\" không hợp lệ; cần tap-the (tập thể), ca-nhan (cá nhân) hoặc ho-gia-dinh (hộ gia đình)")]
    UnknownKind(String),
    #[error("địa phương: {0}")]
    Place(String),
    #[error("không ghi được {path}: {}", crate::diagnostics::io_reason(.source))]
    Io { path: PathBuf, source: std::io::Error },
}

fn write_new(path: &Path, text: &str) -> Result<PathBuf, AuthoringError> {
    if path.exists() {
        return Err(AuthoringError::Exists(path.to_path_buf()));
    }
    let io = |source| AuthoringError::Io { path: path.to_path_buf(), source };
    std::fs::create_dir_all(path.parent().expect("under content/")).map_err(io)?;
    std::fs::write(path, text).map_err(io)?;
    Ok(path.to_path_buf())
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

/// A YAML block with every field of `table`: given values, else an empty value and the hint.
fn yaml_fields(table: &[Field], values: &[(&str, String)], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for field in table {
        let given = values.iter().find(|(k, _)| *k == field.key).map(|(_, v)| v.clone());
        let required = if field.required { "bắt buộc — " } else { "" };
        match (field.ty, given) {
            (_, Some(v)) => out.push_str(&format!("{pad}{}: {v}   # {required}{}\n", field.key, field.hint)),
            (FieldType::Table(sub), None) => {
                out.push_str(&format!("{pad}{}:   # {}\n", field.key, field.hint));
                // Values of the table's fields are given as "table.field".
                let prefix = format!("{}.", field.key);
                let inner: Vec<(&str, String)> = values.iter().filter_map(|(k, v)| Some((k.strip_prefix(prefix.as_str())?, v.clone()))).collect();
                yaml_fields(sub, &inner, indent + 2, out);
            }
            (FieldType::TableList(sub), None) => {
                out.push_str(&format!("{pad}{}: []   # {}; mỗi mục gồm {}\n", field.key, field.hint, fields::keys(sub).join(", ")));
            }
            (FieldType::TextList | FieldType::MovementIds, None) => out.push_str(&format!("{pad}{}: []   # {required}{}\n", field.key, field.hint)),
            (FieldType::Bool, None) => out.push_str(&format!("{pad}{}: false   # {}\n", field.key, field.hint)),
            (_, None) => out.push_str(&format!("{pad}{}:   # {required}{}\n", field.key, field.hint)),
        }
    }
}

/// Where a new story's exemplar is, as given on the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewPlace<'a> {
    pub province: Option<&'a str>,
    pub commune: Option<&'a str>,
}

/// The province and commune of a new story in the registry's spelling, or why not.
fn place_values(place: NewPlace<'_>, today: chrono::NaiveDate) -> Result<Vec<(&'static str, String)>, AuthoringError> {
    if place.province.is_none() && place.commune.is_none() {
        return Ok(vec![]);
    }
    let written = places::Written { province: place.province, district: None, commune: place.commune };
    let (resolved, findings) = places::resolve(written, today);
    let registry = places::registry();
    match (resolved.province, findings.first()) {
        (Some(province), None) => {
            let mut values = vec![("locality.province", quote(&registry.province(province).short))];
            values.extend(resolved.commune.map(|c| ("locality.commune", quote(&registry.commune(c).name))));
            Ok(values)
        }
        (_, Some(finding)) => Err(AuthoringError::Place(finding.message.clone())),
        (None, None) => Err(AuthoringError::Place("cần ghi tỉnh, thành phố (--province)".into())),
    }
}

/// Writes `content/stories/<slug>.md` with every field present and a short hint on each; the
/// locality, when given, in the registry's spelling of today's units.
pub fn new_story(root: &Path, content: &Content, title: &str, movement: &str, kind: &str, place: NewPlace<'_>, today: chrono::NaiveDate) -> Result<PathBuf, AuthoringError> {
    let title = text::nfc(title.trim());
    let slug = text::slugify(&title);
    if slug.is_empty() {
        return Err(AuthoringError::EmptySlug(title));
    }
    let kind = Kind::parse(kind).ok_or_else(|| AuthoringError::UnknownKind(kind.to_string()))?;
    let ids: Vec<&str> = content.movements.iter().map(|m| m.id.as_str()).collect();
    if !ids.contains(&movement) {
        let hint = crate::diagnostics::did_you_mean(movement, ids.iter().copied()).map(|m| format!(" — có phải ý bạn là `{m}`?")).unwrap_or_default();
        return Err(AuthoringError::UnknownMovement { id: movement.to_string(), hint });
    }
    let mut values = vec![
        ("title", quote(&title)),
        ("kind", kind.id().to_string()),
        ("movements", format!("[{movement}]")),
        ("date", today.to_string()),
        ("draft", "true".to_string()),
    ];
    values.extend(place_values(place, today)?);
    let mut text = String::from("---\n");
    yaml_fields(fields::STORY, &values, 0, &mut text);
    text.push_str("---\nViết nội dung bài ở đây: việc làm, thành tích, con số cụ thể. Xong thì đổi `draft: true` thành `draft: false`.\n");
    write_new(&crate::content::display_path(root, Path::new(&format!("content/stories/{slug}.md"))), &text)
}

/// Writes `content/movements/<slug>.md`; the file name is the movement's id.
pub fn new_movement(root: &Path, title: &str) -> Result<PathBuf, AuthoringError> {
    let title = text::nfc(title.trim());
    let slug = text::slugify(&title);
    if slug.is_empty() {
        return Err(AuthoringError::EmptySlug(title));
    }
    let mut text = String::from("---\n");
    yaml_fields(fields::MOVEMENT, &[("title", quote(&title))], 0, &mut text);
    text.push_str("---\nGiới thiệu phong trào: mục đích, đối tượng, thời gian.\n");
    write_new(&crate::content::display_path(root, Path::new(&format!("content/movements/{slug}.md"))), &text)
}

/// A closed list: the codes only (what `check` accepts), each titled with its label.
fn enum_with_labels<'a>(values: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let one_of: Vec<Value> = values.map(|(id, label)| json!({ "const": id, "title": label })).collect();
    json!({ "type": "string", "oneOf": one_of })
}

fn field_schema(field: &Field, content: &Content) -> Value {
    let ids: Vec<&str> = content.movements.iter().map(|m| m.id.as_str()).collect();
    let mut schema = match field.ty {
        FieldType::Text | FieldType::LongText | FieldType::Image => json!({ "type": "string" }),
        FieldType::Date => json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}" }),
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::Year => json!({ "type": "integer", "minimum": 1945, "maximum": 2100 }),
        FieldType::TextList => json!({ "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }] }),
        FieldType::Kind => enum_with_labels(Kind::ALL.iter().map(|k| (k.id(), k.label()))),
        FieldType::Sector => enum_with_labels(Sector::ALL.iter().map(|s| (s.id(), s.label()))),
        FieldType::Level => enum_with_labels(Level::ALL.iter().map(|l| (l.id(), l.label()))),
        FieldType::MovementIds => json!({ "type": "array", "minItems": 1, "items": { "type": "string", "enum": ids } }),
        FieldType::AwardTitle if content.awards.defined => {
            json!({ "type": "string", "enum": content.awards.titles.iter().map(|a| a.title.as_str()).collect::<Vec<_>>() })
        }
        FieldType::AwardTitle => json!({ "type": "string" }),
        // Free text stays valid (registries lag behind resolutions); the names are for completion.
        FieldType::Province => json!({ "anyOf": [{ "enum": province_names() }, { "type": "string" }] }),
        FieldType::Commune => json!({ "type": "string" }),
        FieldType::Table(sub) => table_schema(sub, content),
        FieldType::TableList(sub) => json!({ "type": "array", "items": table_schema(sub, content) }),
    };
    schema["title"] = json!(field.label);
    schema["description"] = json!(field.hint);
    schema
}

fn table_schema(table: &[Field], content: &Content) -> Value {
    let mut properties = Map::new();
    for f in table {
        properties.insert(f.key.to_string(), field_schema(f, content));
    }
    let required: Vec<&str> = table.iter().filter(|f| f.required).map(|f| f.key).collect();
    let mut schema = json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false });
    if table.iter().any(|f| matches!(f.ty, FieldType::Commune)) {
        schema["allOf"] = communes_by_province();
    }
    schema
}

/// Every current commune name, as (value, label) with the provinces that have a unit of that
/// name: ("Xã Hưng Đạo", "Xã Hưng Đạo — Cao Bằng, Hà Nội"). Sorted as Vietnamese readers look
/// names up: by their letters without diacritics.
fn commune_options() -> Vec<(String, String)> {
    let r = places::registry();
    let mut provinces_by_name: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for c in &r.communes {
        provinces_by_name.entry(c.name.as_str()).or_default().push(r.province(c.province).short.as_str());
    }
    let mut options: Vec<(String, String)> = provinces_by_name.into_iter().map(|(name, provinces)| (name.to_string(), format!("{name} — {}", provinces.join(", ")))).collect();
    options.sort_by_cached_key(|(name, _)| (text::fold(name), name.clone()));
    options
}

/// The current provinces as stories name them ("Lào Cai").
fn province_names() -> Vec<&'static str> {
    places::registry().provinces.iter().map(|p| p.short.as_str()).collect()
}

/// For each current province, its communes as the names `commune` completes to: editors that
/// read JSON Schema (VS Code's YAML extension) offer only the communes of the province written.
fn communes_by_province() -> Value {
    let r = places::registry();
    let rules: Vec<Value> = (0..r.provinces.len())
        .map(|i| {
            let province = places::ProvinceId(i as u16);
            let names: Vec<&str> = r.province_communes(province).map(|c| r.commune(c).name.as_str()).collect();
            json!({
                "if": { "properties": { "province": { "const": r.province(province).short } }, "required": ["province"] },
                "then": { "properties": { "commune": { "anyOf": [{ "enum": names }, { "type": "string" }] } } }
            })
        })
        .collect();
    json!(rules)
}

/// JSON Schema 2020-12 of a story's front matter, with this site's movement ids and award titles.
pub fn story_schema(content: &Content) -> Value {
    let mut schema = table_schema(fields::STORY, content);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["$id"] = json!("story.schema.json");
    schema["title"] = json!("Gương điển hình (nguoitot)");
    schema["description"] = json!("Phần thông tin đầu tệp content/stories/*.md");
    schema
}

pub fn movement_schema(content: &Content) -> Value {
    let mut schema = table_schema(fields::MOVEMENT, content);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["$id"] = json!("movement.schema.json");
    schema["title"] = json!("Phong trào thi đua (nguoitot)");
    schema["description"] = json!("Phần thông tin đầu tệp content/movements/<mã>.md");
    schema
}

/// Writes `schema/story.schema.json` and `schema/movement.schema.json`.
pub fn write_schemas(root: &Path, content: &Content) -> Result<Vec<PathBuf>, AuthoringError> {
    let dir = root.join("schema");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AuthoringError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let mut written = Vec::new();
    for (name, schema) in [("story.schema.json", story_schema(content)), ("movement.schema.json", movement_schema(content))] {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(&schema).expect("schema") + "\n").map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// The values of fields with a list to choose from, as the site's files write them: a form shows
/// a value only if it is one of its options, so each one outside the lists (an old province, a
/// name the registry lacks, an award title outside `awards.toml`) is added as an option.
#[derive(Debug, Clone, Default, Hash)]
pub struct WrittenValues<'a> {
    pub provinces: BTreeSet<&'a str>,
    pub communes: BTreeSet<&'a str>,
    pub award_titles: BTreeSet<&'a str>,
}

impl<'a> WrittenValues<'a> {
    pub fn of(content: &'a Content) -> Self {
        let mut written = WrittenValues::default();
        for story in &content.stories {
            written.provinces.extend(story.locality.province.as_deref());
            written.communes.extend(story.locality.commune.as_deref());
            written.award_titles.extend(story.awards.iter().map(|a| a.written.as_str()));
        }
        written
    }
}

/// Options as Sveltia CMS reads them, then the written values they lack, marked as such.
fn options_with(values: Vec<(String, String)>, written: &BTreeSet<&str>, note: &str) -> Vec<Value> {
    let known: HashSet<String> = values.iter().map(|(value, _)| value.clone()).collect();
    let extra = written.iter().filter(|w| !known.contains(**w)).map(|w| (w.to_string(), format!("{w} ({note})")));
    values.into_iter().chain(extra).map(|(value, label)| json!({ "label": label, "value": value })).collect()
}

fn cms_field(field: &Field, movements: &[Movement], awards: &AwardVocabulary, written: &WrittenValues<'_>) -> Value {
    let options = |values: Vec<(String, String)>| values.into_iter().map(|(value, label)| json!({ "label": label, "value": value })).collect::<Vec<_>>();
    let coded = |all: Vec<(&str, &str)>| options(all.into_iter().map(|(id, label)| (id.to_string(), label.to_string())).collect());
    let mut w = match field.ty {
        FieldType::Text => json!({ "widget": "string" }),
        FieldType::LongText => json!({ "widget": "text" }),
        FieldType::Date => json!({ "widget": "datetime", "time_format": false, "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY" }),
        FieldType::Bool => json!({ "widget": "boolean", "default": false }),
        FieldType::Year => json!({ "widget": "number", "value_type": "int", "min": 1945, "max": 2100 }),
        FieldType::TextList => json!({ "widget": "list" }),
        // The codes, as `check` accepts them, labelled in words.
        FieldType::Kind => json!({ "widget": "select", "options": coded(Kind::ALL.iter().map(|k| (k.id(), k.label())).collect()) }),
        FieldType::Sector => json!({ "widget": "select", "options": coded(Sector::ALL.iter().map(|k| (k.id(), k.label())).collect()) }),
        FieldType::Level => json!({ "widget": "select", "options": coded(Level::ALL.iter().map(|k| (k.id(), k.label())).collect()) }),
        FieldType::MovementIds => json!({ "widget": "select", "multiple": true, "min": 1,
            "options": options(movements.iter().map(|m| (m.id.clone(), m.display_title().to_string())).collect()) }),
        FieldType::AwardTitle if awards.defined => {
            let titles = awards.titles.iter().map(|a| (a.title.clone(), a.title.clone())).collect();
            json!({ "widget": "select", "options": options_with(titles, &written.award_titles, "chưa có trong content/awards.toml") })
        }
        FieldType::AwardTitle => json!({ "widget": "string" }),
        FieldType::Image => json!({ "widget": "image" }),
        FieldType::Province => {
            let provinces = province_names().into_iter().map(|p| (p.to_string(), p.to_string())).collect();
            json!({ "widget": "select", "options": options_with(provinces, &written.provinces, "như bài đã ghi: tỉnh cũ hoặc tên ngoài danh mục") })
        }
        // One list for the whole country (the editor cannot filter a list by another field):
        // each name once (options must be unique), labelled with the provinces that have it.
        FieldType::Commune => json!({ "widget": "select", "options": options_with(commune_options(), &written.communes, "như bài đã ghi: xã cũ hoặc tên ngoài danh mục") }),
        FieldType::Table(sub) => json!({ "widget": "object", "fields": sub.iter().map(|f| cms_field(f, movements, awards, written)).collect::<Vec<_>>() }),
        FieldType::TableList(sub) => json!({ "widget": "list", "fields": sub.iter().map(|f| cms_field(f, movements, awards, written)).collect::<Vec<_>>() }),
    };
    w["name"] = json!(field.key);
    w["label"] = json!(field.label);
    w["hint"] = json!(field.hint);
    w["required"] = json!(field.required);
    w
}

/// The web editor's `config.yml` (Sveltia CMS, Decap-compatible), from the same field tables,
/// with the site's movements and award titles to choose from.
pub fn cms_config(movements: &[Movement], awards: &AwardVocabulary, written: &WrittenValues<'_>, site_title: &str, base_url: &str, editor: &EditorConfig) -> String {
    let story_fields: Vec<Value> = fields::STORY
        .iter()
        .map(|f| cms_field(f, movements, awards, written))
        .chain([json!({ "name": "body", "label": "Nội dung", "widget": "markdown", "required": false })])
        .collect();
    let movement_fields: Vec<Value> =
        fields::MOVEMENT.iter().map(|f| cms_field(f, movements, awards, written)).chain([json!({ "name": "body", "label": "Giới thiệu", "widget": "markdown" })]).collect();
    let config = json!({
        "backend": cms_backend(editor),
        "site_url": format!("{base_url}/"),
        "media_folder": "",
        "public_folder": "",
        "slug": { "encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-" },
        "collections": [
            {
                "name": "stories", "label": "Gương điển hình", "label_singular": "gương điển hình",
                "folder": "content/stories", "path": "{{slug}}/index", "extension": "md", "format": "yaml-frontmatter",
                "create": true, "slug": "{{title}}",
                "media_folder": "", "public_folder": "",
                "summary": "{{title}} — {{date}}",
                "fields": story_fields,
                "description": format!("Các gương điển hình của {site_title}. Ảnh tải lên được lưu cạnh bài viết."),
            },
            {
                "name": "movements", "label": "Phong trào thi đua", "label_singular": "phong trào",
                "folder": "content/movements", "extension": "md", "format": "yaml-frontmatter",
                "create": true, "slug": "{{title}}",
                "fields": movement_fields,
            }
        ]
    });
    // JSON is YAML: the file is plain `config.yml`, readable by any YAML parser.
    format!(
        "# Cấu hình trình soạn thảo web, do nguoitot tạo từ mô hình nội dung và mục [editor] của nguoitot.toml — đừng sửa tay.\n{}\n",
        serde_json::to_string_pretty(&config).expect("config")
    )
}

/// Sveltia CMS's `backend` from `[editor]`. Forgejo speaks Gitea's API.
fn cms_backend(editor: &EditorConfig) -> Value {
    let name = match editor.backend {
        EditorBackend::Github => "github",
        EditorBackend::Gitlab => "gitlab",
        EditorBackend::Gitea | EditorBackend::Forgejo => "gitea",
    };
    let mut backend = json!({ "name": name, "repo": editor.repo, "branch": editor.branch });
    if let Some(root) = &editor.api_root {
        backend["api_root"] = json!(root.trim_end_matches('/'));
    }
    if let Some(auth) = &editor.auth_url {
        backend["base_url"] = json!(auth.trim_end_matches('/'));
    }
    if let Some(app_id) = &editor.app_id {
        backend["app_id"] = json!(app_id);
        if editor.backend == EditorBackend::Gitlab {
            backend["auth_type"] = json!("pkce");
        }
    }
    backend
}
