//! The content model: one set of types read from the files and used by every output.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostics::Position;
use crate::places::{Place, Written};
use crate::text;

/// A closed set of front matter values, each with an id (in addresses, files and the JSON
/// outputs) and a Vietnamese label. Front matter is written with the id only (the reader names it
/// for any other spelling); `parse` takes either, in any case, with or without diacritics
/// ("tap-the", "Tập thể", "tap the"), for the command line.
macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $id:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name {
            $(#[serde(rename = $id)] $variant,)+
        }

        impl $name {
            pub const ALL: [$name; [$($id),+].len()] = [$($name::$variant),+];

            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The value whose id or label `value` is.
            pub fn parse(value: &str) -> Option<$name> {
                let slug = text::slugify(value);
                $name::ALL.into_iter().find(|v| v.id() == slug)
            }
        }
    };
}

labelled_enum! {
    /// Who the exemplar is.
    Kind {
        Collective = "tap-the", "Tập thể";
        Individual = "ca-nhan", "Cá nhân";
        Household = "ho-gia-dinh", "Hộ gia đình";
    }
}

labelled_enum! {
    /// The level of government that runs a movement.
    Level {
        National = "toan-quoc", "Toàn quốc";
        Province = "tinh", "Tỉnh";
        District = "huyen", "Huyện";
        Grassroots = "co-so", "Cơ sở";
    }
}

labelled_enum! {
    /// The sector an exemplar belongs to, as award reports split them.
    Sector {
        StateAdministration = "hanh-chinh-nha-nuoc", "Hành chính nhà nước";
        PublicService = "su-nghiep-cong-lap", "Sự nghiệp công lập";
        Enterprise = "doanh-nghiep", "Doanh nghiệp";
        Other = "doi-tuong-khac", "Đối tượng khác";
    }
}

/// Where an exemplar is: the names as written (a province and a commune; stories of before the
/// reform of 1 July 2025 may name a district) and the registry units they resolve to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Locality {
    pub province: Option<String>,
    pub district: Option<String>,
    pub commune: Option<String>,
    #[serde(skip)]
    pub place: Place,
}

impl Locality {
    pub fn written(&self) -> Written<'_> {
        Written { province: self.province.as_deref(), district: self.district.as_deref(), commune: self.commune.as_deref() }
    }

    /// The names search finds the story by: its commune and district, current and former ("Xã
    /// Thượng Hà" and "Xã Điện Quan", "Huyện Bảo Yên"), or as written when they did not resolve.
    /// (Not the province: nearly every story of a provincial site would match it.)
    pub fn search_names(&self) -> Vec<&str> {
        let mut names = self.place.local_names();
        if self.place.commune.is_none() && self.place.former.and_then(|f| f.commune).is_none() {
            names.extend(self.commune.as_deref());
        }
        if self.place.former.and_then(|f| f.district).is_none() {
            names.extend(self.district.as_deref());
        }
        names
    }

    /// The place in one line ("Xã Điện Quan (nay là xã Thượng Hà), Lào Cai"); `None` when no
    /// locality is written.
    pub fn label(&self) -> Option<String> {
        let label = self.place.label(self.written());
        (!label.is_empty()).then_some(label)
    }
}

/// One award a story's exemplar received.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Award {
    /// As written in the story, or the vocabulary's spelling when it matched.
    pub title: String,
    /// As written in the story (the web editor must show this value as it is).
    #[serde(skip)]
    pub written: String,
    pub by: Option<String>,
    pub year: Option<i32>,
    pub decision: Option<String>,
    /// Rank in `awards.toml` (0 is highest); `None` for titles outside the vocabulary.
    pub rank: Option<usize>,
    pub slug: String,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Photo {
    /// As written, relative to the story file.
    pub src: String,
    /// Resolved path on disk (absolute or relative to the working directory).
    #[serde(skip)]
    pub path: PathBuf,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where to centre the Open Graph crop.
    #[serde(skip)]
    pub focus: Option<Focus>,
    #[serde(skip)]
    pub position: Position,
}

/// A point of a photo, as fractions of its width and height (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focus(pub f32, pub f32);

impl std::hash::Hash for Focus {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.0.to_bits(), self.1.to_bits()).hash(state);
    }
}

/// An image referenced from a story's Markdown body with a relative path.
#[derive(Debug, Clone, Hash)]
pub struct BodyImage {
    /// As written in the Markdown.
    pub src: String,
    pub path: PathBuf,
    pub position: Position,
}

