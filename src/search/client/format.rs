//! On-disk format of the client search index, version [`FORMAT_VERSION`]. All files are JSON
//! under `/tim-kiem/`, small enough to be fetched one by one and served gzip-compressed.
//!
//! Stories have stable ids: 0 is the oldest, and a new story takes the next number, so the files
//! of the others stay byte-identical. The index is in two parts, as in a log-structured index:
//! the *sealed* stories (ids below `sealed`, see [`crate::search::sealed_stories`]) in files by
//! word, and the *recent* ones (fewer than [`crate::search::SEAL_BLOCK`]) in [`RECENT_BUCKETS`]
//! small files by word prefix. A new or edited recent story changes only recent files; once every
//! [`crate::search::SEAL_BLOCK`] stories the recent ones are sealed in.
//!
//! - `index.json` — the entry file, fetched first:
//!   `{"v":3, "n": <stories>, "sealed": <id>, "recent": <buckets>, "base": "<base path>",
//!     "shards": ["an","ba",…], "facets": {"<facet>": {"label": "…", "values": [["<id>","<label>"],…]}, …}}`.
//! - `t/<prefix>.json` — a *names shard* of the sealed stories: every names-tier term whose
//!   folded text ([`placement`]: `dien`, `dien5`, `dien quan`, a space written `_` in names)
//!   starts with `<prefix>`, and the body-tier vocabulary with that prefix:
//!   `{"t": {"<term>": [df, [doc deltas…], [impacts…]]}, "b": {"<word>": df}}`.
//!   Terms: `dien` (folded syllable), `=điên5` (exact key, see `text::exact_key`), `dien quan`
//!   (folded pair). A shard's prefix is the first two characters of its terms' folded text; a
//!   shard larger than [`SPLIT_BYTES`] is split by one more character, again and again, the
//!   terms no longer than the prefix staying in it — so that the pairs of a common syllable
//!   (`xã …`, thousands on a national site) leave the syllable's own shard. The client reads a
//!   term from the longest listed prefix of the term's folded text.
//! - `b/<word>.json` — body postings of one folded syllable in the sealed stories:
//!   `[df, [doc deltas…], [impacts…]]`. File names keep `[a-z0-9]` and write any other character
//!   as `_<hex code point>`; a name over 64 characters keeps its first 40 and ends in `~` and 16
//!   hex digits of hash.
//! - `r/<bucket>.json` — the recent stories' terms whose shard word's first two characters hash
//!   ([`recent_bucket`]) to `<bucket>`: `{"t": {"<term>": postings}, "b": {"<word>": postings}}`.
//! - `d/<doc>.json` — what a result shows: `{"t": title, "u": url, "n": unit, "l": locality,
//!   "k": kind label, "y": year, "m": [movement titles], "s": snippet}`.
//! - `facets.json` — per story (by id), the facet values (indexes into the entry's `values`),
//!   loaded only when a filter is used: `{"<facet>": [[i,…] per story]}`.
//!
//! Postings list documents by id, ascending, delta-coded; `df` is the number of stories with the
//! term before truncation. Only the highest-impact [`MAX_NAMES`] / [`MAX_BODY`] sealed stories of
//! a term are kept, so the commonest syllables stay small.

use std::collections::BTreeMap;

use rayon::prelude::*;

use serde::Serialize;
use serde_json::json;

use crate::search::facets;
use super::terms::{self, EXACT_PREFIX};
use crate::site::index::SiteIndex;
use crate::text;

pub const FORMAT_VERSION: u32 = 3;
/// Files of the recent stories' terms.
pub const RECENT_BUCKETS: u32 = 16;
/// The index's folder in the output (its address is in [`crate::site::routes`]).
pub const DIR: &str = crate::site::routes::SEARCH_INDEX_DIR;
pub const MAX_NAMES: usize = 2000;
pub const MAX_BODY: usize = 1000;
pub const SPLIT_BYTES: usize = 24 * 1024;
const SNIPPET_CHARS: usize = 240;

