//! `GET /api/search`: the tantivy engine over HTTP, bounded and with clear errors.
//!
//! Parameters: `q` (≤ [`MAX_QUERY_CHARS`] characters), the facet filters `movement`, `kind`,
//! `province`, `commune`, `award`, `year` (values as in the static index's `index.json`), `page` (from 1)
//! and `per_page` (1–[`MAX_PER_PAGE`], default [`DEFAULT_PER_PAGE`]). Anything else is a `400`
//! with `{"error": "…", "parameter": "…"}`.

use serde_json::{json, Value};

use crate::search::engine::{Engine, Filters, SearchRequest, SearchResults};
use crate::search::facets::FacetKind;

pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_PER_PAGE: usize = 50;
pub const DEFAULT_PER_PAGE: usize = 10;
/// Pages beyond this are refused: nobody reads them, and deep offsets cost memory.
pub const MAX_PAGE: usize = 1000;

/// A request the API refuses, with the parameter at fault.
#[derive(Debug, PartialEq)]
pub struct BadRequest {
    pub parameter: String,
    pub message: String,
}

impl BadRequest {
    fn new(parameter: &str, message: impl Into<String>) -> BadRequest {
        BadRequest { parameter: parameter.to_string(), message: message.into() }
    }

    pub fn to_json(&self) -> Value {
        json!({ "error": self.message, "parameter": self.parameter })
    }
}

/// A parsed, valid API request.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub query: String,
    pub filters: Filters,
    pub page: usize,
    pub per_page: usize,
}

impl ApiRequest {
    pub fn as_search(&self) -> SearchRequest<'_> {
        SearchRequest { query: &self.query, filters: self.filters.clone(), offset: (self.page - 1) * self.per_page, limit: self.per_page }
    }
}

fn number(name: &str, value: &str, range: std::ops::RangeInclusive<usize>) -> Result<usize, BadRequest> {
    match value.parse::<usize>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(BadRequest::new(name, format!("`{name}` phải là số nguyên từ {} đến {}", range.start(), range.end()))),
    }
}

/// Parses the query string of `/api/search` against the site's facet values.
pub fn parse(raw_query: &str, engine: &Engine) -> Result<ApiRequest, BadRequest> {
    let mut request = ApiRequest { query: String::new(), filters: Filters::default(), page: 1, per_page: DEFAULT_PER_PAGE };
    let mut seen = std::collections::HashSet::new();
    for (name, value) in form_urlencoded::parse(raw_query.as_bytes()) {
        if !seen.insert(name.to_string()) {
            return Err(BadRequest::new(&name, format!("tham số `{name}` xuất hiện hơn một lần")));
        }
        let value = crate::text::nfc(&value);
        match name.as_ref() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(BadRequest::new("q", format!("từ khóa dài quá {MAX_QUERY_CHARS} ký tự")));
                }
                request.query = value;
            }
            "page" => request.page = number("page", &value, 1..=MAX_PAGE)?,
            "per_page" => request.per_page = number("per_page", &value, 1..=MAX_PER_PAGE)?,
            other => {
                let Some(kind) = FacetKind::ALL.into_iter().find(|k| k.id() == other) else {
                    return Err(BadRequest::new(
                        other,
                        format!("không có tham số `{other}`; dùng q, movement, kind, province, commune, award, year, page, per_page"),
                    ));
                };
                if value.is_empty() {
                    continue;
                }
                if !engine.has_facet_value(kind, &value) {
                    return Err(BadRequest::new(other, format!("không có giá trị \"{value}\" cho `{other}` ({})", kind.label())));
                }
                request.filters.values.push((kind, value));
            }
        }
    }
    if request.query.trim().is_empty() && request.filters.values.is_empty() {
        return Err(BadRequest::new("q", "cần từ khóa `q` hoặc ít nhất một bộ lọc"));
    }
    Ok(request)
}

/// The JSON answer for a request and its results.
pub fn answer(request: &ApiRequest, results: &SearchResults, engine: &Engine) -> Value {
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            let c = engine.card(h.doc);
            json!({
                "title": c.title, "url": c.url, "unit": c.unit, "locality": c.locality, "kind": c.kind,
                "year": c.year, "movements": c.movements, "snippet": c.snippet,
            })
        })
        .collect();
    let facets: serde_json::Map<String, Value> = results.facets.iter().map(|(k, counts)| (k.id().to_string(), json!(counts))).collect();
    json!({
        "query": request.query,
        "total": results.total,
        // false: no story holds every word; these hold most of them.
        "all_words": results.all_words,
        "page": request.page,
        "per_page": request.per_page,
        "results": hits,
        "facets": facets,
    })
}
