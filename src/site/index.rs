//! The site index: stories newest first, grouped by movement, unit, locality, award, year and
//! kind. Names written in different Unicode forms or tone placements are one entry.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::routes;
use crate::content::{Content, Kind, Movement, Story};
use crate::places::{self, CommuneId, ProvinceId};
use crate::text;

/// A group of stories sharing a unit, an award, a province or a commune. (Pages show it as a
/// [`crate::render::views::TermLink`].)
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Indexes into [`SiteIndex::stories`], newest first.
    pub stories: Vec<usize>,
    pub count: usize,
    /// Award rank (0 highest); `None` for other terms or awards outside the vocabulary.
    pub rank: Option<usize>,
    /// The province a unit or commune is in ("Lào Cai").
    pub province: Option<&'static str>,
}

/// Where a story is in [`SiteIndex::provinces`]: its province's position and its commune's
/// position among the province's communes.
pub type PlaceOf = Option<(usize, Option<usize>)>;

/// A current province with stories, and those of its communes that have stories.
#[derive(Debug, Clone)]
pub struct ProvinceGroup {
    pub id: ProvinceId,
    /// Every story of the province, its communes' included.
    pub term: Term,
    pub communes: Vec<CommuneGroup>,
}

#[derive(Debug, Clone)]
pub struct CommuneGroup {
    pub id: CommuneId,
    pub term: Term,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct KindCount {
    pub id: &'static str,
    pub label: &'static str,
    pub url: String,
    pub count: usize,
}

pub struct SiteIndex<'a> {
    /// Published stories, newest first.
    pub stories: Vec<&'a Story>,
    pub movements: Vec<&'a Movement>,
    pub by_movement: HashMap<&'a str, Vec<usize>>,
    /// Units by province and name (a unit's identity includes its province).
    pub units: Vec<Term>,
    /// Provinces by name, each with its communes by name.
    pub provinces: Vec<ProvinceGroup>,
    /// Highest rank first, then by name.
    pub awards: Vec<Term>,
    /// Tags, by name.
    pub tags: Vec<Term>,
    /// Newest year first.
    pub years: Vec<(i32, Vec<usize>)>,
    /// Years with a story or an award (in the year it was given, or its story's), oldest first:
    /// those of the per-year statistics.
    pub report_years: Vec<i32>,
    pub kinds: Vec<(Kind, Vec<usize>)>,
    /// Per story: its unit, province, commune and award term positions, for links.
    pub unit_of: Vec<Option<usize>>,
    /// Positions in [`Self::provinces`] and its communes (current units: a story written with an
    /// old commune is in the commune it became).
    pub place_of: Vec<PlaceOf>,
    /// Per story, the award term position of each of its awards (in the story's order):
    /// titles are normalised once here, not at every page and table that links an award.
    pub award_terms: Vec<Vec<usize>>,
    /// Per story, the tag term position of each of its tags (in the story's order).
    pub tag_terms: Vec<Vec<usize>>,
}

/// Collects terms by their normalized name; the first spelling met (in source order) is shown.
struct TermBuilder {
    /// The URL of a term by its slug.
    url: Box<dyn Fn(&str) -> String>,
    province: Option<&'static str>,
    order: Vec<String>,
    terms: FxHashMap<String, (String, Vec<usize>, Option<usize>)>,
    /// Normalized key by name as written: most stories repeat a name another story used.
    keys: FxHashMap<String, String>,
}

impl TermBuilder {
    fn new(url: impl Fn(&str) -> String + 'static) -> Self {
        TermBuilder { url: Box::new(url), province: None, order: vec![], terms: FxHashMap::default(), keys: FxHashMap::default() }
    }

    fn add(&mut self, name: &str, story: usize, rank: Option<usize>) -> String {
        let key = match self.keys.get(name) {
            Some(key) => key.clone(),
            None => self.keys.entry(name.to_string()).or_insert_with(|| text::normalize(name)).clone(),
        };
        let entry = self.terms.entry(key.clone()).or_insert_with(|| {
            self.order.push(key.clone());
            (name.to_string(), vec![], rank)
        });
        if entry.1.last() != Some(&story) {
            entry.1.push(story);
        }
        key
    }

    /// Terms with unique slugs ("hoa" and "hòa" both fold to `hoa`: the second gets `hoa-2`).
    fn build(self, sort_by_name: bool) -> (Vec<Term>, HashMap<String, usize>) {
        let mut keys = self.order;
        if sort_by_name {
            // Folding once per key, not per comparison: thousands of units on a large site.
            keys.sort_by_cached_key(|k| (text::fold(k), k.clone()));
        }
        let mut used = HashSet::new();
        let mut terms = Vec::with_capacity(keys.len());
        let mut position = HashMap::new();
        for key in keys {
            let (name, stories, rank) = self.terms.get(&key).cloned().expect("key from order");
            let base = match text::slugify(&name) {
                s if s.is_empty() => "khac".to_string(),
                s => s,
            };
            let mut slug = base.clone();
            let mut n = 1;
            while !used.insert(slug.clone()) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            position.insert(key, terms.len());
            terms.push(Term { url: (self.url)(&slug), name, slug, count: stories.len(), stories, rank, province: self.province });
        }
        (terms, position)
    }
}

