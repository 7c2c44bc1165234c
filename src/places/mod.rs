//! Places: the administrative units of Vietnam ([`registry`]) and the resolution of a story's
//! locality, as written, to them.
//!
//! Since 1 July 2025 Vietnam has two levels of local government: 34 provinces made of communes,
//! wards and special zones. Stories written since name a province and a commune; stories of
//! 2021–2025 name the old province, district and commune. Either way a locality resolves to a
//! current province and, when known, a current commune, remembering the old units it was written
//! with ([`Former`]) so pages can say "trước đây: xã Điện Quan, huyện Bảo Yên".
//!
//! Names that match no unit are never errors (registries lag behind resolutions): the locality
//! keeps its text and [`resolve`] reports a [`Finding`] with the closest real names.

pub mod registry;

use chrono::NaiveDate;

pub use registry::{registry, CommuneId, OldCommuneId, OldDistrictId, OldProvinceId, ProvinceId, Registry};

/// The day the two-level local government began.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// A locality resolved to registry units. Every field is `None` when nothing resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Place {
    /// The current province the place is in.
    pub province: Option<ProvinceId>,
    /// The current commune, ward or special zone.
    pub commune: Option<CommuneId>,
    /// The units of before the reform the story was written with.
    pub former: Option<Former>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Former {
    pub province: OldProvinceId,
    pub district: Option<OldDistrictId>,
    pub commune: Option<OldCommuneId>,
}

/// Which written name a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    District,
    Commune,
}

/// Something a person should look at in a locality: a name the registry does not have, an
/// ambiguous one, an old unit in a story of after the reform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub level: Level,
    pub message: String,
}

/// A locality as written in a story.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written<'a> {
    pub province: Option<&'a str>,
    pub district: Option<&'a str>,
    pub commune: Option<&'a str>,
}

/// Which structure a name was looked up in.
#[derive(Clone, Copy, PartialEq)]
enum Era {
    Current,
    Former,
}

/// What a commune lookup in one structure gave.
enum Lookup {
    Found(Place),
    Ambiguous(Finding),
    Missing,
}

/// Resolves a locality written in a story dated `date`.
pub fn resolve(written: Written<'_>, date: NaiveDate) -> (Place, Vec<Finding>) {
    let mut findings = vec![];
    let place = Resolver { r: registry(), written, after_reform: date >= reform_date(), findings: &mut findings }.run();
    (place, findings)
}

struct Resolver<'a> {
    r: &'static Registry,
    written: Written<'a>,
    after_reform: bool,
    findings: &'a mut Vec<Finding>,
}

