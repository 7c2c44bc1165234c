//! `nguoitot serve` over real HTTP on loopback: pages with the right types and the site's 404,
//! no way out of the site, edits served within 2 s with a reload event to connected pages, content
//! errors shown in the browser until fixed, and the search API's limits. And the live site behind
//! it: story changes re-render only their pages and end equal to a full build.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Site;
use nguoitot::report::Quiet;

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
    // Listening comes before the first build is done; the first answer comes after it.
    get(&server, "/");
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
    // Never to another host: `//guong/…` would be a host named "guong".
    for path in ["//guong/ba-hoa", "///guong//ba-hoa"] {
        let redirect = get(&server, path);
        assert_eq!(redirect.status, 301, "{path}");
        assert!(redirect.headers.lines().any(|l| l.trim_end() == "location: /guong/ba-hoa/"), "{path}: {}", redirect.headers);
    }
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

/// A server on `site` with a page listening for reloads, once the watcher is ready.
fn start_watching(site: &Site) -> (Server, BufReader<TcpStream>) {
    let server = start(site);
    let events = connect_events(&server);
    std::thread::sleep(Duration::from_millis(300));
    (server, events)
}

/// Renames "Bà Lù Thị Hoa" to "Bà Lù Thị Hoa Mai" in a story file.
fn rename_hoa(story: &std::path::Path) {
    std::fs::write(story, std::fs::read_to_string(story).unwrap().replace("Bà Lù Thị Hoa", "Bà Lù Thị Hoa Mai")).unwrap();
}

#[test]
fn an_edited_story_is_served_within_two_seconds_and_open_pages_reload() {
    let site = Site::fixture("search");
    let (server, mut events) = start_watching(&site);
    let story = site.root().join("content/stories/ba-hoa.md");
    let edited = Instant::now();
    rename_hoa(&story);
    assert!(wait_for_reload(&mut events, edited + Duration::from_secs(2)), "no reload event within 2 s");
    let page = get(&server, "/guong/ba-hoa/");
    assert!(page.body.contains("Bà Lù Thị Hoa Mai"), "the edit is served");
    assert!(edited.elapsed() < Duration::from_secs(2), "served after {:?}", edited.elapsed());
    // The search API follows the edit once search is rebuilt, after the pages.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found = json(&get(&server, "/api/search?q=hoa+mai"));
        if found["results"][0]["title"] == "Bà Lù Thị Hoa Mai" {
            break;
        }
        assert!(Instant::now() < deadline, "the search API did not follow the edit: {found}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_content_error_shows_in_the_browser_until_fixed() {
    let site = Site::fixture("search");
    let (server, mut events) = start_watching(&site);
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

/// Every file of a live site against a full build of the same files: equal sets, equal bytes.
fn assert_same_files(live: &nguoitot::serve::live::LiveSite, fresh: &nguoitot::serve::live::LiveSite) {
    let mut ours: Vec<&String> = live.files.keys().collect();
    let mut theirs: Vec<&String> = fresh.files.keys().collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs, "the same files");
    for (path, bytes) in fresh.files.iter() {
        assert!(live.files[path] == *bytes, "{path} differs from a full build:\n{}", String::from_utf8_lossy(&live.files[path]));
    }
}

#[test]
fn story_changes_rerender_only_their_pages_and_end_equal_to_a_full_build() {
    use nguoitot::serve::live::LiveSite;
    let site = Site::fixture("search");
    let root = site.root();
    let publish = nguoitot::site::index::Publish::now(false, false);
    let base = "http://127.0.0.1:1111";
    let (mut live, full) = LiveSite::full(root, publish, base, &Quiet).unwrap();
    assert!(full.full);

    // An edited title: the story, its embed and oEmbed, the lists showing it — not the other stories.
    let story = root.join("content/stories/ba-hoa.md");
    rename_hoa(&story);
    let update = live.update(std::slice::from_ref(&story), &Quiet).unwrap().expect("applied story by story");
    assert!(!update.full && update.rendered > 3 && update.rendered * 3 < full.rendered, "{update:?} of {}", full.rendered);
    assert!(String::from_utf8_lossy(&live.files["guong/ba-hoa/index.html"]).contains("Bà Lù Thị Hoa Mai"));
    live.refresh_search(&|| false, &Quiet).unwrap().expect("not superseded");
    assert_same_files(&live, &LiveSite::full(root, publish, base, &Quiet).unwrap().0);

    // A new story and a removed one, in one change.
    let added = root.join("content/stories/moi.md");
    std::fs::write(&added, std::fs::read_to_string(&story).unwrap().replace("Bà Lù Thị Hoa Mai", "Ông Vàng A Mới")).unwrap();
    let removed = root.join("content/stories/tung-lam.md");
    std::fs::remove_file(&removed).unwrap();
    let update = live.update(&[added.clone(), removed], &Quiet).unwrap().expect("applied story by story");
    assert!(update.removed >= 3, "the removed story's page, embed and oEmbed: {update:?}");
    assert!(live.files.contains_key("guong/moi/index.html") && !live.files.contains_key("guong/tung-lam/index.html"));
    live.refresh_search(&|| false, &Quiet).unwrap().expect("not superseded");
    assert_same_files(&live, &LiveSite::full(root, publish, base, &Quiet).unwrap().0);

    // A mistake is reported and changes nothing; a change outside the stories asks for a full build.
    let before = live.files.clone();
    std::fs::write(&added, "---\ntitle: [\n---\n").unwrap();
    let problems = live.update(std::slice::from_ref(&added), &Quiet).unwrap_err().describe();
    assert!(problems.contains("content/stories/moi.md:2:"), "{problems}");
    assert!(Arc::ptr_eq(&before, &live.files), "no file changed");
    assert!(live.update(&[root.join("nguoitot.toml")], &Quiet).unwrap().is_none());
}

#[test]
fn a_later_mistake_stays_on_screen_after_search_catches_up() {
    use nguoitot::serve::state::Shared;
    let site = Site::fixture("search");
    let root = site.root();
    let shared = Shared::new(root.to_path_buf(), nguoitot::site::index::Publish::now(false, false), "http://127.0.0.1:1111".into(), std::sync::Arc::new(Quiet));
    shared.rebuild(&[]).unwrap();
    let good = root.join("content/stories/ba-hoa.md");
    rename_hoa(&good);
    assert!(!shared.rebuild(std::slice::from_ref(&good)).unwrap().full);
    let broken = root.join("content/stories/tung-lam.md");
    std::fs::write(&broken, "---\ntitle: [\n---\n").unwrap();
    assert!(shared.rebuild(std::slice::from_ref(&broken)).is_err());
    // Search and related stories catch up with the good edit; the broken file is still broken.
    assert!(shared.refresh_search(&|| false).expect("search was outdated").is_ok());
    let snapshot = shared.snapshot();
    assert!(snapshot.problems.as_deref().is_some_and(|p| p.contains("content/stories/tung-lam.md:2:")), "{:?}", snapshot.problems);
    assert!(String::from_utf8_lossy(&snapshot.files["guong/ba-hoa/index.html"]).contains("Bà Lù Thị Hoa Mai"));
}