/// One exemplar's story. `Hash` covers every field: `serve` re-renders a page when the hash of a
/// story it shows changes (see [`crate::render::views`]).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Story {
    /// Path relative to the site root, with `/` separators, for messages.
    pub source: String,
    pub slug: String,
    pub title: String,
    pub kind: Kind,
    pub movements: Vec<String>,
    pub unit: Option<String>,
    pub locality: Locality,
    pub field: Option<String>,
    pub sector: Option<Sector>,
    pub tags: Vec<String>,
    pub awards: Vec<Award>,
    pub date: NaiveDate,
    pub updated: Option<NaiveDate>,
    pub summary: String,
    pub photo: Option<Photo>,
    #[serde(skip)]
    pub images: Vec<BodyImage>,
    /// Links of the body to targets inside the site (other stories' `.md` files, `/files`),
    /// with their position: checked across the site after loading.
    #[serde(skip)]
    pub links: Vec<(String, Position)>,
    pub featured: bool,
    pub draft: bool,
    /// Markdown source of the body (never run through the template engine).
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
    /// Positions of fields, for messages from cross-file checks.
    #[serde(skip)]
    pub positions: StoryPositions,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct StoryPositions {
    pub slug: Position,
    pub title: Position,
    pub movements: Vec<Position>,
}

impl Story {
    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.date.year()
    }
}

#[derive(Debug, Clone, Default, Hash, Serialize)]
pub struct Criteria {
    pub collective: Option<String>,
    pub individual: Option<String>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Movement {
    pub id: String,
    pub source: String,
    pub title: String,
    pub short_title: Option<String>,
    pub level: Option<Level>,
    pub lead_agency: Option<String>,
    pub period: Option<String>,
    pub criteria: Criteria,
    /// Links of the body to targets inside the site, with their position (as a story's).
    #[serde(skip)]
    pub links: Vec<(String, Position)>,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

impl Movement {
    /// The movement of a file that could not be read, known by its id only (never published:
    /// the file's error stops the build).
    pub fn unreadable(id: String, source: String) -> Movement {
        Movement {
            title: id.clone(),
            id,
            source,
            short_title: None,
            level: None,
            lead_agency: None,
            period: None,
            criteria: Criteria::default(),
            links: vec![],
            body: String::new(),
            body_line: 1,
        }
    }

    pub fn display_title(&self) -> &str {
        self.short_title.as_deref().unwrap_or(&self.title)
    }
}

/// An award title of `awards.toml`, highest rank first.
#[derive(Debug, Clone, Hash, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardTitle {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// The optional award vocabulary. Titles match ignoring case, Unicode form and tone placement.
#[derive(Debug, Clone, Default, Hash)]
pub struct AwardVocabulary {
    pub titles: Vec<AwardTitle>,
    /// Present when `content/awards.toml` exists: unknown titles are then warnings.
    pub defined: bool,
}

impl AwardVocabulary {
    /// The vocabulary prepared for matching many titles: each title normalised once.
    pub fn matcher(&self) -> AwardMatcher<'_> {
        let mut by_key = std::collections::HashMap::new();
        for (rank, award) in self.titles.iter().enumerate() {
            // The first spelling of a title wins, as it is the higher rank.
            by_key.entry(text::normalize(&award.title)).or_insert((rank, award, text::slugify(&award.title)));
        }
        AwardMatcher { by_key }
    }
}

/// Award titles by their exact comparison form ([`text::normalize`]).
pub struct AwardMatcher<'a> {
    by_key: std::collections::HashMap<String, (usize, &'a AwardTitle, String)>,
}

impl AwardMatcher<'_> {
    /// The rank, canonical spelling and slug of a title.
    pub fn lookup(&self, title: &str) -> Option<(usize, &AwardTitle, &str)> {
        self.by_key.get(&text::normalize(title)).map(|(rank, award, slug)| (*rank, *award, slug.as_str()))
    }
}

/// Everything loaded from a site folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub stories: Vec<Story>,
    pub movements: Vec<Movement>,
    pub awards: AwardVocabulary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_accept_ids_and_labels() {
        assert_eq!(Kind::parse("tap-the"), Some(Kind::Collective));
        assert_eq!(Kind::parse("tập thể"), Some(Kind::Collective));
        assert_eq!(Kind::parse("Cá nhân"), Some(Kind::Individual));
        assert_eq!(Kind::parse("hộ gia đình"), Some(Kind::Household));
        assert_eq!(Kind::parse("doanh nghiệp"), None);
    }

    #[test]
    fn award_titles_match_across_forms() {
        let vocab = AwardVocabulary {
            titles: vec![
                AwardTitle { title: "Huân chương Độc lập hạng Nhì".into(), description: None },
                AwardTitle { title: "Bằng khen của Chủ tịch UBND tỉnh".into(), description: None },
            ],
            defined: true,
        };
        let vocab = vocab.matcher();
        assert_eq!(vocab.lookup("huân chương độc lập hạng nhì").unwrap().0, 0);
        let (rank, known, slug) = vocab.lookup("BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH").unwrap();
        assert_eq!((rank, known.title.as_str(), slug), (1, "Bằng khen của Chủ tịch UBND tỉnh", "bang-khen-cua-chu-tich-ubnd-tinh"));
        assert!(vocab.lookup("Bằng khen").is_none());
    }
}
