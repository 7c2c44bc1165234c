//! Reads the typed model out of a located front matter tree, reporting every problem of a file
//! in Vietnamese at the position of the key or value concerned.

use std::path::Path;

use chrono::NaiveDate;

use super::model::{self, Award, Criteria, Kind, Level, Locality, Movement, Photo, Sector, Story, StoryPositions};
use super::fields;
use super::node::{Node, Value};
use crate::diagnostics::{did_you_mean, Diagnostics, Position};
use crate::places::{self, Place};
use crate::text;

/// A front matter table being read: keys are taken one by one; what is left is unknown.
struct Fields<'a> {
    path: &'a Path,
    /// Where the table starts, for "missing field" messages.
    position: Position,
    /// Dotted prefix for nested tables ("locality.", "awards[2].").
    prefix: String,
    entries: Vec<Option<(String, Position, Node)>>,
}

impl<'a> Fields<'a> {
    fn new(path: &'a Path, node: Node, prefix: &str, diags: &mut Diagnostics) -> Option<Fields<'a>> {
        match node.value {
            Value::Map(entries) => Some(Fields {
                path,
                position: node.position,
                prefix: prefix.to_string(),
                entries: entries.into_iter().map(Some).collect(),
            }),
            // An empty YAML document or `key:` with nothing is an empty table.
            Value::Null => Some(Fields { path, position: node.position, prefix: prefix.into(), entries: vec![] }),
            other => {
                let what = if prefix.is_empty() { "phần thông tin".to_string() } else { format!("`{}`", prefix.trim_end_matches('.')) };
                diags.error(path, node.position, format!("{what} phải là một bảng khóa–giá trị, nhưng gặp {}", other.type_name()));
                None
            }
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    fn take(&mut self, key: &str) -> Option<(Position, Node)> {
        self.entries
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|(k, _, _)| k == key))
            .and_then(Option::take)
            .map(|(_, pos, node)| (pos, node))
    }

    fn missing(&self, key: &str, expected: &str, diags: &mut Diagnostics) {
        diags.error(self.path, self.position, format!("thiếu trường bắt buộc `{}`: cần {expected}", self.name(key)));
    }

    fn wrong_type(&self, key: &str, expected: &str, node: &Node, diags: &mut Diagnostics) {
        diags.error(
            self.path,
            node.position,
            format!("trường `{}`: cần {expected}, nhưng gặp {}", self.name(key), node.value.type_name()),
        );
    }

    /// A text value: strings, and numbers written without quotes ("decision: 123").
    fn string(&mut self, key: &str, diags: &mut Diagnostics) -> Option<(Position, String)> {
        let (_, node) = self.take(key)?;
        match &node.value {
            Value::Str(s) if s.trim().is_empty() => None,
            Value::Str(s) => Some((node.position, text::nfc(s.trim()))),
            Value::Int(i) => Some((node.position, i.to_string())),
            Value::Float(f) => Some((node.position, f.to_string())),
            Value::Null => None,
            _ => {
                self.wrong_type(key, "một chuỗi", &node, diags);
                None
            }
        }
    }

    /// A value of a closed list, written as its code (`ca-nhan`): the one spelling the web
    /// editor's forms show and every tool reads. Another spelling of a known value ("Cá nhân")
    /// is an error naming the code, so that no file opens in the editor with a value lost.
    fn code<T: Copy>(&mut self, key: &str, required: bool, values: &[(T, &'static str, &'static str)], diags: &mut Diagnostics) -> Option<T> {
        let choices = || values.iter().map(|(_, id, label)| format!("`{id}` ({})", label.to_lowercase())).collect::<Vec<_>>().join(", ");
        let Some((_, node)) = self.take(key).filter(|(_, n)| n.value != Value::Null) else {
            if required {
                self.missing(key, &format!("một trong {}", choices()), diags);
            }
            return None;
        };
        let Value::Str(written) = &node.value else {
            self.wrong_type(key, &format!("một mã: {}", choices()), &node, diags);
            return None;
        };
        let written = text::nfc(written.trim());
        let slug = text::slugify(&written);
        match values.iter().find(|(_, id, _)| *id == slug) {
            Some((value, id, _)) if *id == written => Some(*value),
            Some((_, id, _)) => {
                diags.error(self.path, node.position, format!(
                    "trường `{}`: viết mã `{id}` thay cho \"{written}\"; trình soạn thảo web và các công cụ chỉ đọc mã",
                    self.name(key)
                ));
                None
            }
            None => {
                diags.error(self.path, node.position, format!("trường `{}`: giá trị \"{written}\" không hợp lệ; cần một trong {}", self.name(key), choices()));
                None
            }
        }
    }

    fn required_string(&mut self, key: &str, example: &str, diags: &mut Diagnostics) -> Option<(Position, String)> {
        let present = self.has(key);
        // A blank value (`title: ""`) is as missing as no key, and is reported where it is written.
        let blank_at = self.entries.iter().flatten().find(|(k, _, node)| k == key && matches!(&node.value, Value::Str(s) if s.trim().is_empty())).map(|(_, _, node)| node.position);
        let value = self.string(key, diags);
        match (&value, blank_at) {
            (None, Some(position)) => diags.error(self.path, position, format!("trường `{}` đang để trống: cần một chuỗi, ví dụ `{key}: {example}`", self.name(key))),
            (None, None) if !present => self.missing(key, &format!("một chuỗi, ví dụ `{key}: {example}`"), diags),
            _ => {}
        }
        value
    }

    /// Whether `key` is still to be read (so a later `None` means a reported wrong value).
    fn has(&self, key: &str) -> bool {
        self.entries.iter().flatten().any(|(k, _, node)| k == key && node.value != Value::Null)
    }

    fn bool(&mut self, key: &str, diags: &mut Diagnostics) -> bool {
        match self.take(key) {
            None => false,
            Some((_, node)) => match node.value {
                Value::Bool(b) => b,
                Value::Null => false,
                _ => {
                    self.wrong_type(key, "`true` hoặc `false`", &node, diags);
                    false
                }
            },
        }
    }

    fn string_list(&mut self, key: &str, diags: &mut Diagnostics) -> Vec<(Position, String)> {
        let Some((_, node)) = self.take(key) else { return vec![] };
        match node.value {
            Value::Null => vec![],
            Value::Str(ref s) => vec![(node.position, text::nfc(s.trim()))],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|item| match item.value {
                    Value::Str(s) => Some((item.position, text::nfc(s.trim()))),
                    Value::Int(i) => Some((item.position, i.to_string())),
                    _ => {
                        self.wrong_type(key, "danh sách các chuỗi", &item, diags);
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(key, "một danh sách", &node, diags);
                vec![]
            }
        }
    }

    fn date(&mut self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<(Position, NaiveDate)> {
        // An empty `updated:` (as `nguoitot new` writes it) is no date.
        let Some((_, node)) = self.take(key).filter(|(_, n)| n.value != Value::Null) else {
            if required {
                self.missing(key, "một ngày dạng NĂM-THÁNG-NGÀY, ví dụ `date: 2022-03-15`", diags);
            }
            return None;
        };
        let raw = match &node.value {
            Value::Str(s) => s.trim().to_string(),
            Value::Int(i) => i.to_string(),
            _ => {
                self.wrong_type(key, "một ngày dạng NĂM-THÁNG-NGÀY", &node, diags);
                return None;
            }
        };
        // TOML datetimes and ISO timestamps: the date part is what counts.
        let date_part = raw.split(['T', ' ']).next().unwrap_or(&raw);
        if let Ok(d) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
            return Some((node.position, d));
        }
        // 13/05/2022, as dates are written in Vietnamese documents: the ISO form is suggested.
        let day_first = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"].iter().find_map(|f| NaiveDate::parse_from_str(date_part, f).ok());
        let message = match day_first {
            Some(d) => format!("trường `{}`: ngày viết dạng NĂM-THÁNG-NGÀY, tức `{key}: {}` thay cho \"{raw}\"", self.name(key), d.format("%Y-%m-%d")),
            None => format!("trường `{}`: ngày \"{raw}\" không hợp lệ; cần dạng NĂM-THÁNG-NGÀY có thật, ví dụ 2022-03-15", self.name(key)),
        };
        diags.error(self.path, node.position, message);
        None
    }

    fn year(&mut self, key: &str, diags: &mut Diagnostics) -> Option<i32> {
        let (_, node) = self.take(key)?;
        let year = match &node.value {
            Value::Int(i) => i32::try_from(*i).ok(),
            Value::Str(s) => s.trim().parse().ok(),
            Value::Null => return None,
            _ => None,
        };
        match year {
            Some(y) if (1945..=2100).contains(&y) => Some(y),
            _ => {
                diags.error(self.path, node.position, format!("trường `{}`: cần một năm có bốn chữ số, ví dụ 2021", self.name(key)));
                None
            }
        }
    }

    /// Reports every key that was not taken, with a suggestion among `known`.
    fn finish(mut self, known: &[&str], diags: &mut Diagnostics) {
        let entries = std::mem::take(&mut self.entries);
        for (key, pos, _) in entries.into_iter().flatten() {
            let hint = fields::alias(&key)
                .filter(|k| known.contains(k))
                .or_else(|| did_you_mean(&key, known.iter().copied()))
                .map(|k| format!(" — có phải ý bạn là `{}`?", k))
                .unwrap_or_default();
            diags.error(
                self.path,
                pos,
                format!(
                    "trường `{}` không được hỗ trợ{hint} (các trường hợp lệ: {})",
                    self.name(&key),
                    known.join(", ")
                ),
            );
        }
    }
}


/// What the loader knows about the file a story comes from.
pub struct StorySource<'a> {
    pub path: &'a Path,
    /// Relative path for messages and `source`.
    pub display: String,
    /// Slug from the file name, used when no `slug:` is given.
    pub file_slug: String,
    pub body: String,
    pub body_line: usize,
}

/// Reads a story, reporting every problem. A story with errors is still returned, what is
/// missing left empty, so that the checks across files (movements, photos, links, duplicates)
/// run on it in the same `check`; its errors keep it out of every output. `None` only when the
/// front matter is not a table or no address can be made.
pub fn read_story(front_matter: Node, src: StorySource<'_>, diags: &mut Diagnostics) -> Option<Story> {
    let path = src.path;
    let mut f = Fields::new(path, front_matter, "", diags)?;

    let title = f.required_string("title", "\"Đoàn TNCS Hồ Chí Minh xã Điện Quan\"", diags);
    let kind = f.code("kind", true, &Kind::ALL.map(|k| (k, k.id(), k.label())), diags);
    let movements = read_movements(&mut f, diags);

    let unit = f.string("unit", diags).map(|(_, s)| s);
    let locality = read_locality(&mut f, diags);
    let field = f.string("field", diags).map(|(_, s)| s);
    let sector = f.code("sector", false, &Sector::ALL.map(|s| (s, s.id(), s.label())), diags);
    let tags = f.string_list("tags", diags).into_iter().map(|(_, t)| t).collect();
    let awards = read_awards(&mut f, diags);
    let date = f.date("date", true, diags);
    let locality = resolve_locality(path, locality, date.map(|(_, d)| d), diags);
    let updated = f.date("updated", false, diags);
    if let (Some((_, date)), Some((updated_at, updated))) = (date, updated) {
        if updated < date {
            diags.warning(path, updated_at, format!(
                "trường `updated` ({}) trước ngày đăng `date` ({}); ngày cập nhật phải sau ngày đăng — có nhầm hai ngày?",
                updated.format("%d/%m/%Y"), date.format("%d/%m/%Y")
            ));
        }
    }
    let summary = f.string("summary", diags).map(|(_, s)| s);
    let photo = read_photo(&mut f, diags);
    let featured = f.bool("featured", diags);
    let draft = f.bool("draft", diags);
    let slug_field = f.string("slug", diags);
    f.finish(&fields::keys(fields::STORY), diags);

    let (slug_pos, slug) = match slug_field {
        Some((pos, s)) => {
            let slug = text::slugify(&s);
            if slug.is_empty() {
                diags.error(path, pos, format!("trường `slug`: \"{s}\" không cho ra địa chỉ hợp lệ; dùng chữ và số, ví dụ `slug: doan-xa-dien-quan`"));
            }
            (pos, slug)
        }
        None => (Position::START, src.file_slug.clone()),
    };
    if slug.is_empty() {
        return None;
    }
    let scanned = super::markdown::scan(&src.body);
    let summary = summary.unwrap_or(scanned.first_paragraph);
    let (title_pos, title) = title.unwrap_or_default();
    Some(Story {
        source: src.display,
        slug,
        title,
        // Placeholders of a story with errors, which is never published.
        kind: kind.unwrap_or(Kind::Collective),
        positions: StoryPositions { slug: slug_pos, title: title_pos, movements: movements.iter().map(|(p, _)| *p).collect() },
        movements: movements.into_iter().map(|(_, m)| m).collect(),
        unit,
        locality,
        field,
        sector,
        tags,
        awards,
        date: date.map(|(_, d)| d).unwrap_or_default(),
        updated: updated.map(|(_, d)| d),
        summary,
        photo,
        images: scanned
            .images
            .into_iter()
            .map(|(image_src, line, column)| model::BodyImage {
                path: path.parent().unwrap_or(Path::new(".")).join(&image_src),
                src: image_src,
                position: Position::new(src.body_line + line, column),
            })
            .collect(),
        links: scanned.links.into_iter().map(|(url, line, column)| (url, Position::new(src.body_line + line, column))).collect(),
        featured,
        draft,
        body: src.body,
        body_line: src.body_line,
    })
}

/// The story's movement codes: a list under `movements`, one spelling as in the web editor.
/// The singular key `movement` and a lone string are errors showing the list to write instead.
fn read_movements(f: &mut Fields<'_>, diags: &mut Diagnostics) -> Vec<(Position, String)> {
    let singular = f.take("movement");
    if let Some((key_pos, node)) = &singular {
        let codes: Vec<&str> = match &node.value {
            Value::Str(s) => vec![s.trim()],
            Value::Seq(items) => items.iter().filter_map(|i| if let Value::Str(s) = &i.value { Some(s.trim()) } else { None }).collect(),
            _ => vec![],
        };
        let codes = if codes.is_empty() { "mã-phong-trào".to_string() } else { codes.join(", ") };
        diags.error(f.path, *key_pos, format!(
            "trường `movement` (số ít) không dùng được: viết `movements: [{codes}]` (một danh sách, kể cả khi chỉ có một phong trào), như trình soạn thảo web ghi"
        ));
    }
    if let Some(Value::Str(code)) = f.entries.iter().flatten().find(|(k, _, _)| k == "movements").map(|(_, _, n)| &n.value) {
        let message = format!("trường `movements`: cần một danh sách, kể cả khi chỉ có một phong trào: viết `movements: [{}]`", code.trim());
        let (_, node) = f.take("movements").expect("found above");
        diags.error(f.path, node.position, message);
        return vec![];
    }
    let movements = f.string_list("movements", diags);
    if movements.is_empty() && singular.is_none() {
        f.missing("movements", "ít nhất một mã phong trào (tên tệp trong content/movements/), ví dụ `movements: [thanh-nien-lam-chu-dat-nuoc]`", diags);
    }
    movements
}

/// A locality as written, with the position of each name (and of the table) for findings.
#[derive(Default)]
struct WrittenLocality {
    table: Position,
    province: Option<(Position, String)>,
    district: Option<(Position, String)>,
    commune: Option<(Position, String)>,
}

fn read_locality(f: &mut Fields<'_>, diags: &mut Diagnostics) -> WrittenLocality {
    let Some((_, node)) = f.take("locality") else { return WrittenLocality::default() };
    let table = node.position;
    let Some(mut l) = Fields::new(f.path, node, "locality.", diags) else { return WrittenLocality::default() };
    let locality = WrittenLocality {
        table,
        province: l.string("province", diags),
        district: l.string("district", diags),
        commune: l.string("commune", diags),
    };
    l.finish(&fields::keys(fields::LOCALITY), diags);
    locality
}

/// Resolves a written locality to the registry (in the structure of the story's date), each
/// finding a warning at the name it is about.
fn resolve_locality(path: &Path, written: WrittenLocality, date: Option<NaiveDate>, diags: &mut Diagnostics) -> Locality {
    let locality = Locality {
        province: written.province.as_ref().map(|(_, s)| s.clone()),
        district: written.district.as_ref().map(|(_, s)| s.clone()),
        commune: written.commune.as_ref().map(|(_, s)| s.clone()),
        place: Place::default(),
    };
    // Without a valid date the story is not built: its error is reported already.
    let Some(date) = date else { return locality };
    if locality.province.is_none() && locality.district.is_none() && locality.commune.is_none() {
        return locality;
    }
    let (place, findings) = places::resolve(locality.written(), date);
    for finding in findings {
        let (position, key) = match finding.level {
            places::Level::Province => (written.province.as_ref().map(|(p, _)| *p), "province"),
            places::Level::District => (written.district.as_ref().map(|(p, _)| *p), "district"),
            places::Level::Commune => (written.commune.as_ref().map(|(p, _)| *p), "commune"),
        };
        diags.warning(path, position.unwrap_or(written.table), format!("trường `locality.{key}`: {}", finding.message));
    }
    Locality { place, ..locality }
}

fn read_awards(f: &mut Fields<'_>, diags: &mut Diagnostics) -> Vec<Award> {
    let Some((_, node)) = f.take("awards") else { return vec![] };
    let items = match node.value {
        Value::Seq(items) => items,
        Value::Null => return vec![],
        _ => {
            f.wrong_type("awards", "một danh sách, mỗi mục có `title` và `year`", &node, diags);
            return vec![];
        }
    };
    let mut awards = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let Some(mut a) = Fields::new(f.path, item, &format!("awards[{}].", i + 1), diags) else { continue };
        let title = a.required_string("title", "\"Bằng khen của Chủ tịch UBND tỉnh\"", diags);
        let by = a.string("by", diags).map(|(_, s)| s);
        let year = a.year("year", diags);
        let decision = a.string("decision", diags).map(|(_, s)| s);
        a.finish(&fields::keys(fields::AWARD), diags);
        if let Some((title_pos, title)) = title {
            awards.push(Award { slug: text::slugify(&title), written: title.clone(), title, by, year, decision, rank: None, position: title_pos });
        }
    }
    awards
}