/// A unit by the province of its stories and its normalized name.
type UnitKey = (Option<ProvinceId>, String);

/// Units grouped by the province of their stories' locality: "Trạm Y tế xã Tân Thành" of two
/// provinces are two units, each under its province's address.
#[derive(Default)]
struct UnitsBuilder {
    by_province: BTreeMap<Option<ProvinceId>, TermBuilder>,
}

impl UnitsBuilder {
    fn add(&mut self, province: Option<ProvinceId>, name: &str, story: usize) -> UnitKey {
        let builder = self.by_province.entry(province).or_insert_with(|| match province {
            Some(p) => {
                let registry = places::registry();
                let province_slug = registry.province(p).slug.clone();
                let mut b = TermBuilder::new(move |slug| routes::province_unit(&province_slug, slug));
                b.province = Some(registry.province(p).short.as_str());
                b
            }
            None => TermBuilder::new(routes::unit),
        });
        (province, builder.add(name, story, None))
    }

    /// Units sorted by name, then province; with each unit's position by its province and key.
    fn build(self) -> (Vec<Term>, HashMap<UnitKey, usize>) {
        let mut all: Vec<(Option<ProvinceId>, String, Term)> = vec![];
        for (province, builder) in self.by_province {
            let (terms, positions) = builder.build(true);
            let mut keys: Vec<(String, usize)> = positions.into_iter().collect();
            keys.sort_by_key(|(_, i)| *i);
            all.extend(keys.into_iter().zip(terms).map(|((key, _), term)| (province, key, term)));
        }
        all.sort_by_cached_key(|(_, key, term)| (text::fold(key), key.clone(), term.province));
        let positions = all.iter().enumerate().map(|(i, (p, key, _))| ((*p, key.clone()), i)).collect();
        (all.into_iter().map(|(_, _, term)| term).collect(), positions)
    }
}

/// Stories by current province and commune, in registry terms.
fn group_places(stories: &[&Story]) -> (Vec<ProvinceGroup>, Vec<PlaceOf>) {
    let registry = places::registry();
    let mut by_province: BTreeMap<ProvinceId, (Vec<usize>, BTreeMap<CommuneId, Vec<usize>>)> = BTreeMap::new();
    for (i, s) in stories.iter().enumerate() {
        let place = &s.locality.place;
        if let Some(p) = place.province {
            let (all, communes) = by_province.entry(p).or_default();
            all.push(i);
            if let Some(c) = place.commune {
                communes.entry(c).or_default().push(i);
            }
        }
    }
    let term = |name: &str, slug: &str, url: String, stories: Vec<usize>, province: Option<&'static str>| Term {
        name: name.to_string(),
        slug: slug.to_string(),
        url,
        count: stories.len(),
        stories,
        rank: None,
        province,
    };
    let mut groups: Vec<ProvinceGroup> = by_province
        .into_iter()
        .map(|(id, (stories, communes))| {
            let p = registry.province(id);
            let mut communes: Vec<CommuneGroup> = communes
                .into_iter()
                .map(|(cid, stories)| {
                    let c = registry.commune(cid);
                    CommuneGroup { id: cid, term: term(&c.name, &c.slug, routes::commune(&p.slug, &c.slug), stories, Some(p.short.as_str())) }
                })
                .collect();
            communes.sort_by_cached_key(|c| (text::fold(&c.term.name), c.term.name.clone()));
            ProvinceGroup { id, term: term(&p.short, &p.slug, routes::province(&p.slug), stories, None), communes }
        })
        .collect();
    groups.sort_by_cached_key(|g| (text::fold(&g.term.name), g.term.name.clone()));
    let mut place_of = vec![None; stories.len()];
    for (pi, g) in groups.iter().enumerate() {
        for &i in &g.term.stories {
            place_of[i] = Some((pi, None));
        }
        for (ci, c) in g.communes.iter().enumerate() {
            for &i in &c.term.stories {
                place_of[i] = Some((pi, Some(ci)));
            }
        }
    }
    (groups, place_of)
}

/// Which stories a build publishes.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    pub drafts: bool,
    /// Stories dated after this day wait for it (`None`: publish them now).
    pub until: Option<chrono::NaiveDate>,
}

impl Publish {
    /// Today's rules: drafts only on request, future stories only on request.
    pub fn now(drafts: bool, future: bool) -> Publish {
        Publish { drafts, until: (!future).then(|| chrono::Local::now().date_naive()) }
    }

