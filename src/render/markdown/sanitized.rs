//! The HTML of Markdown without raw HTML, written as the sanitizer would leave it, without
//! running the sanitizer over it.
//!
//! ammonia parses and re-serialises every body it is given (a tenth of a build's instructions).
//! For Markdown without raw HTML, pulldown-cmark's writer already produces only what the
//! sanitizer keeps, except in the few places written here: links get `rel` and lose a URL whose
//! scheme is not allowed (the sanitizer's own check, with the same URL parser); `<br>` and `<hr>`
//! lose their slash; table alignment styles lose a space; code blocks lose their language class;
//! no-break spaces are written `&nbsp;`; images (markup made by this program) go through the
//! sanitizer one by one. Anything else — raw HTML, heading classes or attributes, footnotes, text
//! with characters the HTML parser would change — is refused by [`accepts`], and the caller
//! sanitizes the whole body as before. Tests check the result equals the sanitizer's output for
//! the same Markdown, so the output of a build does not depend on which path a body took.
//!
//! Why it exists: the sanitizer's round trip was ~9 % of a build's instructions; without it,
//! 3.90 G → 3.52 G instructions at 2,000 stories, rendering −20 % (BENCHMARKS.md, item 31). It is
//! kept for that. It is the boundary against script in content, so the `markdown` fuzz target
//! compares it with the sanitizer too (`fuzz/`).

use pulldown_cmark::{html, Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

/// URL schemes a link may have (the sanitizer is configured with the same list).
pub(super) const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
/// What the sanitizer sets as every link's `rel`.
pub(super) const LINK_REL: &str = "noopener";

/// Whether [`to_html`] may write `events`: nothing the sanitizer would change other than what
/// [`to_html`] writes itself. The caller has refused content with raw HTML: the inline HTML among
/// `events` is the image markup this program made.
pub(super) fn accepts(events: &[Event<'_>]) -> bool {
    events.iter().all(|event| match event {
        Event::Text(text) | Event::Code(text) => !parser_would_change(text),
        Event::SoftBreak | Event::HardBreak | Event::Rule | Event::InlineHtml(_) => true,
        Event::Start(Tag::Heading { id, classes, attrs, .. }) => {
            classes.is_empty() && attrs.is_empty() && !id.as_deref().is_some_and(has_nbsp)
        }
        Event::Start(Tag::Link { title, .. }) => !parser_would_change(title),
        Event::Start(
            Tag::Paragraph
            | Tag::BlockQuote(None)
            | Tag::CodeBlock(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell,
        ) => true,
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(None)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell,
        ) => true,
        // Raw HTML, footnotes, and what the parser's options never produce.
        _ => false,
    })
}

/// The HTML of `events`, which [`accepts`] accepted. `sanitize` cleans the image markup.
pub(super) fn to_html(events: Vec<Event<'_>>, capacity: usize, sanitize: impl Fn(&str) -> String) -> String {
    debug_assert!(accepts(&events));
    let mut table = TableState::default();
    let mut void_elements = false;
    let events = events.into_iter().map(|event| match event {
        Event::Text(text) if has_nbsp(&text) => Event::InlineHtml(text_html(&text).into()),
        Event::Code(text) if has_nbsp(&text) => Event::InlineHtml(format!("<code>{}</code>", text_html(&text)).into()),
        Event::HardBreak | Event::Rule => {
            void_elements = true;
            event
        }
        Event::InlineHtml(image) => Event::InlineHtml(sanitize(&image).into()),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced("".into()))),
        Event::Start(Tag::Link { link_type, dest_url, title, .. }) => Event::InlineHtml(link_html(link_type, &dest_url, &title).into()),
        Event::Start(Tag::TableCell) => Event::InlineHtml(table.cell().into()),
        event => {
            table.follow(&event);
            event
        }
    });
    let mut out = String::with_capacity(capacity);
    html::push_html(&mut out, events);
    // Only the writer's own tags can read `<br />` or `<hr />` here: text escapes `<`, and link
    // URLs and titles were written above.
    if void_elements {
        out = out.replace("<br />", "<br>").replace("<hr />", "<hr>");
    }
    out
}

/// Where the writer is in a table, to write its cells' alignment.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl TableState {
    fn follow(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Table(alignments)) => self.alignments = alignments.clone(),
            Event::Start(Tag::TableHead) => (self.in_head, self.cell) = (true, 0),
            Event::Start(Tag::TableRow) => self.cell = 0,
            Event::End(TagEnd::TableHead) => self.in_head = false,
            _ => {}
        }
    }

    fn cell(&mut self) -> String {
        let element = if self.in_head { "th" } else { "td" };
        let align = match self.alignments.get(self.cell) {
            Some(Alignment::Left) => " style=\"text-align:left\"",
            Some(Alignment::Center) => " style=\"text-align:center\"",
            Some(Alignment::Right) => " style=\"text-align:right\"",
            _ => "",
        };
        self.cell += 1;
        format!("<{element}{align}>")
    }
}