fn read_photo(f: &mut Fields<'_>, diags: &mut Diagnostics) -> Option<Photo> {
    let (_, node) = f.take("photo")?;
    // `photo:` with every sub-field left empty (as `nguoitot new` writes it) is no photo.
    if let Value::Map(entries) = &node.value {
        if entries.iter().all(|(_, _, v)| v.value == Value::Null) {
            return None;
        }
    }
    let position = node.position;
    let mut p = Fields::new(f.path, node, "photo.", diags)?;
    let src = p.required_string("src", "anh-dai-dien.jpg", diags);
    let alt = p.string("alt", diags);
    if alt.is_none() && src.is_some() {
        p.missing("alt", "lời mô tả ảnh cho người khiếm thị, ví dụ `alt: \"Đoàn viên xã Điện Quan trồng cây\"`", diags);
    }
    let caption = p.string("caption", diags).map(|(_, s)| s);
    let credit = p.string("credit", diags).map(|(_, s)| s);
    let focus = p.string("focus", diags).and_then(|(pos, value)| {
        let parsed = parse_focus(&value);
        if parsed.is_none() {
            diags.error(f.path, pos, format!(
                "trường `photo.focus`: \"{value}\" không hợp lệ; cần hai số \"ngang,dọc\" từ 0 đến 1 (hoặc phần trăm), ví dụ \"0.5,0.3\" hay \"50%,30%\""
            ));
        }
        parsed
    });
    p.finish(&fields::keys(fields::PHOTO), diags);
    let (src_pos, src) = src?;
    Some(Photo {
        path: f.path.parent().unwrap_or(Path::new(".")).join(&src),
        src,
        // Missing alt text is reported; the photo is kept so that its file is checked too.
        alt: alt.map(|(_, a)| a).unwrap_or_default(),
        caption,
        credit,
        focus: focus.map(|(x, y)| super::model::Focus(x, y)),
        position: if src_pos == Position::default() { position } else { src_pos },
    })
}

