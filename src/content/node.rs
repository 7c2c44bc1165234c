//! A located, format-neutral tree of front matter values.
//!
//! YAML (serde-saphyr) and TOML (toml) front matter both become a [`Node`] tree that remembers
//! the line and column of every key and value. The model is then read from it by
//! [`super::reader`], which can report *every* problem of a file in Vietnamese at its exact
//! position — something serde's derive (English messages, first error only) cannot do.
//!
//! serde-saphyr is the YAML crate: maintained, pure Rust, YAML 1.2 (no `no` → false surprises),
//! budgets against alias bombs, and `Spanned<T>` gives the location of every value.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::Position;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub position: Position,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order, each with its own position.
    Map(Vec<(String, Position, Node)>),
}

impl Node {
    /// The tree as JSON (positions dropped), e.g. to validate front matter against a JSON Schema.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into),
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries.iter().map(|(k, _, v)| (k.clone(), v.to_json())).collect::<serde_json::Map<_, _>>().into(),
        }
    }
}

impl Value {
    /// Vietnamese name of the value's type, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "giá trị rỗng",
            Value::Bool(_) => "giá trị đúng/sai",
            Value::Int(_) => "số nguyên",
            Value::Float(_) => "số thực",
            Value::Str(_) => "chuỗi",
            Value::Seq(_) => "danh sách",
            Value::Map(_) => "bảng khóa–giá trị",
        }
    }
}

/// A parser error with its position in the file.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub position: Position,
}

/// Parses YAML front matter that starts at `first_line` of its file.
pub fn parse_yaml(text: &str, first_line: usize) -> Result<Node, ParseError> {
    if text.trim().is_empty() {
        return Ok(Node { value: Value::Map(Vec::new()), position: Position::new(first_line, 1) });
    }
    match parse_common_yaml(text, first_line) {
        Some(node) => Ok(node),
        None => parse_any_yaml(text, first_line),
    }
}

/// Any YAML, through serde-saphyr: its types, anchors and aliases within budgets, its messages.
fn parse_any_yaml(text: &str, first_line: usize) -> Result<Node, ParseError> {
    match serde_saphyr::from_str::<SpannedNode>(text) {
        Ok(SpannedNode(node)) => Ok(moved(node, first_line - 1)),
        Err(e) => {
            let position = e
                .location()
                .map(|l| Position::new(l.line() as usize + first_line - 1, l.column() as usize))
                .unwrap_or(Position::new(first_line, 1));
            let message = e.without_snippet().to_string();
            let message = message.lines().next().unwrap_or_default();
            // The parser counts lines inside the front matter; we already report file positions.
            let message = message.split(" at line ").next().unwrap_or(message);
            Err(ParseError {
                message: format!(
                    "cú pháp YAML không hợp lệ ({message}); kiểm tra dấu hai chấm, dấu nháy, dấu ngoặc và thụt lề"
                ),
                position,
            })
        }
    }
}

/// The common front matter — block and flow maps and lists of scalars, without anchors, aliases,
/// tags or repeated keys — read straight from the events of granit-parser, the parser serde-saphyr
/// itself uses: going through serde with a `Spanned` for every key and value was four fifths of
/// the cost of YAML. A plain scalar is typed here only where serde-saphyr's typing is plain to
/// see (text that cannot be a number, boolean or null; a decimal integer; a date). Anything else,
/// and every error, returns `None`, and serde-saphyr reads the whole text (tests compare the two).
fn parse_common_yaml(text: &str, first_line: usize) -> Option<Node> {
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

/// Parses TOML front matter that starts at `first_line` of its file.
pub fn parse_toml(text: &str, first_line: usize) -> Result<Node, ParseError> {
    let locate = |offset: usize| {
        let p = Position::of_offset(text, offset);
        Position::new(p.line + first_line - 1, p.column)
    };
    match toml::de::DeTable::parse(text) {
        Ok(table) => {
            let span = table.span();
            Ok(from_toml_table(table.into_inner(), locate(span.start), &locate))
        }
        Err(e) => Err(ParseError {
            message: format!("cú pháp TOML không hợp lệ: {}", e.message()),
            position: e.span().map_or(Position::new(first_line, 1), |s| locate(s.start)),
        }),
    }
}

fn from_toml_table(
    table: toml::de::DeTable<'_>,
    position: Position,
    locate: &dyn Fn(usize) -> Position,
) -> Node {
    let mut entries = Vec::new();
    for (key, value) in table {
        let key_pos = locate(key.span().start);
        entries.push((key.into_inner().into_owned(), key_pos, from_toml_value(value, locate)));
    }
    Node { value: Value::Map(entries), position }
}

fn from_toml_value(value: toml::Spanned<toml::de::DeValue<'_>>, locate: &dyn Fn(usize) -> Position) -> Node {
    use toml::de::DeValue;
    let position = locate(value.span().start);
    let value = match value.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Str(i.as_str().to_string())),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().map(Value::Float).unwrap_or(Value::Null),
        DeValue::Boolean(b) => Value::Bool(b),
        // Dates are validated as text by the reader, like YAML's unquoted dates.
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(items.into_iter().map(|v| from_toml_value(v, locate)).collect()),
        DeValue::Table(t) => return from_toml_table(t, position, locate),
    };
    Node { value, position }
}

/// A [`Node`] as serde-saphyr reads it: the value and every key and child `Spanned`, lines counted
/// from the front matter's first line ([`moved`] puts them on the file's lines).
struct SpannedNode(Node);

fn yaml_position(loc: &serde_saphyr::Location) -> Position {
    Position::new(loc.line() as usize, loc.column() as usize)
}

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<NodeValue>::deserialize(deserializer)?;
        Ok(SpannedNode(Node { value: spanned.value.0, position: yaml_position(&spanned.referenced) }))
    }
}

/// A node's value, its children read as [`SpannedNode`]s.
struct NodeValue(Value);

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(NodeValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Str(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
            let SpannedNode(value) = map.next_value()?;
            entries.push((key.value, yaml_position(&key.referenced), value));
        }
        Ok(Value::Map(entries))
    }
}

/// `node` with its lines moved down by `lines`.
fn moved(mut node: Node, lines: usize) -> Node {
    node.position.line += lines;
    node.value = match node.value {
        Value::Seq(items) => Value::Seq(items.into_iter().map(|n| moved(n, lines)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, mut at, value)| {
                    at.line += lines;
                    (key, at, moved(value, lines))
                })
                .collect(),
        ),
        value => value,
    };
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node) -> Vec<(String, Position)> {
        match &node.value {
            Value::Map(e) => e.iter().map(|(k, p, _)| (k.clone(), *p)).collect(),
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn yaml_keys_are_located_in_the_file() {
        let node = parse_yaml("title: Điện Quan\nawards:\n  - title: Bằng khen\n", 2).unwrap();
        let k = keys(&node);
        assert_eq!(k[0], ("title".into(), Position::new(2, 1)));
        assert_eq!(k[1], ("awards".into(), Position::new(3, 1)));
    }

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

    #[test]
    fn toml_keys_are_located_in_the_file() {
        let node = parse_toml("title = \"A\"\nyear = 2021\n", 2).unwrap();
        let k = keys(&node);
        assert_eq!(k[1], ("year".into(), Position::new(3, 1)));
    }

    #[test]
    fn syntax_errors_carry_a_file_line() {
        let e = parse_yaml("title: A\nkind: [unclosed\n", 2).unwrap_err();
        assert!(e.position.line >= 3, "{e:?}");
        let e = parse_toml("title = \n", 5).unwrap_err();
        assert_eq!(e.position.line, 5);
    }
}
