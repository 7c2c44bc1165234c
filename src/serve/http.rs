//! Answers requests from the current [`Snapshot`](super::state::Snapshot).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;

use super::api;
use super::state::Shared;

/// Where the live-reload script and its event stream live; never a path of the site.
const RELOAD_SCRIPT: &str = "/__nguoitot/livereload.js";
const RELOAD_EVENTS: &str = "/__nguoitot/events";
/// A search that takes longer is stopped with a `503`.
pub const SEARCH_TIME_LIMIT: Duration = Duration::from_secs(2);

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(RELOAD_SCRIPT, get(reload_script))
        .route(RELOAD_EVENTS, get(reload_events))
        .route("/api/search", get(search))
        .fallback(site_file)
        .with_state(shared)
}

async fn reload_script() -> Response {
    let js = format!(
        "// nguoitot serve: reloads the page after each rebuild (only in `serve`, never in `build`).\n\
         new EventSource(\"{RELOAD_EVENTS}\").addEventListener(\"reload\", () => location.reload());\n"
    );
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], js).into_response()
}

async fn reload_events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(()) => return Some((Ok(Event::default().event("reload").data("reload")), receiver)),
                // Several rebuilds while this client lagged: one reload is enough.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn search(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let snapshot = shared.snapshot();
    let Some(engine) = snapshot.engine.clone() else {
        let body = serde_json::json!({ "error": "trang chưa dựng được; chưa có chỉ mục tìm kiếm" });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    };
    let request = match api::parse(raw.as_deref().unwrap_or(""), &engine) {
        Ok(r) => r,
        Err(bad) => return (StatusCode::BAD_REQUEST, Json(bad.to_json())).into_response(),
    };
    let work = tokio::task::spawn_blocking(move || engine.query(&request.as_search()).map(|results| api::answer(&request, &results, &engine)));
    match tokio::time::timeout(SEARCH_TIME_LIMIT, work).await {
        Ok(Ok(Ok(body))) => ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response(),
        Ok(Ok(Err(e))) => (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({ "error": format!("lỗi tìm kiếm: {e}") }))).into_response(),
        Ok(Err(_)) => (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({ "error": "lỗi tìm kiếm" }))).into_response(),
        Err(_) => {
            let body = serde_json::json!({ "error": format!("tìm kiếm quá {} giây; hãy thu hẹp từ khóa", SEARCH_TIME_LIMIT.as_secs()) });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// Why a request path cannot name a file of the site.
#[derive(Debug, PartialEq)]
pub enum BadPath {
    /// `..`, `.`, backslashes, NUL or encoded slashes: never a link of the site.
    Traversal,
    NotUtf8,
}

/// The site file a request path names (`/a/` → `a/index.html`), refusing anything that could
/// step outside the site: a file is looked up by this key only, never joined to a folder path.
pub fn file_key(raw_path: &str) -> Result<String, BadPath> {
    let lower = raw_path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(BadPath::Traversal);
    }
    let decoded = percent_encoding::percent_decode_str(raw_path).decode_utf8().map_err(|_| BadPath::NotUtf8)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(BadPath::Traversal);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err(BadPath::Traversal);
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

/// Where a request for folder `key` (decoded, without leading or doubled slashes) is sent: always a
/// path of this server (`/guong/x/`), never `//host/…`, which a browser reads as another host.
fn folder_location(key: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    format!("/{}/", percent_encoding::utf8_percent_encode(key, PATH))
}

/// Content type by extension, for the kinds of files a site has.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    match name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") if name == "atom.xml" => "application/atom+xml; charset=utf-8",
        Some("xml") if name == "rss.xml" => "application/rss+xml; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("yml" | "yaml") => "text/yaml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// The page with the live-reload script before `</body>`.
pub fn with_reload(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_SCRIPT}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn respond(status: StatusCode, key: &str, body: Bytes) -> Response {
    let body = if key.ends_with(".html") { Bytes::from(with_reload(&body)) } else { body };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(key)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn plain(status: StatusCode, message: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n")).into_response()
}

/// The browser's view of a failed rebuild: the messages of `check`, reloaded when fixed.
fn problems_page(problems: &str) -> Response {
    let escaped = crate::html::escape(problems);
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Lỗi nội dung — nguoitot</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}\
         pre{{white-space:pre-wrap;background:#fff4f4;border-left:4px solid #b00020;padding:1rem}}</style></head><body>\
         <h1>Trang chưa dựng được</h1><p>Sửa các lỗi sau rồi lưu tệp; trang sẽ tự tải lại.</p>\
         <pre id=\"loi\">{escaped}</pre></body></html>"
    );
    respond(StatusCode::INTERNAL_SERVER_ERROR, "loi.html", Bytes::from(html))
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "chỉ hỗ trợ GET và HEAD");
    }
    let key = match file_key(uri.path()) {
        Ok(key) => key,
        Err(BadPath::Traversal) => return plain(StatusCode::BAD_REQUEST, "đường dẫn không hợp lệ"),
        Err(BadPath::NotUtf8) => return plain(StatusCode::BAD_REQUEST, "đường dẫn không phải UTF-8"),
    };
    let snapshot = shared.snapshot();
    if let Some(problems) = &snapshot.problems {
        if key.ends_with(".html") || !snapshot.files.contains_key(&key) {
            return problems_page(problems);
        }
    }
    if let Some(body) = snapshot.files.get(&key) {
        return respond(StatusCode::OK, &key, body.clone());
    }
    if snapshot.files.contains_key(&format!("{key}/index.html")) {
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, folder_location(&key))]).into_response();
    }
    match snapshot.files.get("404.html") {
        Some(page) => respond(StatusCode::NOT_FOUND, "404.html", page.clone()),
        None => plain(StatusCode::NOT_FOUND, "không có trang này"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(file_key("/").unwrap(), "index.html");
        assert_eq!(file_key("/guong/a/").unwrap(), "guong/a/index.html");
        assert_eq!(file_key("/style.css").unwrap(), "style.css");
        assert_eq!(file_key("/guong/x%C3%A3/").unwrap(), "guong/xã/index.html");
    }

    #[test]
    fn traversal_is_refused() {
        for path in ["/../etc/passwd", "/guong/../../x", "/%2e%2e/etc/passwd", "/a%2f..%2f..%2fetc", "/a%5c..%5cb", "/..%5c..%5cx", "/a\\b", "/./a", "/%00"] {
            assert_eq!(file_key(path), Err(BadPath::Traversal), "{path}");
        }
        assert_eq!(file_key("/%ff"), Err(BadPath::NotUtf8));
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_body() {
        let html = with_reload(b"<html><body><p>x</p></body></html>");
        assert_eq!(String::from_utf8(html).unwrap(), format!("<html><body><p>x</p><script src=\"{RELOAD_SCRIPT}\" defer></script></body></html>"));
    }
}