    /// Everything, drafts and future stories included.
    pub fn all() -> Publish {
        Publish { drafts: true, until: None }
    }

    pub fn includes(&self, story: &Story) -> bool {
        (self.drafts || !story.draft) && self.until.is_none_or(|today| story.date <= today)
    }

    /// What these rules leave out of `stories`: (drafts, stories dated later), a draft dated
    /// later counted as a draft.
    pub fn left_out(&self, stories: &[Story]) -> (usize, usize) {
        let drafts = stories.iter().filter(|s| s.draft && !self.drafts).count();
        let future = stories.iter().filter(|s| !(s.draft && !self.drafts) && self.until.is_some_and(|today| s.date > today)).count();
        (drafts, future)
    }
}

impl<'a> SiteIndex<'a> {
    /// Indexes the stories to publish.
    pub fn build(content: &'a Content, publish: &Publish) -> SiteIndex<'a> {
        use rayon::slice::ParallelSliceMut;
        let mut stories: Vec<&Story> = content.stories.iter().filter(|s| publish.includes(s)).collect();
        stories.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug)));

        let mut by_movement: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut units = UnitsBuilder::default();
        let mut awards = TermBuilder::new(routes::award);
        let mut tags = TermBuilder::new(routes::tag);
        let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        let mut report_years: std::collections::BTreeSet<i32> = std::collections::BTreeSet::new();
        // Every kind gets a page, even an empty one: the footer links all three.
        let mut kinds: BTreeMap<Kind, Vec<usize>> = Kind::ALL.iter().map(|k| (*k, vec![])).collect();

        // Visit in source order so the spelling shown for a term does not depend on dates.
        let mut source_order: Vec<usize> = (0..stories.len()).collect();
        source_order.par_sort_by(|a, b| stories[*a].source.cmp(&stories[*b].source));
        let mut unit_key_of = vec![None; stories.len()];
        let mut award_keys_of = vec![Vec::new(); stories.len()];
        let mut tag_keys_of = vec![Vec::new(); stories.len()];
        for &i in &source_order {
            let s = stories[i];
            unit_key_of[i] = s.unit.as_deref().map(|u| units.add(s.locality.place.province, u, i));
            award_keys_of[i] = s.awards.iter().map(|a| awards.add(&a.title, i, a.rank)).collect();
            tag_keys_of[i] = s.tags.iter().map(|t| tags.add(t, i, None)).collect();
        }
        for (i, s) in stories.iter().enumerate() {
            for m in &s.movements {
                let list = by_movement.entry(m.as_str()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            years.entry(s.year()).or_default().push(i);
            report_years.insert(s.year());
            report_years.extend(s.awards.iter().map(|a| a.year.unwrap_or(s.year())));
            kinds.entry(s.kind).or_default().push(i);
        }

        let (mut units, unit_pos) = units.build();
        let (mut awards, _) = awards.build(true);
        let (mut tags, tag_pos) = tags.build(true);
        for t in units.iter_mut().chain(awards.iter_mut()).chain(tags.iter_mut()) {
            t.stories.sort_unstable();
        }
        awards.sort_by(|a, b| a.rank.unwrap_or(usize::MAX).cmp(&b.rank.unwrap_or(usize::MAX)));
        let (provinces, place_of) = group_places(&stories);
        let unit_of = unit_key_of.into_iter().map(|k| k.map(|k| unit_pos[&k])).collect();

        let award_position: HashMap<String, usize> = awards.iter().enumerate().map(|(i, t)| (text::normalize(&t.name), i)).collect();
        let award_terms = award_keys_of.into_iter().map(|keys| keys.iter().map(|k| award_position[k]).collect()).collect();
        let mut movements: Vec<&Movement> = content.movements.iter().collect();
        movements.sort_by(|a, b| a.id.cmp(&b.id));
        SiteIndex {
            stories,
            movements,
            by_movement,
            units,
            provinces,
            awards,
            years: years.into_iter().rev().collect(),
            report_years: report_years.into_iter().collect(),
            kinds: kinds.into_iter().collect(),
            unit_of,
            place_of,
            award_terms,
            tag_terms: tag_keys_of.into_iter().map(|keys| keys.iter().map(|k| tag_pos[k]).collect()).collect(),
            tags,
        }
    }

    pub fn movement_stories(&self, id: &str) -> &[usize] {
        self.by_movement.get(id).map_or(&[], Vec::as_slice)
    }

    /// Counts per kind for a list of stories, in the fixed kind order (zeros included).
    pub fn kind_counts(&self, stories: &[usize]) -> Vec<KindCount> {
        Kind::ALL
            .iter()
            .map(|k| KindCount {
                id: k.id(),
                label: k.label(),
                url: routes::kind(k.id()),
                count: stories.iter().filter(|i| self.stories[**i].kind == *k).count(),
            })
            .collect()
    }
}