/// One file of the index, relative to the output folder.
pub struct IndexFile {
    pub path: String,
    pub contents: String,
}

/// `[df, [doc deltas], [impacts]]` as JSON text, keeping the best `limit` postings.
fn postings(mut list: Vec<(u32, u8)>, limit: usize) -> String {
    let df = list.len();
    // Postings come in story order; only a list cut to its best needs sorting again.
    if list.len() > limit {
        // The best `limit` by impact, the newer story first on a tie (a total order: the same
        // postings as a full sort, found without sorting the tail).
        list.select_nth_unstable_by(limit - 1, |a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        list.truncate(limit);
        list.sort_unstable_by_key(|p| p.0);
    }
    debug_assert!(list.is_sorted_by_key(|p| p.0));
    let mut prev = 0;
    let deltas: Vec<u32> = list.iter().map(|(d, _)| { let delta = d - prev; prev = *d; delta }).collect();
    let impacts: Vec<u8> = list.iter().map(|p| p.1).collect();
    serde_json::to_string(&(df, deltas, impacts)).expect("postings serialise")
}

/// What a names shard holds of one term, placed by its folded `text`, `size` bytes in the file.
struct ShardEntry {
    text: String,
    item: ShardItem,
    size: usize,
}

enum ShardItem {
    Names { key: String, postings: String },
    Body { df: usize },
}

/// Puts entries in the shards named by the first `len` characters of their text; a shard over
/// [`SPLIT_BYTES`] keeps only the entries whose text is that short, the others are placed by one
/// more character (and so on).
fn place_in_shards(entries: Vec<ShardEntry>, len: usize, shards: &mut BTreeMap<String, Shard>) {
    let mut groups: BTreeMap<String, Vec<ShardEntry>> = BTreeMap::new();
    for e in entries {
        groups.entry(prefix(&e.text, len)).or_default().push(e);
    }
    for (name, group) in groups {
        let size: usize = group.iter().map(|e| e.size).sum();
        let (longer, here): (Vec<ShardEntry>, Vec<ShardEntry>) = if size > SPLIT_BYTES { group.into_iter().partition(|e| e.text.chars().count() > len) } else { (Vec::new(), group) };
        if !here.is_empty() {
            let shard = shards.entry(name).or_default();
            for e in here {
                match e.item {
                    ShardItem::Names { key, postings } => {
                        shard.names.insert(key, postings);
                    }
                    ShardItem::Body { df } => {
                        shard.body.insert(e.text, df);
                    }
                }
            }
        }
        if !longer.is_empty() {
            place_in_shards(longer, len + 1, shards);
        }
    }
}

/// A names shard: the names-tier terms with their postings (JSON text), the body vocabulary
/// with document frequencies.
#[derive(Default)]
struct Shard {
    names: BTreeMap<String, String>,
    body: BTreeMap<String, usize>,
}

impl Shard {
    /// `{"b": {word: df, …}, "t": {term: postings, …}}`, keys sorted.
    fn to_json(&self) -> String {
        format!("{{\"b\":{},\"t\":{}}}", serde_json::to_string(&self.body).expect("vocabulary serialises"), self.names_json())
    }

    /// `{term: postings, …}`, keys sorted.
    fn names_json(&self) -> String {
        postings_object(self.names.iter().map(|(term, postings)| (term.as_str(), postings.as_str())))
    }
}

/// `{key: postings, …}` from keys and postings already written as JSON.
fn postings_object<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::from("{");
    for (i, (key, postings)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("keys serialise"));
        out.push(':');
        out.push_str(postings);
    }
    out.push('}');
    out
}

/// The text a key is placed by, in shards and recent files: the key folded (an exact key without
/// its `=`, a pair with its space). The client finds a key by the same text (`keyShard`).
fn placement(key: &str) -> String {
    text::fold(key.strip_prefix(EXACT_PREFIX).unwrap_or(key))
}

