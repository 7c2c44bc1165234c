//! Search facets — movement, kind, district, award, year — shared by the client index
//! (`facets.json` and the entry file) and the tantivy engine, so both filter alike.

use crate::content::Kind;
use crate::site::index::SiteIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Movement,
    Kind,
    District,
    Award,
    Year,
}

impl FacetKind {
    /// In the order filters are shown.
    pub const ALL: [FacetKind; 5] = [FacetKind::Movement, FacetKind::Kind, FacetKind::District, FacetKind::Award, FacetKind::Year];

    /// Name in the index files, the API parameters and tantivy facet paths.
    pub fn id(self) -> &'static str {
        match self {
            FacetKind::Movement => "movement",
            FacetKind::Kind => "kind",
            FacetKind::District => "district",
            FacetKind::Award => "award",
            FacetKind::Year => "year",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FacetKind::Movement => "Phong trào",
            FacetKind::Kind => "Loại",
            FacetKind::District => "Địa phương",
            FacetKind::Award => "Khen thưởng",
            FacetKind::Year => "Năm",
        }
    }
}

/// One facet of a site and its values as `(id, label)`, in display order.
pub struct Facet {
    pub kind: FacetKind,
    pub values: Vec<(String, String)>,
}

/// Every facet of a site, in the order filters are shown.
pub fn facets(index: &SiteIndex<'_>) -> Vec<Facet> {
    FacetKind::ALL
        .into_iter()
        .map(|kind| {
            let values = match kind {
                FacetKind::Movement => index.movements.iter().map(|m| (m.id.clone(), m.display_title().to_string())).collect(),
                FacetKind::Kind => Kind::ALL.iter().map(|k| (k.id().to_string(), k.label().to_string())).collect(),
                FacetKind::District => index.districts.iter().map(|d| (d.term.slug.clone(), d.term.name.clone())).collect(),
                FacetKind::Award => index.awards.iter().map(|a| (a.slug.clone(), a.name.clone())).collect(),
                FacetKind::Year => index.years.iter().map(|(y, _)| (y.to_string(), y.to_string())).collect(),
            };
            Facet { kind, values }
        })
        .collect()
}

impl Facet {
    /// The values of story `i`, as positions in [`Facet::values`].
    pub fn story_values(&self, index: &SiteIndex<'_>, i: usize) -> Vec<usize> {
        let s = index.stories[i];
        let pos = |key: &str| self.values.iter().position(|(k, _)| k == key);
        match self.kind {
            FacetKind::Movement => s.movements.iter().filter_map(|m| pos(m)).collect(),
            FacetKind::Kind => pos(s.kind.id()).into_iter().collect(),
            FacetKind::District => index.district_of[i].map(|(d, _)| d).into_iter().collect(),
            FacetKind::Award => index.award_terms[i].clone(),
            FacetKind::Year => pos(&s.year().to_string()).into_iter().collect(),
        }
    }
}
