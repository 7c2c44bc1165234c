//! The fast path of YAML front matter: the common shapes read straight from the parser's events.
//!
//! Why it exists: YAML was 7.4 % of a build's samples, most of it serde machinery (a `Spanned` map
//! of locations per key and value); reading the common front matter from granit-parser's events —
//! the parser inside serde-saphyr — took reading and checking from 5.3 s to 2.9–3.8 s at 100,000
//! stories (BENCHMARKS.md, item 19). It is kept for that. What it does not read, and every
//! error, goes to serde-saphyr ([`super::parse_any_yaml`]); the tests below check that both give
//! the same tree on every front matter of the repository and on scalars whose type is subtle.

use super::{Node, Value};
use crate::diagnostics::Position;

/// The common front matter — block and flow maps and lists of scalars, without anchors, aliases,
/// tags or repeated keys — read straight from the events of granit-parser, the parser serde-saphyr
/// itself uses: going through serde with a `Spanned` for every key and value was four fifths of
/// the cost of YAML. A plain scalar is typed here only where serde-saphyr's typing is plain to
/// see (text that cannot be a number, boolean or null; a decimal integer; a date). Anything else,
/// and every error, returns `None`, and serde-saphyr reads the whole text (tests compare the two).
pub(super) fn parse_common_yaml(text: &str, first_line: usize) -> Option<Node> {
    use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

    enum Open {
        Seq(Vec<Node>, Position),
        Map(Vec<(String, Position, Node)>, Position, Option<(String, Position)>),
    }
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let position = Position::new(span.start.line() + first_line - 1, span.start.col() + 1);
        let done = match event {
            Event::StreamStart | Event::DocumentStart(..) | Event::DocumentEnd | Event::StreamEnd => continue,
            Event::SequenceStart(_, 0, None) => {
                open.push(Open::Seq(Vec::new(), position));
                continue;
            }
            Event::MappingStart(_, 0, None) => {
                open.push(Open::Map(Vec::new(), position, None));
                continue;
            }
            Event::SequenceEnd => match open.pop()? {
                Open::Seq(items, at) => Node { value: Value::Seq(items), position: at },
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match open.pop()? {
                Open::Map(entries, at, None) => Node { value: Value::Map(entries), position: at },
                _ => return None,
            },
            Event::Scalar(text_, style, 0, None) => {
                if let Some(Open::Map(entries, _, key @ None)) = open.last_mut() {
                    // A key: text, once per map.
                    let is_text = style != ScalarStyle::Plain || matches!(plain_scalar(&text_), Some(Value::Str(_)));
                    if !is_text || text_.is_empty() || entries.iter().any(|(k, _, _)| *k == text_) {
                        return None;
                    }
                    *key = Some((text_.into_owned(), position));
                    continue;
                }
                let value = match style {
                    ScalarStyle::Plain => plain_scalar(&text_)?,
                    _ => Value::Str(text_.into_owned()),
                };
                Node { value, position }
            }
            // Anchors, aliases, tags, comments.
            _ => return None,
        };
        match open.last_mut() {
            Some(Open::Seq(items, _)) => items.push(done),
            Some(Open::Map(entries, _, key)) => {
                let (k, at) = key.take()?;
                entries.push((k, at, done));
            }
            None if root.is_none() => root = Some(done),
            None => return None,
        }
    }
    root
}

/// serde-saphyr's type of a plain scalar where it is plain to see; `None` where it may be a
/// boolean, null, number or special float, which serde-saphyr decides.
fn plain_scalar(text_: &str) -> Option<Value> {
    let bytes = text_.as_bytes();
    // The parser gives an empty value as `~`.
    let Some(&first) = bytes.first().filter(|_| text_ != "~") else { return Some(Value::Null) };
    let is_date = bytes.len() == 10 && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if is_date {
        return Some(Value::Str(text_.to_string()));
    }
    if bytes.iter().all(u8::is_ascii_digit) && (first != b'0' || bytes.len() == 1) && bytes.len() <= 18 {
        return text_.parse().ok().map(Value::Int);
    }
    const MAYBE_TYPED: [&str; 12] = ["y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf", "infinity"];
    let typed_start = first.is_ascii_digit() || b"+-.~ ".contains(&first);
    if typed_start || (text_.len() <= 8 && MAYBE_TYPED.contains(&text_.to_ascii_lowercase().as_str())) {
        return None;
    }
    Some(Value::Str(text_.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::parse_any_yaml;
    use super::*;

    /// The events path gives what serde-saphyr gives, or leaves the text to it.
    fn same_as_serde_saphyr(text: &str) -> bool {
        let common = parse_common_yaml(text, 2);
        if let Some(node) = &common {
            assert_eq!(Ok(node), parse_any_yaml(text, 2).as_ref().map_err(|e| e.message.clone()), "{text}");
        }
        common.is_some()
    }

    #[test]
    fn every_front_matter_of_the_repository_reads_as_serde_saphyr_reads_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut read, mut common) = (0, 0);
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                let Ok(raw) = std::fs::read_to_string(entry.path()) else { continue };
                let text = crate::content::source::clean_text(raw);
                let Ok(split) = crate::content::source::split_front_matter(&text) else { continue };
                if split.format == crate::content::source::FrontMatterFormat::Yaml {
                    read += 1;
                    common += usize::from(same_as_serde_saphyr(split.front_matter));
                }
            }
        }
        assert!(read > 20 && common * 10 >= read * 9, "{common} of {read} front matters read from events");
    }

    #[test]
    fn scalars_whose_type_serde_saphyr_decides_are_left_to_it() {
        let typed = [
            "a: yes", "a: No", "a: on", "a: OFF", "a: y", "a: true", "a: False", "a: null", "a: ~", "a: .inf", "a: -.inf",
            "a: .NaN", "a: nan", "a: inf", "a: 007", "a: 0x1F", "a: 0o17", "a: +12", "a: -12", "a: 1.5", "a: 1e3",
            "a: 1_000", "a: 12345678901234567890", "a: 2021-1-1", "a: 12:30", "a: &x 1\nb: *x", "a: !!str 12",
            "yes: 1", "1: a", "a: 1\na: 2", "a: [1, b, {c: d}]", "a:\n  - 1\n  - x\n", "- a\n- 2",
        ];
        for text in typed {
            same_as_serde_saphyr(text);
        }
        for text in [
            "title: \"Điện Quan\"\nkind: ca-nhan\nmovements: [dan-van-kheo, nong-thon-moi]\nunit:\ndate: 2021-03-05\nyear: 2021",
            "a: 'x: y'\nb: |\n  dòng một\n  dòng hai\nc: >\n  gấp\n  lại\nd: 0\ne: Ông Nguyễn Văn A\nf: Bằng khen 2021",
            "locality:\n  province: Lào Cai\n  district: Huyện Bắc Hà\nawards:\n  - title: \"Bằng khen\"\n    year: 2020\n  - {title: Giấy khen, year: 2019}",
        ] {
            assert!(same_as_serde_saphyr(text), "read from events: {text}");
        }
    }
}
