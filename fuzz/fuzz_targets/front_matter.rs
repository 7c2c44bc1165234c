//! A story file, as staff might write it: any bytes through cleaning, the front matter split, the
//! YAML/TOML parsers and the reader. Never a panic; an accepted story has a title and a slug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use nguoitot::content::{self, source};
use nguoitot::diagnostics::Diagnostics;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let text = source::clean_text(raw);
    let mut diags = Diagnostics::default();
    let rel = Path::new("content/stories/thu.md");
    if let Some(story) = content::parse_story(&text, rel, rel, &mut diags) {
        assert!(!story.title.trim().is_empty());
        assert!(!story.slug.is_empty());
    } else {
        assert!(diags.has_errors(), "a refused story always says why");
    }
    for d in diags.sorted() {
        let _ = d.to_string();
    }
});