/// `<a …>` as the sanitizer leaves pulldown-cmark's: the URL as the writer escapes it, kept only if
/// the sanitizer would keep it; the title; `rel`.
fn link_html(link_type: LinkType, dest: &str, title: &str) -> String {
    let mut escaped = String::with_capacity(dest.len() + 7);
    if link_type == LinkType::Email {
        escaped.push_str("mailto:");
    }
    pulldown_cmark_escape::escape_href(&mut escaped, dest).expect("writing to a String does not fail");
    // The attribute's value as the sanitizer reads it (the two references escape_href writes).
    let href = escaped.replace("&amp;", "&").replace("&#x27;", "'");
    let mut html = String::with_capacity(href.len() + title.len() + 40);
    html.push_str("<a");
    if allowed_url(&href) {
        html.push_str(" href=\"");
        push_attribute(&mut html, &href);
        html.push('"');
    }
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_attribute(&mut html, title);
        html.push('"');
    }
    html.push_str(" rel=\"");
    html.push_str(LINK_REL);
    html.push_str("\">");
    html
}

/// ammonia's rule for URL attributes: an absolute URL needs an allowed scheme, a relative one passes,
/// one that does not parse is dropped.
fn allowed_url(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Characters the HTML parser replaces or drops (`\r`, NUL): they can come from character references.
fn parser_would_change(text: &str) -> bool {
    memchr::memchr2(b'\r', 0, text.as_bytes()).is_some()
}

fn has_nbsp(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), "\u{a0}".as_bytes()).is_some()
}

/// Text as the HTML serializer writes it.
fn text_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    push_escaped(&mut html, text, false);
    html
}

/// An attribute value as the HTML serializer writes it.
fn push_attribute(html: &mut String, value: &str) {
    push_escaped(html, value, true);
}

/// html5ever's escaping: `&`, `<`, `>` and no-break spaces, and in attribute values `"` too.
fn push_escaped(html: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '\u{a0}' => html.push_str("&nbsp;"),
            '"' if attribute => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}

/// The fast path written beside the sanitizer, on every construct: both give the same bytes.
#[cfg(test)]
mod tests {
    use super::super::clean;

    /// The HTML of `markdown` written without the sanitizer and by it, when written without it.
    fn both_paths(markdown: &str) -> Option<(String, String)> {
        both_paths_with(markdown, &|_, _, _| None)
    }

    fn both_paths_with(markdown: &str, picture: &dyn Fn(&str, &str, bool) -> Option<String>) -> Option<(String, String)> {
        let (by_sanitizer, written) = super::super::both_paths(markdown, picture);
        written.map(|written| (written, by_sanitizer))
    }

    /// Markdown without raw HTML: every construct the options allow, URLs of every kind, text the
    /// HTML serializer escapes its own way.
    const PIECES: [&str; 52] = [
        "Đoạn *một* **hai** ~~ba~~ `mã` \"trích\" 'đơn' a&b < > d\u{a0}e.",
        "\n\n",
        "dòng  \ncứng",
        "dòng\\\nngắt",
        "\n\n---\n\n",
        "\n- a\n- ---\n",
        "\n1. x\n2. y\n\n",
        "\n3) z\n",
        "\n> trích *dẫn*\n",
        "[a](https://x.vn/a?b=1&c=2 \"t<\\\"&\u{a0}>\")",
        "[j](javascript:alert(1))",
        "[j2](JAVASCRIPT:x)",
        "[d](data:text/html,x)",
        "[e](java&#9;script:x)",
        "[e2](java&#10;script:x)",
        "<https://auto.link/x'y\"z>",
        "<a@b.c>",
        "[m](mailto:x@y.vn)",
        "[t](tel:+84123)",
        "[rel](khac.md#x)",
        "[abs](/a/b'c)",
        "[p](//evil.test/x)",
        "[h](http://[::1/)",
        "[bad](http://%zz/)",
        "[q](?a=1&b='2')",
        "[f](#frag)",
        "[w](https:x)",
        "[sp](<u v>)",
        "[tt](u \"a\u{a0}b\")",
        "[nb](a\u{a0}b)",
        "![img](https://x.vn/a.jpg \"t\")",
        "![own](/anh/b.jpg)",
        "![rel *nghiêng*](anh.jpg)",
        "[![lồng](/anh/c.jpg)](https://x.vn)",
        "\n\n| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n| 5 |\n\n",
        "\n\n```rust\nfn x() { a < b && c }\n```\n",
        "\n\n```\nthuần <b>\u{a0}\n```\n",
        "\n\n    thụt lề &\n\n",
        "\n## Tiêu đề `mã` [liên kết](/x)\n",
        "\n# Trùng\n\n# Trùng\n",
        "\n# Có id {#rieng}\n",
        "&nbsp;&amp;&lt;&#160;&gt;",
        "&copy; &#x27; &quot; &#1; &#0;",
        "*nhấn*_nghiêng_ __đậm__",
        "\t tab",
        "\nTiêu đề\n===\n",
        "www.example.com",
        "`a\u{a0}b`",
        "\\<b\\>",
        "\n\n* [ ] việc\n",
        "1\\. không phải danh sách",
        "> - trích\n>   danh sách\n",
    ];

