//! A located, format-neutral tree of front matter values.
//!
//! YAML (serde-saphyr) and TOML (toml) front matter both become a [`Node`] tree that remembers
//! the line and column of every key and value. The model is then read from it by
//! [`super::reader`], which can report *every* problem of a file in Vietnamese at its exact
//! position — something serde's derive (English messages, first error only) cannot do.
//!
//! serde-saphyr is the YAML crate: maintained, pure Rust, YAML 1.2 (no `no` → false surprises),
//! budgets against alias bombs, and `Spanned<T>` gives the location of every value.

mod events;

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
    match events::parse_common_yaml(text, first_line) {
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
            Err(ParseError { message: yaml_message(message), position })
        }
    }
}

/// The parser's reason in Vietnamese, with what to do, for the mistakes people make and the
/// limits they can hit; for the rare rest, a Vietnamese sentence and the parser's own words
/// (without the program's internals, `Nodes { nodes: 250001 }`).
fn yaml_message(reason: &str) -> String {
    const KNOWN: [(&str, &str); 13] = [
        ("illegal placement of ':'", "dấu hai chấm hoặc dấu ngoặc đặt sai chỗ: giá trị có \": \" hay bắt đầu bằng [ hoặc { thì đặt trong dấu nháy"),
        ("unclosed quote", "dấu nháy mở ở đây chưa được đóng: thêm dấu nháy đóng (\" hoặc ') ở cuối giá trị"),
        ("unclosed bracket", "dấu ngoặc mở ở đây chưa được đóng: thêm ] hoặc } ở cuối danh sách"),
        ("mapping values are not allowed", "có dấu hai chấm không đúng chỗ: giá trị có dấu \": \" thì đặt trong dấu nháy, ví dụ title: \"Chị Hoà: người tốt\"; hoặc một dòng bị thụt lề thừa"),
        ("did not find expected key", "thụt lề không đều: các khóa cùng cấp phải thẳng cột, mỗi mục danh sách bắt đầu bằng \"- \""),
        ("did not find expected '-'", "thụt lề không đều trong danh sách: mỗi mục bắt đầu bằng \"- \" thẳng cột với mục trước"),
        ("found a tab", "có ký tự tab: YAML chỉ thụt lề bằng dấu cách"),
        ("duplicate mapping key", "một khóa được viết hai lần: giữ một, xóa dòng kia"),
        ("unknown anchor", "có dấu * ở đầu giá trị (YAML hiểu là bí danh): đặt giá trị trong dấu nháy"),
        ("could not find expected ':'", "thiếu dấu hai chấm sau tên khóa, hoặc một giá trị nhiều dòng chưa đặt trong dấu nháy"),
        ("recursion limit", "phần thông tin lồng nhau quá sâu (danh sách trong danh sách quá nhiều tầng)"),
        ("budget", "phần thông tin quá lớn: quá nhiều giá trị hoặc bí danh (alias)"),
        ("!!binary", "giá trị gắn thẻ !!binary không phải base64 hợp lệ; bỏ thẻ này đi"),
    ];
    if let Some((_, vietnamese)) = KNOWN.iter().find(|(english, _)| reason.contains(english)) {
        return format!("cú pháp YAML không hợp lệ: {vietnamese}");
    }
    let reason = reason.split(['{', '(']).next().unwrap_or(reason).trim_end_matches([' ', ':']);
    format!("cú pháp YAML không hợp lệ; kiểm tra dấu hai chấm, dấu nháy, dấu ngoặc và thụt lề (bộ đọc YAML báo: {reason})")
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
            message: format!("cú pháp TOML không hợp lệ: {}", crate::diagnostics::toml_message(e.message())),
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
