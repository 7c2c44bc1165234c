//! The site index: stories newest first, grouped by movement, unit, locality, award, year and
//! kind. Names written in different Unicode forms or tone placements are one entry.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::routes;
use crate::content::{Content, Kind, Movement, Story};
use crate::text;

/// A group of stories sharing a unit, an award, a district or a commune. (Pages show it as a
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
}

#[derive(Debug, Clone)]
pub struct District {
    pub term: Term,
    pub communes: Vec<Term>,
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
    pub units: Vec<Term>,
    pub districts: Vec<District>,
    /// Highest rank first, then by name.
    pub awards: Vec<Term>,
    /// Newest year first.
    pub years: Vec<(i32, Vec<usize>)>,
    pub kinds: Vec<(Kind, Vec<usize>)>,
    /// Per story: its unit, district, commune and award term positions, for links.
    pub unit_of: Vec<Option<usize>>,
    pub district_of: Vec<Option<(usize, Option<usize>)>>,
    /// Per story, the award term position of each of its awards (in the story's order):
    /// titles are normalised once here, not at every page and table that links an award.
    pub award_terms: Vec<Vec<usize>>,
}

/// Collects terms by their normalized name; the first spelling met (in source order) is shown.
struct TermBuilder {
    /// The URL of a term by its slug.
    url: fn(&str) -> String,
    order: Vec<String>,
    terms: FxHashMap<String, (String, Vec<usize>, Option<usize>)>,
    /// Normalized key by name as written: most stories repeat a name another story used.
    keys: FxHashMap<String, String>,
}

impl TermBuilder {
    fn new(url: fn(&str) -> String) -> Self {
        TermBuilder { url, order: vec![], terms: FxHashMap::default(), keys: FxHashMap::default() }
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
            terms.push(Term { url: (self.url)(&slug), name, slug, count: stories.len(), stories, rank });
        }
        (terms, position)
    }
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
}

impl<'a> SiteIndex<'a> {
    /// Indexes the stories to publish.
    pub fn build(content: &'a Content, publish: &Publish) -> SiteIndex<'a> {
        use rayon::slice::ParallelSliceMut;
        let mut stories: Vec<&Story> = content.stories.iter().filter(|s| publish.includes(s)).collect();
        stories.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug)));

        let mut by_movement: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut units = TermBuilder::new(routes::unit);
        let mut districts = TermBuilder::new(routes::district);
        let mut communes: BTreeMap<String, TermBuilder> = BTreeMap::new();
        let mut awards = TermBuilder::new(routes::award);
        let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        // Every kind gets a page, even an empty one: the footer links all three.
        let mut kinds: BTreeMap<Kind, Vec<usize>> = Kind::ALL.iter().map(|k| (*k, vec![])).collect();
        let mut unit_keys = Vec::with_capacity(stories.len());
        let mut place_keys = Vec::with_capacity(stories.len());

        // Visit in source order so the spelling shown for a term does not depend on dates.
        let mut source_order: Vec<usize> = (0..stories.len()).collect();
        source_order.par_sort_by(|a, b| stories[*a].source.cmp(&stories[*b].source));
        let mut unit_key_of = vec![None; stories.len()];
        let mut award_keys_of = vec![Vec::new(); stories.len()];
        let mut place_key_of = vec![None; stories.len()];
        for &i in &source_order {
            let s = stories[i];
            unit_key_of[i] = s.unit.as_deref().map(|u| units.add(u, i, None));
            place_key_of[i] = s.locality.district.as_deref().map(|d| {
                let dk = districts.add(d, i, None);
                let ck = s.locality.commune.as_deref().map(|c| communes.entry(dk.clone()).or_insert_with(|| TermBuilder::new(|_| String::new())).add(c, i, None));
                (dk, ck)
            });
            award_keys_of[i] = s.awards.iter().map(|a| awards.add(&a.title, i, a.rank)).collect();
        }
        for (i, s) in stories.iter().enumerate() {
            for m in &s.movements {
                let list = by_movement.entry(m.as_str()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            years.entry(s.year()).or_default().push(i);
            kinds.entry(s.kind).or_default().push(i);
        }
        unit_keys.extend(unit_key_of);
        place_keys.extend(place_key_of);

        let (mut units, unit_pos) = units.build(true);
        let (districts, district_pos) = districts.build(true);
        let (mut awards, _) = awards.build(true);
        for t in units.iter_mut().chain(awards.iter_mut()) {
            t.stories.sort_unstable();
        }
        awards.sort_by(|a, b| a.rank.unwrap_or(usize::MAX).cmp(&b.rank.unwrap_or(usize::MAX)));

        let mut commune_pos: HashMap<String, HashMap<String, usize>> = HashMap::new();
        let districts: Vec<District> = districts
            .into_iter()
            .map(|mut d| {
                d.stories.sort_unstable();
                let key = text::normalize(&d.name);
                let (mut list, pos) = communes.remove(&key).map(|b| b.build(true)).unwrap_or_default();
                for c in &mut list {
                    c.stories.sort_unstable();
                    // A commune is a section of its district's page.
                    c.url = routes::commune(&d.url, &c.slug);
                }
                commune_pos.insert(key, pos);
                District { term: d, communes: list }
            })
            .collect();

        let unit_of = unit_keys.iter().map(|k| k.as_ref().map(|k| unit_pos[k])).collect();
        let district_of = place_keys
            .iter()
            .map(|p| {
                p.as_ref().map(|(dk, ck)| {
                    (district_pos[dk], ck.as_ref().and_then(|ck| commune_pos.get(dk).and_then(|m| m.get(ck)).copied()))
                })
            })
            .collect();

        let award_position: HashMap<String, usize> = awards.iter().enumerate().map(|(i, t)| (text::normalize(&t.name), i)).collect();
        let award_terms = award_keys_of.into_iter().map(|keys| keys.iter().map(|k| award_position[k]).collect()).collect();
        let mut movements: Vec<&Movement> = content.movements.iter().collect();
        movements.sort_by(|a, b| a.id.cmp(&b.id));
        SiteIndex {
            stories,
            movements,
            by_movement,
            units,
            districts,
            awards,
            years: years.into_iter().rev().collect(),
            kinds: kinds.into_iter().collect(),
            unit_of,
            district_of,
            award_terms,
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
