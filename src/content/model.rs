//! The content model: one set of types read from the files and used by every output.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostics::Position;
use crate::text;

/// Who the exemplar is. Front matter accepts the id or the Vietnamese label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    #[serde(rename = "tap-the")]
    Collective,
    #[serde(rename = "ca-nhan")]
    Individual,
    #[serde(rename = "ho-gia-dinh")]
    Household,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Collective, Kind::Individual, Kind::Household];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Collective => "tap-the",
            Kind::Individual => "ca-nhan",
            Kind::Household => "ho-gia-dinh",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Collective => "Tập thể",
            Kind::Individual => "Cá nhân",
            Kind::Household => "Hộ gia đình",
        }
    }

    /// Accepts "tap-the", "tập thể", "Tập Thể", "tap the"…
    pub fn parse(value: &str) -> Option<Kind> {
        let slug = text::slugify(value);
        Kind::ALL.into_iter().find(|k| k.id() == slug)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Level {
    #[serde(rename = "toan-quoc")]
    National,
    #[serde(rename = "tinh")]
    Province,
    #[serde(rename = "huyen")]
    District,
    #[serde(rename = "co-so")]
    Grassroots,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::National, Level::Province, Level::District, Level::Grassroots];

    pub fn id(self) -> &'static str {
        match self {
            Level::National => "toan-quoc",
            Level::Province => "tinh",
            Level::District => "huyen",
            Level::Grassroots => "co-so",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::National => "Toàn quốc",
            Level::Province => "Tỉnh",
            Level::District => "Huyện",
            Level::Grassroots => "Cơ sở",
        }
    }

    pub fn parse(value: &str) -> Option<Level> {
        let slug = text::slugify(value);
        Level::ALL.into_iter().find(|l| l.id() == slug)
    }
}

/// The sector an exemplar belongs to, as award reports split them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Sector {
    #[serde(rename = "hanh-chinh-nha-nuoc")]
    StateAdministration,
    #[serde(rename = "su-nghiep-cong-lap")]
    PublicService,
    #[serde(rename = "doanh-nghiep")]
    Enterprise,
    #[serde(rename = "doi-tuong-khac")]
    Other,
}

impl Sector {
    pub const ALL: [Sector; 4] = [Sector::StateAdministration, Sector::PublicService, Sector::Enterprise, Sector::Other];

    pub fn id(self) -> &'static str {
        match self {
            Sector::StateAdministration => "hanh-chinh-nha-nuoc",
            Sector::PublicService => "su-nghiep-cong-lap",
            Sector::Enterprise => "doanh-nghiep",
            Sector::Other => "doi-tuong-khac",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sector::StateAdministration => "Hành chính nhà nước",
            Sector::PublicService => "Sự nghiệp công lập",
            Sector::Enterprise => "Doanh nghiệp",
            Sector::Other => "Đối tượng khác",
        }
    }

    /// Accepts the id or the label ("sự nghiệp công lập").
    pub fn parse(value: &str) -> Option<Sector> {
        let slug = text::slugify(value);
        Sector::ALL.into_iter().find(|s| s.id() == slug)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Locality {
    pub province: Option<String>,
    pub district: Option<String>,
    pub commune: Option<String>,
}

/// One award a story's exemplar received.
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    /// As written in the story, or the vocabulary's spelling when it matched.
    pub title: String,
    pub by: Option<String>,
    pub year: Option<i32>,
    pub decision: Option<String>,
    /// Rank in `awards.toml` (0 is highest); `None` for titles outside the vocabulary.
    pub rank: Option<usize>,
    pub slug: String,
    #[serde(skip)]
    pub position: Position,
}

#[derive(Debug, Clone, Serialize)]
pub struct Photo {
    /// As written, relative to the story file.
    pub src: String,
    /// Resolved path on disk (absolute or relative to the working directory).
    #[serde(skip)]
    pub path: PathBuf,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where to centre the Open Graph crop, as fractions of width and height.
    #[serde(skip)]
    pub focus: Option<(f32, f32)>,
    #[serde(skip)]
    pub position: Position,
}

/// An image referenced from a story's Markdown body with a relative path.
#[derive(Debug, Clone)]
pub struct BodyImage {
    /// As written in the Markdown.
    pub src: String,
    pub path: PathBuf,
    pub position: Position,
}

#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// Path relative to the site root, with `/` separators, for messages.
    pub source: String,
    pub slug: String,
    pub url: String,
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

#[derive(Debug, Clone, Default)]
pub struct StoryPositions {
    pub slug: Position,
    pub movements: Vec<Position>,
}

impl Story {
    /// A hash of everything the story holds: equal fingerprints, equal pages (`serve` re-renders
    /// only pages whose stories' fingerprints changed).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        (&self.source, &self.slug, &self.url, &self.title, self.kind.id(), &self.movements, &self.unit).hash(&mut h);
        (&self.locality.province, &self.locality.district, &self.locality.commune, &self.field, &self.tags).hash(&mut h);
        // Debug text for the few fields with floats or enums without `Hash`; they are short.
        format!("{:?}{:?}{:?}{:?}", self.sector, self.awards, self.photo, self.images).hash(&mut h);
        (self.date, self.updated, &self.summary, self.featured, self.draft, &self.body, self.body_line).hash(&mut h);
        h.finish()
    }

    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.date.year()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Criteria {
    pub collective: Option<String>,
    pub individual: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    pub id: String,
    pub source: String,
    pub url: String,
    pub title: String,
    pub short_title: Option<String>,
    pub level: Option<Level>,
    pub lead_agency: Option<String>,
    pub period: Option<String>,
    pub criteria: Criteria,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

impl Movement {
    pub fn display_title(&self) -> &str {
        self.short_title.as_deref().unwrap_or(&self.title)
    }
}

/// An award title of `awards.toml`, highest rank first.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardTitle {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// The optional award vocabulary. Titles match ignoring case, Unicode form and tone placement.
#[derive(Debug, Clone, Default)]
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
