//! The fuzz targets' checks, one function per target (`fuzz_targets/<name>.rs` calls it with
//! libFuzzer's input). Being a library, they also run under `cargo test --workspace` over the
//! committed seeds (`tests/seeds.rs`), so a target that no longer compiles or a seed that fails
//! stops CI, not only a nightly fuzzing session.

use std::path::Path;
use std::sync::LazyLock;

use nguoitot::content::{self, source};
use nguoitot::diagnostics::Diagnostics;
use nguoitot::render::markdown;
use nguoitot::text;
use scraper::Html;
use unicode_normalization::UnicodeNormalization;

/// A story file, as staff might write it: any bytes through cleaning, the front matter split, the
/// YAML/TOML parsers and the reader. Never a panic; a story read without errors has a title, and
/// any story read has a slug (a story with errors is kept for the checks across files); a
/// refused one says why.
pub fn front_matter(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let text = source::clean_text(raw.to_string());
    let mut diags = Diagnostics::default();
    let rel = Path::new("content/stories/thu.md");
    if let Some(story) = content::parse_story(&text, rel, rel, &mut diags) {
        assert!(diags.has_errors() || !story.title.trim().is_empty());
        assert!(!story.slug.is_empty());
        // Whatever the locality resolved to (or not), pages and search can show it.
        let _ = (story.locality.label(), story.locality.place.former_label(), story.locality.search_names());
    } else {
        assert!(diags.has_errors(), "a refused story always says why");
    }
    for d in diags.sorted() {
        let _ = d.to_string();
    }
}

/// Markdown → HTML, as every story body goes (after the same cleaning as a file). Never a panic;
/// nothing in the output that a browser would run (parsed as a browser parses it: no
/// script-capable element, no `on…` attribute, no URL whose scheme a browser reads as
/// `javascript:` once tabs, newlines and surrounding controls are dropped); and when the body
/// takes the fast path (written without the sanitizer), exactly what ammonia writes for it.
pub fn markdown(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let text = source::clean_text(raw.to_string());
    let md = text.as_str();
    let html = markdown::to_html(md);
    assert_no_script(&html);
    let (by_sanitizer, fast) = markdown::both_paths(md, &|_, _, _| None);
    if let Some(fast) = fast {
        assert_eq!(fast, by_sanitizer, "the fast path differs from ammonia for {md:?}");
        assert_eq!(html, fast);
    } else {
        assert_eq!(html, by_sanitizer);
    }
    let scan = content::markdown::scan(md);
    let _ = (scan.first_paragraph, scan.images, scan.links);
    let _ = content::markdown::plain_text(md);
    let _ = content::markdown::truncate_words(md, 120);
}

fn assert_no_script(html: &str) {
    let fragment = Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name();
        assert!(!matches!(name, "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math" | "form" | "base" | "meta" | "link"), "<{name}> in {html}");
        for (attribute, value) in element.attrs() {
            assert!(!attribute.to_ascii_lowercase().starts_with("on"), "{attribute} in {html}");
            if !matches!(attribute, "href" | "src" | "srcset" | "action" | "formaction" | "poster" | "cite" | "background" | "data" | "xlink:href") {
                continue;
            }
            let value: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(!value.starts_with("javascript:") && !value.starts_with("vbscript:") && !value.starts_with("data:text/html"), "{attribute}={value} in {html}");
        }
    }
}

/// The slugifier: any text gives an address segment of `[a-z0-9-]`, stable under NFC/NFD.
pub fn slug(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let slug = text::slugify(s);
    assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    assert_eq!(slug, text::slugify(&s.nfd().collect::<String>()), "NFD gives the same slug");
}

/// The Vietnamese analyzer: every form agrees with every other on any text.
pub fn analyzer(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let nfc = text::nfc(s);
    assert_eq!(text::nfc(&nfc), nfc, "NFC is idempotent");
    let tokens = text::tokens(&nfc);
    let folded: Vec<String> = tokens.iter().map(|t| t.folded.clone()).collect();
    assert_eq!(text::folded_words(s), folded, "one-pass folding matches the tokens");
    for t in &tokens {
        assert_eq!(&nfc[t.start..t.end], t.original);
        assert_eq!(text::exact_key(&t.original), t.exact);
        assert!(!t.folded.is_empty());
    }
    let normalized = text::normalize(s);
    assert_eq!(text::normalize(&normalized), normalized, "normalize is idempotent");
    assert!(text::same_name(s, &normalized));
    let _ = text::fold(s);
}

/// The stories the search target queries: a few of the example site's, indexed once.
static ENGINE: LazyLock<nguoitot::search::engine::Engine> = LazyLock::new(|| {
    let files = [
        include_str!("../corpus/front_matter/doc-hai.md"),
        include_str!("../corpus/front_matter/nong-thon-moi-xa-xuan-quang.md"),
        include_str!("../corpus/front_matter/nong-thon-moi-ong-cu-seo-lenh.md"),
        include_str!("../corpus/front_matter/giao-duc-truong-thpt-so-1-thanh-pho-lao-cai.md"),
    ];
    let mut stories = Vec::new();
    for (i, text) in files.iter().enumerate() {
        let rel = format!("content/stories/s{i}.md");
        let mut diags = Diagnostics::default();
        stories.extend(content::parse_story(&source::clean_text(text.to_string()), Path::new(&rel), Path::new(&rel), &mut diags));
    }
    let content = Box::leak(Box::new(content::Content { stories, ..Default::default() }));
    let index = nguoitot::site::index::SiteIndex::build(content, &nguoitot::site::index::Publish::all());
    nguoitot::search::engine::Engine::build(&index).expect("the seed stories index")
});

/// A search query, as a reader types it into `/api/search` or `nguoitot search`: any text through
/// the analyzer, tantivy's matching and the ranking. Never a panic or error; a page of hits is at
/// most the limit and the total, best first, each a story of the site.
pub fn search_query(data: &[u8]) {
    let Ok(query) = std::str::from_utf8(data) else { return };
    let engine = &*ENGINE;
    let limit = 3;
    let request = nguoitot::search::engine::SearchRequest { query, filters: Default::default(), offset: 0, limit };
    let results = engine.query(&request).expect("any query text is answered");
    assert!(results.hits.len() <= limit.min(results.total), "{} hits of {} for {query:?}", results.hits.len(), results.total);
    assert!(results.hits.windows(2).all(|w| w[0].score >= w[1].score), "hits out of order for {query:?}");
    assert!(results.hits.iter().all(|h| h.doc < engine.len()));
}
