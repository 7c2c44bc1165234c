//! Search facets — movement, kind, province, commune, award, year — shared by the client index
//! (`facets.json` and the entry file) and the tantivy engine, so both filter alike.

use crate::content::Kind;
use crate::places;
use crate::site::index::SiteIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Movement,
    Kind,
    Province,
    Commune,
    Award,
    Year,
}

impl FacetKind {
    /// In the order filters are shown.
    pub const ALL: [FacetKind; 6] = [FacetKind::Movement, FacetKind::Kind, FacetKind::Province, FacetKind::Commune, FacetKind::Award, FacetKind::Year];

    /// Name in the index files, the API parameters and tantivy facet paths.
    pub fn id(self) -> &'static str {
        match self {
            FacetKind::Movement => "movement",
            FacetKind::Kind => "kind",
            FacetKind::Province => "province",
            FacetKind::Commune => "commune",
            FacetKind::Award => "award",
            FacetKind::Year => "year",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FacetKind::Movement => "Phong trào",
            FacetKind::Kind => "Loại",
            FacetKind::Province => "Tỉnh, thành phố",
            FacetKind::Commune => "Xã, phường",
            FacetKind::Award => "Khen thưởng",
            FacetKind::Year => "Năm",
        }
    }
}

/// One facet of a site and its values as `(id, label)`, in display order.
pub struct Facet {
    pub kind: FacetKind,
    pub values: Vec<(String, String)>,
    /// For the commune facet: where each province's communes start in `values`.
    commune_offsets: Vec<usize>,
}

/// Every facet of a site, in the order filters are shown.
pub fn facets(index: &SiteIndex<'_>) -> Vec<Facet> {
    FacetKind::ALL
        .into_iter()
        .map(|kind| {
            let values = match kind {
                FacetKind::Movement => index.movements.iter().map(|m| (m.id.clone(), m.display_title().to_string())).collect(),
                FacetKind::Kind => Kind::ALL.iter().map(|k| (k.id().to_string(), k.label().to_string())).collect(),
                // Current units: a story written with an old commune is found under the new one.
                FacetKind::Province => index.provinces.iter().map(|p| (p.term.slug.clone(), p.term.name.clone())).collect(),
                FacetKind::Commune => index
                    .provinces
                    .iter()
                    .flat_map(|p| p.communes.iter().map(|c| (places::registry().commune(c.id).code.clone(), format!("{} ({})", c.term.name, p.term.name))))
                    .collect(),
                FacetKind::Award => index.awards.iter().map(|a| (a.slug.clone(), a.name.clone())).collect(),
                FacetKind::Year => index.years.iter().map(|(y, _)| (y.to_string(), y.to_string())).collect(),
            };
            let commune_offsets = index
                .provinces
                .iter()
                .scan(0, |start, p| {
                    let at = *start;
                    *start += p.communes.len();
                    Some(at)
                })
                .collect();
            Facet { kind, values, commune_offsets }
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
            FacetKind::Province => index.place_of[i].map(|(p, _)| p).into_iter().collect(),
            FacetKind::Commune => index.place_of[i].and_then(|(p, c)| Some(self.commune_offsets[p] + c?)).into_iter().collect(),
            FacetKind::Award => index.award_terms[i].clone(),
            FacetKind::Year => pos(&s.year().to_string()).into_iter().collect(),
        }
    }
}
