//! `nguoitot serve` over real HTTP on loopback: pages with the right types and the site's 404,
//! no way out of the site, edits served within 2 s with a reload event to connected pages, content
//! errors shown in the browser until fixed, and the search API's limits.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// A running `nguoitot serve` on a free loopback port, stopped on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_nguoitot"))
        .args(["serve", "--root", site.root().to_str().unwrap(), "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request with the path sent exactly as given (no client-side normalisation).
fn get(server: &Server, raw_path: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stream, "GET {raw_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    // Bodies may be chunked; the assertions below look for text inside them.
    Reply { status, headers: head.to_ascii_lowercase(), body: body.to_string() }
}

fn json(reply: &Reply) -> serde_json::Value {
    let start = reply.body.find('{').expect("a JSON body");
    let end = reply.body.rfind('}').unwrap();
    serde_json::from_str(&reply.body[start..=end]).unwrap()
}

#[test]
fn pages_have_their_types_and_the_site_404() {
    let site = Site::fixture("search");
    let server = start(&site);
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert!(home.headers.contains("content-type: text/html; charset=utf-8"), "{}", home.headers);
    assert!(home.body.contains("<script src=\"/__nguoitot/livereload.js\" defer></script></body>"), "the reload script is injected");
    let css = get(&server, "/style.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("content-type: text/css"));
    assert!(get(&server, "/atom.xml").headers.contains("content-type: application/atom+xml"));
    let missing = get(&server, "/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Không tìm thấy trang"), "the site's own 404 page: {}", missing.body);
    let redirect = get(&server, "/guong/ba-hoa");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /guong/ba-hoa/"));
    // What `build` writes never carries the reload script.
    assert!(site.build().status.success());
    assert!(!std::fs::read_to_string(site.public().join("index.html")).unwrap().contains("__nguoitot"));
}

#[test]
fn traversal_never_reaches_a_file_outside_the_site() {
    let site = Site::fixture("search");
    std::fs::write(site.root().join("bi-mat.txt"), "KHÔNG ĐƯỢC LỘ").unwrap();
    let server = start(&site);
    for path in [
        "/../bi-mat.txt",
        "/guong/../../bi-mat.txt",
        "/%2e%2e/bi-mat.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/guong/..%2f..%2fbi-mat.txt",
        "/..%5cbi-mat.txt",
        "/guong/%2e%2e%2f%2e%2e%2fnguoitot.toml",
        "/..%c0%af../etc/passwd",
    ] {
        let reply = get(&server, path);
        assert!(reply.status == 400 || reply.status == 404, "{path}: {}", reply.status);
        assert!(!reply.body.contains("KHÔNG ĐƯỢC LỘ") && !reply.body.contains("root:") && !reply.body.contains("base_url"), "{path} leaked a file");
    }
    assert_eq!(get(&server, "/bi-mat.txt").status, 404, "files of the site folder are not the site");
}

/// Reads server-sent events until one named `reload` arrives.
fn wait_for_reload(events: &mut BufReader<TcpStream>, deadline: Instant) -> bool {
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) => return false,
            Ok(_) if line.trim_end() == "event: reload" => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
    }
    false
}

fn connect_events(server: &Server) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    write!(stream, "GET /__nguoitot/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.contains(" 200 "), "{status}");
    reader
}

#[test]
fn an_edited_story_is_served_within_two_seconds_and_open_pages_reload() {
    let site = Site::fixture("search");
    let server = start(&site);
    let mut events = connect_events(&server);
    std::thread::sleep(Duration::from_millis(300));
    let story = site.root().join("content/stories/ba-hoa.md");
    let text = std::fs::read_to_string(&story).unwrap().replace("Bà Lù Thị Hoa", "Bà Lù Thị Hoa Mai");
    let edited = Instant::now();
    std::fs::write(&story, text).unwrap();
    assert!(wait_for_reload(&mut events, edited + Duration::from_secs(2)), "no reload event within 2 s");
    let page = get(&server, "/guong/ba-hoa/");
    assert!(page.body.contains("Bà Lù Thị Hoa Mai"), "the edit is served");
    assert!(edited.elapsed() < Duration::from_secs(2), "served after {:?}", edited.elapsed());
    // The search API follows the edit too.
    let found = json(&get(&server, "/api/search?q=hoa+mai"));
    assert_eq!(found["results"][0]["title"], "Bà Lù Thị Hoa Mai");
}