/// "0.5,0.3" or "50%,30%" → fractions of width and height.
fn parse_focus(value: &str) -> Option<(f32, f32)> {
    let mut parts = value.split(',').map(|p| {
        let p = p.trim();
        let (number, scale) = match p.strip_suffix('%') {
            Some(n) => (n.trim(), 100.0),
            None => (p, 1.0),
        };
        number.parse::<f32>().ok().map(|n| n / scale).filter(|n| (0.0..=1.0).contains(n))
    });
    let (x, y) = (parts.next()??, parts.next()??);
    parts.next().is_none().then_some((x, y))
}

/// Reads a movement; `id` is its file name.
/// Like a story, a movement with errors is still returned (for the checks across files).
pub fn read_movement(front_matter: Node, path: &Path, id: &str, display: String, body: String, body_line: usize, diags: &mut Diagnostics) -> Option<Movement> {
    let mut f = Fields::new(path, front_matter, "", diags)?;
    let title = f.required_string("title", "\"Thanh niên làm chủ đất nước\"", diags);
    let short_title = f.string("short_title", diags).map(|(_, s)| s);
    let level = f.code("level", false, &Level::ALL.map(|l| (l, l.id(), l.label())), diags);
    let lead_agency = f.string("lead_agency", diags).map(|(_, s)| s);
    let period = f.string("period", diags).map(|(_, s)| s);
    let criteria = match f.take("criteria") {
        None => Criteria::default(),
        Some((_, node)) => match Fields::new(path, node, "criteria.", diags) {
            None => Criteria::default(),
            Some(mut c) => {
                let criteria = Criteria {
                    collective: c.string("collective", diags).map(|(_, s)| s),
                    individual: c.string("individual", diags).map(|(_, s)| s),
                };
                c.finish(&fields::keys(fields::CRITERIA), diags);
                criteria
            }
        },
    };
    f.finish(&fields::keys(fields::MOVEMENT), diags);
    Some(Movement {
        id: id.to_string(),
        source: display,
        title: title.map(|(_, t)| t).unwrap_or_default(),
        short_title,
        level,
        lead_agency,
        period,
        criteria,
        links: super::markdown::local_links(&body).into_iter().map(|(url, line, column)| (url, Position::new(body_line + line, column))).collect(),
        body,
        body_line,
    })
}