impl Resolver<'_> {
    fn report(&mut self, level: Level, message: String) {
        self.findings.push(Finding { level, message });
    }

    fn run(mut self) -> Place {
        let Some(province_name) = self.written.province else {
            return self.without_province();
        };
        let current = self.r.find_provinces(province_name).first().copied();
        let old = self.r.find_old_provinces(province_name).first().copied();
        // The province the place is in now, and the old provinces a district or old commune may
        // be in: the one named, or those that became the current province named ("Lào Cai,
        // Huyện Lục Yên": Lục Yên was Yên Bái's).
        let (province_only, old_scope) = match (current, old) {
            (Some(current), Some(old)) => (Place { province: Some(current), ..Place::default() }, vec![old]),
            (Some(current), None) => (Place { province: Some(current), ..Place::default() }, self.r.province(current).predecessors.clone()),
            (None, Some(old)) => {
                let former = Former { province: old, district: None, commune: None };
                (Place { province: Some(self.r.old_province(old).successor), commune: None, former: Some(former) }, vec![old])
            }
            (None, None) => {
                let names = self.r.provinces.iter().map(|p| (p.short.as_str(), &p.keys)).chain(self.r.old_provinces.iter().map(|p| (p.short.as_str(), &p.keys)));
                let hint = suggestion(&registry::closest(province_name, names));
                self.report(Level::Province, format!("không có tỉnh, thành phố \"{province_name}\" trong danh mục đơn vị hành chính{hint}"));
                return Place::default();
            }
        };

        if let Some(district_name) = self.written.district {
            return self.resolve_former(&old_scope, Some(district_name), province_only);
        }
        let Some(commune_name) = self.written.commune else {
            if let (None, Some(old)) = (current, old) {
                if self.after_reform {
                    let now = self.r.province(self.r.old_province(old).successor);
                    let was = &self.r.old_province(old).name;
                    self.report(Level::Province, format!("từ 1/7/2025 {} đã nhập vào {}; bài đăng sau ngày đó ghi `province: {}`", lower_type(was), lower_type(&now.name), now.short));
                }
            }
            return province_only;
        };
        let eras = if self.after_reform { [Era::Current, Era::Former] } else { [Era::Former, Era::Current] };
        for era in eras {
            let lookup = match (era, current) {
                (Era::Current, Some(current)) => self.current_commune(current, commune_name),
                (Era::Current, None) => Lookup::Missing,
                (Era::Former, _) => self.former_commune(&old_scope, None, commune_name),
            };
            match lookup {
                Lookup::Found(place) => {
                    if era == Era::Former && self.after_reform {
                        self.old_unit_after_reform(Level::Commune, &place);
                    }
                    return place;
                }
                Lookup::Ambiguous(finding) => {
                    self.findings.push(finding);
                    return province_only;
                }
                Lookup::Missing => {}
            }
        }
        // Suggest from the structure the story's date belongs to.
        let hint = match (eras[0], current) {
            (Era::Current, Some(current)) => {
                suggestion(&registry::closest(commune_name, self.r.province_communes(current).map(|c| (self.r.commune(c).name.as_str(), &self.r.commune(c).keys))))
            }
            _ => suggestion(&registry::closest(
                commune_name,
                old_scope.iter().flat_map(|p| self.r.old_province_districts(*p)).flat_map(|d| self.r.old_district_communes(d)).map(|c| (self.r.old_commune(c).name.as_str(), &self.r.old_commune(c).keys)),
            )),
        };
        let in_province = province_only.province.map(|p| format!(" ở {}", lower_type(&self.r.province(p).name))).unwrap_or_default();
        self.report(Level::Commune, format!("không có xã, phường \"{commune_name}\"{in_province} trong danh mục đơn vị hành chính{hint}"));
        province_only
    }

    /// A district or commune written without its province: resolved in the one province that
    /// has a unit of that name, with a finding asking to write it.
    fn without_province(mut self) -> Place {
        let Some((level, name)) = self.written.district.map(|d| (Level::District, d)).or(self.written.commune.map(|c| (Level::Commune, c))) else {
            return Place::default();
        };
        let r = self.r;
        let old_provinces = || (0..r.old_provinces.len()).map(|i| OldProvinceId(i as u16));
        let current_provinces = || (0..r.provinces.len()).map(|i| ProvinceId(i as u16));
        let in_old = |has: &dyn Fn(OldProvinceId) -> bool| old_provinces().filter(|p| has(*p)).map(|p| r.old_province(p).short.as_str()).collect::<Vec<_>>();
        let candidates: Vec<&str> = match level {
            Level::District => in_old(&|p| !r.find_old_districts(p, name).is_empty()),
            _ => {
                let old = in_old(&|p| !r.find_old_communes_in_province(p, name).is_empty());
                let current: Vec<&str> = current_provinces().filter(|p| !r.find_communes(*p, name).is_empty()).map(|p| r.province(p).short.as_str()).collect();
                match (self.after_reform, current.is_empty(), old.is_empty()) {
                    (true, false, _) | (false, false, true) => current,
                    _ => old,
                }
            }
        };
        match candidates.as_slice() {
            [province] => {
                self.report(level, format!("thiếu `province`: \"{name}\" chỉ có ở {province} nên bài được xếp vào đó — ghi thêm `province: {province}`"));
                let written = Written { province: Some(province), ..self.written };
                Resolver { r, written, after_reform: self.after_reform, findings: &mut *self.findings }.run()
            }
            [] => {
                self.report(level, format!("thiếu `province`, và không tỉnh nào có đơn vị tên \"{name}\" — ghi thêm tỉnh để bài hiện ở trang địa phương"));
                Place::default()
            }
            many => {
                self.report(level, format!("thiếu `province`: có \"{name}\" ở {} — ghi thêm tỉnh để bài hiện ở trang địa phương", many.join(", ")));
                Place::default()
            }
        }
    }

    /// A commune of the current structure.
    fn current_commune(&self, province: ProvinceId, name: &str) -> Lookup {
        match self.r.find_communes(province, name).as_slice() {
            [] => Lookup::Missing,
            [one] => Lookup::Found(Place { province: Some(province), commune: Some(*one), former: None }),
            many => {
                let names: Vec<&str> = many.iter().map(|c| self.r.commune(*c).name.as_str()).collect();
                Lookup::Ambiguous(Finding {
                    level: Level::Commune,
                    message: format!("{} có {} đơn vị tên \"{name}\": {} — ghi đủ tên (cả chữ xã, phường)", self.r.province(province).name, many.len(), names.join(", ")),
                })
            }
        }
    }

    /// A locality of before the reform: a district (written or not) and maybe a commune.
    fn resolve_former(&mut self, scope: &[OldProvinceId], district_name: Option<&str>, province_only: Place) -> Place {
        let mut district = None;
        if let Some(district_name) = district_name {
            let found: Vec<OldDistrictId> = scope.iter().flat_map(|p| self.r.find_old_districts(*p, district_name)).collect();
            match found.as_slice() {
                [one] => district = Some(*one),
                _ => {
                    let names = scope.iter().flat_map(|p| self.r.old_province_districts(*p)).map(|d| (self.r.old_district(d).name.as_str(), &self.r.old_district(d).keys));
                    let hint = suggestion(&registry::closest(district_name, names));
                    let province = scope.iter().map(|p| lower_type(&self.r.old_province(*p).name)).collect::<Vec<_>>().join(", ");
                    self.report(Level::District, format!("không có huyện, thị xã, thành phố \"{district_name}\" của {province} (trước 1/7/2025) trong danh mục đơn vị hành chính{hint}"));
                }
            }
        }
        let place = match self.written.commune {
            Some(commune_name) => match self.former_commune(scope, district, commune_name) {
                Lookup::Found(place) => place,
                Lookup::Ambiguous(finding) => {
                    self.findings.push(finding);
                    self.district_place(district, province_only)
                }
                Lookup::Missing => {
                    let communes: Vec<OldCommuneId> = match district {
                        Some(d) => self.r.old_district_communes(d).collect(),
                        None => scope.iter().flat_map(|p| self.r.old_province_districts(*p)).flat_map(|d| self.r.old_district_communes(d)).collect(),
                    };
                    let hint = suggestion(&registry::closest(commune_name, communes.iter().map(|c| (self.r.old_commune(*c).name.as_str(), &self.r.old_commune(*c).keys))));
                    let within = match district {
                        Some(d) => lower_type(&self.r.old_district(d).name),
                        None => scope.iter().map(|p| lower_type(&self.r.old_province(*p).name)).collect::<Vec<_>>().join(", "),
                    };
                    self.report(Level::Commune, format!("không có xã, phường, thị trấn \"{commune_name}\" ở {within} (trước 1/7/2025) trong danh mục đơn vị hành chính{hint}"));
                    self.district_place(district, province_only)
                }
            },
            None => self.district_place(district, province_only),
        };
        if self.after_reform && place.former.is_some() {
            self.old_unit_after_reform(Level::District, &place);
        }
        place
    }

    /// A place known to its old district at most.
    fn district_place(&self, district: Option<OldDistrictId>, province_only: Place) -> Place {
        let Some(district) = district else { return province_only };
        let d = self.r.old_district(district);
        Place {
            province: Some(self.r.old_province(d.province).successor),
            commune: d.successor,
            former: Some(Former { province: d.province, district: Some(district), commune: None }),
        }
    }

    /// An old commune, in `district` if known, else anywhere in the old provinces of `scope`.
    fn former_commune(&self, scope: &[OldProvinceId], district: Option<OldDistrictId>, name: &str) -> Lookup {
        let found: Vec<OldCommuneId> = match district {
            Some(d) => self.r.find_old_communes_in_district(d, name),
            None => scope.iter().flat_map(|p| self.r.find_old_communes_in_province(*p, name)).collect(),
        };
        match found.as_slice() {
            [] => Lookup::Missing,
            [one] => {
                let c = self.r.old_commune(*one);
                let d = self.r.old_district(c.district);
                Lookup::Found(Place {
                    province: Some(self.r.old_province(d.province).successor),
                    commune: Some(c.successors[0]),
                    former: Some(Former { province: d.province, district: Some(c.district), commune: Some(*one) }),
                })
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|c| {
                        let c = self.r.old_commune(*c);
                        format!("{} ({})", c.name, self.r.old_district(c.district).name)
                    })
                    .collect();
                Lookup::Ambiguous(Finding {
                    level: Level::Commune,
                    message: format!("có {} đơn vị tên \"{name}\" trước 1/7/2025: {} — ghi thêm `district` để chọn một", many.len(), names.join(", ")),
                })
            }
        }
    }

    fn old_unit_after_reform(&mut self, level: Level, place: &Place) {
        let Some(province) = place.province.map(|p| self.r.province(p)) else { return };
        let new = match place.commune {
            Some(c) => format!("`province: {}`, `commune: {}`", province.short, self.r.commune(c).name),
            None => format!("`province: {}` và xã, phường hiện nay", province.short),
        };
        let what = if self.written.district.is_some() { "không còn cấp huyện" } else { "đơn vị này đã sắp xếp lại" };
        self.report(level, format!("từ 1/7/2025 {what}; bài đăng sau ngày đó ghi đơn vị mới: {new}"));
    }
}