fn prefix(word: &str, len: usize) -> String {
    word.chars().take(len).map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The recent file of a term placed by `placement`: FNV-1a of its first two characters (as
/// shard prefixes write them), as `recentBucket` in `tim-kiem.js` computes it.
pub fn recent_bucket(placement: &str) -> u32 {
    prefix(placement, 2).bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193)) % RECENT_BUCKETS
}

/// Longest body word file name written out in full. File systems refuse names over 255 bytes, and
/// one long "word" (251 letters, or a sentence of Chinese without spaces) would exceed it.
const MAX_FULL_NAME: usize = 64;
/// What a longer name keeps of itself before its hash.
const KEPT_OF_LONG_NAME: usize = 40;

/// File name of a body word: `[a-z0-9]` kept, anything else as `_<hex>`; a name longer than
/// [`MAX_FULL_NAME`] is cut and ends in `~` and two FNV-1a hashes of the whole name (the same
/// arithmetic as `bodyFileName` in `tim-kiem.js`).
pub fn body_file_name(word: &str) -> String {
    let name: String = word
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c.to_string() } else { format!("_{:x}", c as u32) })
        .collect();
    if name.len() <= MAX_FULL_NAME {
        return name;
    }
    let fnv1a = |basis: u32| name.bytes().fold(basis, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    // The name is ASCII: any byte is a character boundary.
    format!("{}~{:08x}{:08x}", &name[..KEPT_OF_LONG_NAME], fnv1a(0x811c_9dc5), fnv1a(0x050c_5d1f))
}

/// What a search result shows, in the client's `d/<doc>.json` and the server's API.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "n")]
    pub unit: Option<String>,
    #[serde(rename = "l")]
    pub locality: String,
    #[serde(rename = "k")]
    pub kind: &'static str,
    #[serde(rename = "y")]
    pub year: i32,
    #[serde(rename = "m")]
    pub movements: Vec<String>,
    #[serde(rename = "s")]
    pub snippet: String,
}

impl Card {
    pub fn of(index: &SiteIndex<'_>, i: usize) -> Card {
        let s = index.stories[i];
        let snippet = if s.summary.is_empty() { crate::content::markdown::scan(&s.body).first_paragraph } else { s.summary.clone() };
        Card {
            title: s.title.clone(),
            url: crate::site::routes::story(&s.slug),
            unit: s.unit.clone(),
            locality: s.locality.label().unwrap_or_default(),
            kind: s.kind.label(),
            year: s.year(),
            movements: index.movements.iter().filter(|m| s.movements.contains(&m.id)).map(|m| m.display_title().to_string()).collect(),
            snippet: crate::content::markdown::truncate_words(&snippet, SNIPPET_CHARS),
        }
    }
}

/// Every story's card, by index position: made once per build for the client index's fragments
/// and the engine's results.
pub fn cards(index: &SiteIndex<'_>) -> Vec<Card> {
    (0..index.stories.len()).into_par_iter().map(|i| Card::of(index, i)).collect()
}

/// A story's id in the index: 0 for the oldest, so that a new story takes the next number and the
/// others keep theirs (the site index lists stories newest first).
pub fn doc_id(stories: usize, position: usize) -> u32 {
    (stories - 1 - position) as u32
}

/// Postings by index position → by id, ascending; split at `sealed` into the sealed and the
/// recent stories' postings.
fn by_id(list: Vec<(u32, u8)>, stories: usize, sealed: u32) -> (Vec<(u32, u8)>, Vec<(u32, u8)>) {
    let mut ids: Vec<(u32, u8)> = list.into_iter().rev().map(|(position, impact)| (doc_id(stories, position as usize), impact)).collect();
    debug_assert!(ids.is_sorted_by_key(|p| p.0));
    let recent = ids.split_off(ids.partition_point(|p| p.0 < sealed));
    (ids, recent)
}