#[test]
fn a_content_error_shows_in_the_browser_until_fixed() {
    let site = Site::fixture("search");
    let server = start(&site);
    let mut events = connect_events(&server);
    std::thread::sleep(Duration::from_millis(300));
    let story = site.root().join("content/stories/ba-hoa.md");
    let good = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, good.replace("kind: ho-gia-dinh", "kind: doanh-nghiep")).unwrap();
    assert!(wait_for_reload(&mut events, Instant::now() + Duration::from_secs(5)));
    let broken = get(&server, "/guong/tung-lam/");
    assert_eq!(broken.status, 500);
    assert!(broken.body.contains("content/stories/ba-hoa.md:3:7: lỗi:"), "{}", broken.body);
    assert!(broken.body.contains("__nguoitot/livereload.js"), "the error page reloads when fixed");
    // Assets of the last good build are still served, and so is search.
    assert_eq!(get(&server, "/style.css").status, 200);
    assert_eq!(get(&server, "/api/search?q=hoa").status, 200);
    std::fs::write(&story, good).unwrap();
    assert!(wait_for_reload(&mut events, Instant::now() + Duration::from_secs(5)));
    assert_eq!(get(&server, "/guong/tung-lam/").status, 200);
}

#[test]
fn the_search_api_answers_with_results_and_facets_within_limits() {
    let site = Site::fixture("search");
    let server = start(&site);
    let reply = get(&server, "/api/search?q=dien%20quan&per_page=2");
    assert_eq!(reply.status, 200);
    assert!(reply.headers.contains("content-type: application/json"));
    let body = json(&reply);
    assert_eq!(body["results"][0]["title"], "Đoàn TNCS Hồ Chí Minh xã Điện Quan");
    assert_eq!(body["results"][0]["url"], "/guong/doan-dien-quan/");
    assert!(body["results"].as_array().unwrap().len() <= 2);
    assert!(body["total"].as_u64().unwrap() >= 1);
    assert!(body["facets"]["kind"].as_array().unwrap().iter().any(|f| f["value"] == "tap-the" && f["count"].as_u64().unwrap() >= 1));

    let filtered = json(&get(&server, "/api/search?q=hoa&kind=ho-gia-dinh"));
    assert!(filtered["results"].as_array().unwrap().iter().all(|r| r["kind"] == "Hộ gia đình"), "{filtered}");
    let second = json(&get(&server, "/api/search?q=hoa&per_page=1&page=2"));
    assert_eq!(second["page"], 2);
    assert_ne!(second["results"][0], json(&get(&server, "/api/search?q=hoa&per_page=1"))["results"][0]);

    let long = "a".repeat(201);
    for (query, parameter) in [
        (format!("q={long}"), "q"),
        ("q=hoa&per_page=51".to_string(), "per_page"),
        ("q=hoa&page=0".to_string(), "page"),
        ("q=hoa&page=abc".to_string(), "page"),
        ("q=hoa&kind=doanh-nghiep".to_string(), "kind"),
        ("q=hoa&movement=khong-co".to_string(), "movement"),
        ("q=hoa&sort=date".to_string(), "sort"),
        ("q=hoa&q=ha".to_string(), "q"),
        ("".to_string(), "q"),
    ] {
        let reply = get(&server, &format!("/api/search?{query}"));
        assert_eq!(reply.status, 400, "{query}");
        let error = json(&reply);
        assert_eq!(error["parameter"], parameter, "{query}: {error}");
        assert!(!error["error"].as_str().unwrap().is_empty());
    }
}