fn suggestion(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        names => format!(" — có phải {}?", names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" hay ")),
    }
}

/// A unit's name inside a sentence: its type word in lower case ("Xã Thượng Hà" → "xã Thượng Hà").
pub fn lower_type(name: &str) -> String {
    let mut words = name.split(' ');
    let first = words.next().unwrap_or_default();
    let type_words = ["Tỉnh", "Thành", "Huyện", "Quận", "Thị", "Xã", "Phường", "Đặc"];
    if type_words.contains(&first) {
        let mut out = first.to_lowercase();
        // "Thành phố", "Thị xã", "Thị trấn", "Đặc khu": the second word is already lower case.
        for w in words {
            out.push(' ');
            out.push_str(w);
        }
        out
    } else {
        name.to_string()
    }
}

impl Place {
    pub fn is_resolved(&self) -> bool {
        self.province.is_some()
    }

    /// The place in one line, as a story page shows it: "Xã Điện Quan (nay là xã Thượng Hà),
    /// Lào Cai", "Xã Tả Van, Lào Cai", "Huyện Lục Yên, Yên Bái (nay thuộc Lào Cai)".
    /// `written` fills in the names that did not resolve.
    pub fn label(&self, written: Written<'_>) -> String {
        let r = registry();
        let Some(province) = self.province.map(|p| r.province(p)) else {
            return [written.commune, written.district, written.province].into_iter().flatten().collect::<Vec<_>>().join(", ");
        };
        let commune = self.commune.map(|c| r.commune(c));
        match self.former {
            Some(Former { commune: Some(old), .. }) => {
                let old = r.old_commune(old);
                match commune {
                    Some(now) if !key_eq(&old.name, &now.name) => format!("{} (nay là {}), {}", old.name, lower_type(&now.name), province.short),
                    _ => format!("{}, {}", old.name, province.short),
                }
            }
            Some(Former { province: old_province, district, commune: None }) => {
                let old_province = r.old_province(old_province);
                let written_commune = written.commune.map(|c| format!("{c}, ")).unwrap_or_default();
                let district = district.map(|d| format!("{}, ", r.old_district(d).name)).unwrap_or_default();
                if key_eq(&old_province.short, &province.short) {
                    format!("{written_commune}{district}{}", province.short)
                } else {
                    format!("{written_commune}{district}{} (nay thuộc {})", old_province.short, province.short)
                }
            }
            None => match (commune, written.commune) {
                (Some(c), _) => format!("{}, {}", c.name, province.short),
                (None, Some(c)) => format!("{c}, {}", province.short),
                (None, None) => province.short.clone(),
            },
        }
    }