    #[test]
    fn bodies_written_without_the_sanitizer_equal_its_output() {
        for piece in PIECES {
            let (written, by_sanitizer) = both_paths(piece).unwrap_or_else(|| panic!("refused: {piece:?}"));
            assert_eq!(written, by_sanitizer, "{piece:?}");
            assert_eq!(clean(&written), written, "not a fixed point of the sanitizer: {piece:?}");
        }
    }

    #[test]
    fn body_images_agree_on_both_paths() {
        let image = crate::imageproc::ProcessedImage {
            variants: Vec::new(),
            width: 960,
            height: 640,
            og: None,
            srcset_jpeg: "/anh/a-480.jpg 480w, /anh/a-960.jpg 960w".into(),
            srcset_webp: "/anh/a-480.webp 480w, /anh/a-960.webp 960w".into(),
            src: "/anh/a-960.jpg".into(),
        };
        let picture = |url: &str, alt: &str, first: bool| (url == "anh.jpg").then(|| image.picture_html("/lao-cai", alt, "(min-width: 60rem) 58rem, 100vw", first));
        for markdown in ["![Ảnh \"một\" &lt;b&gt; & c\u{a0}d](anh.jpg)", "a ![x](anh.jpg) b ![y](anh.jpg)\n\n[![z](anh.jpg)](/x)", "![ngoài](https://x.vn/a.jpg) ![khác](khac.jpg)"] {
            let (written, by_sanitizer) = both_paths_with(markdown, &picture).unwrap_or_else(|| panic!("refused: {markdown:?}"));
            assert_eq!(written, by_sanitizer, "{markdown:?}");
        }
    }

    #[test]
    fn mixed_documents_agree_on_both_paths() {
        // Pieces joined in a pseudo-random order (xorshift): constructs meet inside each other.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as usize
        };
        for _ in 0..3000 {
            let document: String = (0..next() % 9 + 1).map(|_| PIECES[next() % PIECES.len()]).collect();
            let (written, by_sanitizer) = both_paths(&document).unwrap_or_else(|| panic!("refused: {document:?}"));
            assert_eq!(written, by_sanitizer, "{document:?}");
        }
    }

    #[test]
    fn links_written_without_the_sanitizer_lose_script_urls_and_get_rel() {
        let markdown = "[a](javascript:alert(1)) [b](JAVA&#9;SCRIPT:alert(2)) [c](vbscript:x) [d](https://x.vn/?q=\"<x>\")";
        assert!(both_paths(markdown).is_some(), "written without the sanitizer");
        let html = super::super::to_html(markdown);
        assert!(html.contains("<a rel=\"noopener\">a</a>") && html.contains("<a rel=\"noopener\">c</a>"), "{html}");
        // The tab is percent-encoded: no scheme, a relative path (as ammonia leaves it too).
        assert!(html.contains("href=\"JAVA%09SCRIPT:alert(2)\""), "{html}");
        assert_eq!(html.matches("rel=\"noopener\"").count(), 4, "{html}");
        assert!(html.contains("href=\"https://x.vn/?q=%22%3Cx%3E%22\""), "{html}");
    }

    #[test]
    fn raw_html_footnotes_heading_classes_and_carriage_returns_go_through_the_sanitizer() {
        for markdown in ["<b>x</b>", "a <span>b</span>", "<!-- c -->", "x[^1]\n\n[^1]: y", "# T {.c}", "# T {data-x=1}", "# T {#a\u{a0}b}", "a &#13; b", "[a](u \"&#13;\")"] {
            assert!(both_paths(markdown).is_none(), "{markdown:?}");
        }
        let html = super::super::to_html("# T {onclick=alert(1) .c}\n\n<img src=x onerror=alert(1)>");
        assert!(html.contains("<h1 id=\"t\">T</h1>") && !html.contains("onerror") && !html.contains("onclick"), "{html}");
    }
}