/// Builds every file of the index; `cards` are [`cards`] of `index`.
pub fn write_index(index: &SiteIndex<'_>, cards: &[Card], base_path: &str) -> Vec<IndexFile> {
    let mut files = Vec::new();
    let stories = index.stories.len();
    let sealed = crate::search::sealed_stories(stories) as u32;

    let avg_len = terms::average_body_length(index);
    let terms::Inverted { names, body } = terms::invert(index, avg_len);

    // Postings by id, sealed and recent apart. Postings and file contents are made in parallel:
    // on a national site they are millions of entries.
    let names: Vec<(String, String, Vec<(u32, u8)>, Vec<(u32, u8)>)> = names
        .into_par_iter()
        .map(|(key, list)| {
            let (old, new) = by_id(list, stories, sealed);
            (placement(&key), key, old, new)
        })
        .collect();
    let body: Vec<(String, Vec<(u32, u8)>, Vec<(u32, u8)>)> = body
        .into_par_iter()
        .map(|(word, list)| {
            let (old, new) = by_id(list, stories, sealed);
            (word, old, new)
        })
        .collect();

    // The recent stories' terms by bucket: names-tier terms and body words, each with postings.
    type Terms<'t> = BTreeMap<&'t str, String>;
    let mut recent: BTreeMap<u32, (Terms<'_>, Terms<'_>)> = BTreeMap::new();
    for (word, key, _, new) in names.iter().filter(|n| !n.3.is_empty()) {
        recent.entry(recent_bucket(word)).or_default().0.insert(key, postings(new.clone(), usize::MAX));
    }
    for (word, _, new) in body.iter().filter(|b| !b.2.is_empty()) {
        recent.entry(recent_bucket(word)).or_default().1.insert(word, postings(new.clone(), usize::MAX));
    }
    // Every bucket has its file while there are recent stories (a query may ask any of them).
    if (sealed as usize) < stories {
        for bucket in 0..RECENT_BUCKETS {
            let (names, body) = recent.remove(&bucket).unwrap_or_default();
            let as_object = |terms: &Terms<'_>| postings_object(terms.iter().map(|(key, postings)| (*key, postings.as_str())));
            let contents = format!("{{\"b\":{},\"t\":{}}}", as_object(&body), as_object(&names));
            files.push(IndexFile { path: format!("{DIR}/r/{bucket}.json"), contents });
        }
    }

    // Names shards of the sealed stories, by two characters, split further while too large.
    let names: Vec<(String, String, String)> = names
        .into_par_iter()
        .filter(|n| !n.2.is_empty())
        .map(|(word, key, old, _)| (word, key, postings(old, MAX_NAMES)))
        .collect();
    let mut entries: Vec<ShardEntry> = names.into_iter().map(|(text, key, postings)| ShardEntry { size: key.len() + postings.len() + 4, text, item: ShardItem::Names { key, postings } }).collect();
    entries.extend(body.iter().filter(|b| !b.1.is_empty()).map(|(word, old, _)| {
        let df = old.len();
        ShardEntry { size: word.len() + df.to_string().len() + 4, text: word.clone(), item: ShardItem::Body { df } }
    }));
    let mut by_prefix: BTreeMap<String, Shard> = BTreeMap::new();
    place_in_shards(entries, 2, &mut by_prefix);
    let shard_names: Vec<&String> = by_prefix.keys().collect();
    let entry_shards = json!(shard_names);
    files.par_extend(by_prefix.par_iter().map(|(p, shard)| IndexFile { path: format!("{DIR}/t/{p}.json"), contents: shard.to_json() }));
    files.par_extend(body.into_par_iter().filter(|b| !b.1.is_empty()).map(|(word, old, _)| IndexFile {
        path: format!("{DIR}/b/{}.json", body_file_name(&word)),
        contents: postings(old, MAX_BODY),
    }));

    // Fragments, by id.
    files.par_extend(cards.par_iter().enumerate().map(|(position, card)| IndexFile {
        path: format!("{DIR}/d/{}.json", doc_id(stories, position)),
        contents: serde_json::to_string(card).expect("card serialises"),
    }));

    // Facets: labels in the entry, per-story values (by id) in facets.json.
    let all_facets = facets::facets(index);
    let per_doc: BTreeMap<&str, Vec<Vec<usize>>> =
        all_facets.iter().map(|f| (f.kind.id(), (0..stories).rev().map(|i| f.story_values(index, i)).collect())).collect();
    files.push(IndexFile { path: format!("{DIR}/facets.json"), contents: serde_json::to_string(&per_doc).expect("facets serialise") });
    let entry_facets: serde_json::Map<String, serde_json::Value> =
        all_facets.iter().map(|f| (f.kind.id().to_string(), json!({ "label": f.kind.label(), "values": f.values }))).collect();
    let entry = json!({
        "v": FORMAT_VERSION,
        "n": stories,
        "sealed": sealed,
        "recent": if (sealed as usize) < stories { RECENT_BUCKETS } else { 0 },
        "base": base_path,
        "shards": entry_shards,
        "facets": entry_facets,
    });
    files.push(IndexFile { path: crate::site::routes::SEARCH_ENTRY_FILE.to_string(), contents: entry.to_string() });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_delta_coded_and_truncated_by_impact() {
        let v = postings(vec![(5, 10), (1, 200), (9, 50)], 2);
        assert_eq!(v, "[3,[1,8],[200,50]]");
    }

    #[test]
    fn a_large_shard_is_split_by_one_more_character_until_small_keeping_short_terms() {
        let entry = |text: &str, key: &str, size: usize| ShardEntry { text: text.into(), item: ShardItem::Names { key: key.into(), postings: "[]".into() }, size };
        let big = SPLIT_BYTES / 4;
        let entries = vec![
            entry("xa", "xa", big),
            entry("xa4", "=xã4", big),
            entry("xa dien", "xa dien", big),
            entry("xa dong", "xa dong", big),
            entry("xa tan", "xa tan", big),
            entry("an", "an", 10),
            entry("anh", "anh", 10),
        ];
        let mut shards = BTreeMap::new();
        place_in_shards(entries, 2, &mut shards);
        let names: Vec<(&str, Vec<&str>)> = shards.iter().map(|(n, s)| (n.as_str(), s.names.keys().map(String::as_str).collect())).collect();
        // The common syllable keeps its shard; its exact spelling and its pairs leave it, the
        // pairs by their second word once they alone are too large; a small shard is not split.
        assert_eq!(names, [("an", vec!["an", "anh"]), ("xa", vec!["xa"]), ("xa4", vec!["=xã4"]), ("xa_", vec!["xa dien", "xa dong", "xa tan"])]);
        let entries = (0..8).map(|i| entry(&format!("xa d{i}"), &format!("xa d{i}"), big)).chain([entry("xa tan", "xa tan", big)]).collect();
        let mut shards = BTreeMap::new();
        place_in_shards(entries, 2, &mut shards);
        assert_eq!(shards.keys().map(String::as_str).collect::<Vec<_>>(), ["xa_d0", "xa_d1", "xa_d2", "xa_d3", "xa_d4", "xa_d5", "xa_d6", "xa_d7", "xa_t"]);
    }

    #[test]
    fn shard_words_and_file_names() {
        assert_eq!(placement("=điên5"), "dien5");
        assert_eq!(placement("dien quan"), "dien quan");
        assert_eq!(prefix("dien quan", 6), "dien_q");
        assert_eq!(prefix("dien", 2), "di");
        assert_eq!(body_file_name("dien"), "dien");
        assert_eq!(body_file_name("café"), "caf_e9");
        // Long names are cut and hashed, as tim-kiem.js computes them (values from `bodyFileName`
        // under node).
        assert_eq!(body_file_name(&"a".repeat(251)), format!("{}~948e4f6ae2575c48", "a".repeat(40)));
        assert_eq!(body_file_name(&"中文句子没有空格".repeat(7)), "_4e2d_6587_53e5_5b50_6ca1_6709_7a7a_683c~946b82d95b84da03");
    }
}