    /// "trước đây: xã Điện Quan, huyện Bảo Yên" for a story recorded under an old commune or
    /// district, as commune pages list them.
    pub fn former_label(&self) -> Option<String> {
        let r = registry();
        let former = self.former?;
        let district = former.district.map(|d| lower_type(&r.old_district(d).name));
        let commune = former.commune.map(|c| lower_type(&r.old_commune(c).name));
        let parts: Vec<String> = [commune, district].into_iter().flatten().collect();
        if parts.is_empty() {
            return None;
        }
        Some(format!("trước đây: {}", parts.join(", ")))
    }

    /// The commune and district names the place is known by, former and current.
    pub fn local_names(&self) -> Vec<&'static str> {
        let r = registry();
        let mut names = vec![];
        if let Some(f) = self.former {
            names.extend(f.commune.map(|c| r.old_commune(c).name.as_str()));
            names.extend(f.district.map(|d| r.old_district(d).name.as_str()));
        }
        names.extend(self.commune.map(|c| r.commune(c).name.as_str()).filter(|n| !names.contains(n)));
        names
    }
}

fn key_eq(a: &str, b: &str) -> bool {
    registry::key(a) == registry::key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn written<'a>(province: &'a str, district: Option<&'a str>, commune: Option<&'a str>) -> Written<'a> {
        Written { province: Some(province), district, commune }
    }

    #[test]
    fn a_new_style_locality_resolves_to_its_commune() {
        let w = written("Lào Cai", None, Some("Xã Tả Van"));
        let (place, findings) = resolve(w, day(2025, 9, 1));
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(registry().commune(place.commune.unwrap()).name, "Xã Tả Van");
        assert_eq!(place.former, None);
        assert_eq!(place.label(w), "Xã Tả Van, Lào Cai");
    }

    #[test]
    fn an_old_commune_resolves_to_its_successor_and_remembers_its_past() {
        let w = written("Lào Cai", Some("Huyện Bảo Yên"), Some("Xã Điện Quan"));
        let (place, findings) = resolve(w, day(2022, 12, 15));
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(registry().commune(place.commune.unwrap()).name, "Xã Thượng Hà");
        assert_eq!(place.label(w), "Xã Điện Quan (nay là xã Thượng Hà), Lào Cai");
        assert_eq!(place.former_label().unwrap(), "trước đây: xã Điện Quan, huyện Bảo Yên");
        // Written without the district, and with the district's short name.
        let (same, _) = resolve(written("Lào Cai", None, Some("Điện Quan")), day(2022, 1, 1));
        assert_eq!(same, place);
        let (same, _) = resolve(written("Lào Cai", Some("Bảo Yên"), Some("Xã Điện Quan")), day(2022, 1, 1));
        assert_eq!(same, place);
    }

    #[test]
    fn an_old_province_becomes_its_successor() {
        let w = written("Yên Bái", Some("Huyện Lục Yên"), None);
        let (place, findings) = resolve(w, day(2023, 3, 1));
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(registry().province(place.province.unwrap()).short, "Lào Cai");
        assert_eq!(place.label(w), "Huyện Lục Yên, Yên Bái (nay thuộc Lào Cai)");
        // After the reform the old province is suggested its successor.
        let (_, findings) = resolve(written("Yên Bái", None, None), day(2025, 8, 1));
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("`province: Lào Cai`"), "{}", findings[0].message);
    }

    #[test]
    fn a_misspelt_commune_is_a_finding_with_the_right_suggestion() {
        let (place, findings) = resolve(written("Lào Cai", None, Some("Xã Thượng Hả")), day(2025, 9, 1));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].level, Level::Commune);
        assert!(findings[0].message.contains("có phải \"Xã Thượng Hà\""), "{}", findings[0].message);
        // The province still resolves.
        assert_eq!(registry().province(place.province.unwrap()).short, "Lào Cai");
        assert_eq!(place.commune, None);
    }

    #[test]
    fn a_missing_province_is_found_when_one_province_has_the_name() {
        let w = Written { province: None, district: Some("Huyện Mường Khương"), commune: Some("Xã Lùng Vai") };
        let (place, findings) = resolve(w, day(2022, 5, 1));
        assert_eq!(registry().commune(place.commune.unwrap()).name, "Xã Bản Lầu");
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("ghi thêm `province: Lào Cai`"), "{}", findings[0].message);
        // "Xã Tân Thành" is in many provinces: nothing is guessed.
        let w = Written { province: None, district: None, commune: Some("Xã Tân Thành") };
        let (place, findings) = resolve(w, day(2025, 9, 1));
        assert!(!place.is_resolved());
        assert!(findings[0].message.contains("ghi thêm tỉnh"), "{}", findings[0].message);
    }

    #[test]
    fn an_unknown_province_keeps_its_text() {
        let w = written("Lào Kai", None, Some("Xã Tả Van"));
        let (place, findings) = resolve(w, day(2025, 9, 1));
        assert!(!place.is_resolved());
        assert!(findings[0].message.contains("có phải \"Lào Cai\""), "{}", findings[0].message);
        assert_eq!(place.label(w), "Xã Tả Van, Lào Kai");
    }

    #[test]
    fn an_ambiguous_old_commune_asks_for_the_district() {
        // Two "Xã Tân Thành" in old Bình Phước? Find any old province with a duplicated name.
        let r = registry();
        let (province, name) = r
            .old_provinces
            .iter()
            .enumerate()
            .find_map(|(i, p)| {
                let id = OldProvinceId(i as u16);
                r.old_province_districts(id).flat_map(|d| r.old_district_communes(d)).find_map(|c| {
                    let name = &r.old_commune(c).name;
                    (r.find_old_communes_in_province(id, name).len() > 1).then(|| (p.short.clone(), name.clone()))
                })
            })
            .expect("some old province has two communes of one name");
        let (place, findings) = resolve(written(&province, None, Some(&name)), day(2022, 1, 1));
        assert!(findings[0].message.contains("ghi thêm `district`"), "{}", findings[0].message);
        assert_eq!(place.commune, None);
        assert!(place.is_resolved());
    }

    #[test]
    fn an_old_unit_after_the_reform_is_told_its_successor() {
        let (place, findings) = resolve(written("Lào Cai", Some("Huyện Bảo Yên"), Some("Xã Điện Quan")), day(2025, 10, 1));
        assert_eq!(registry().commune(place.commune.unwrap()).name, "Xã Thượng Hà");
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("`commune: Xã Thượng Hà`"), "{}", findings[0].message);
    }

    #[test]
    fn search_names_include_old_and_new() {
        let (place, _) = resolve(written("Lào Cai", Some("Huyện Bảo Yên"), Some("Xã Điện Quan")), day(2022, 1, 1));
        let names = place.local_names();
        assert!(names.contains(&"Xã Điện Quan") && names.contains(&"Xã Thượng Hà") && names.contains(&"Huyện Bảo Yên"), "{names:?}");
    }
}
