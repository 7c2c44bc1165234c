//! `nguoitot serve`: builds the site into memory, serves it on loopback, rebuilds when
//! `content/`, `themes/`, `static/` or `nguoitot.toml` change, and reloads open pages.
//!
//! Three parts: [`state`] holds the last build (files, search engine, or the problems that
//! stopped the latest rebuild), [`http`] answers requests from it (static files, the search
//! [`api`], the live-reload channel), and the watcher below triggers rebuilds. Nothing is
//! written to `public/`: `serve` never touches the output of `build`.

pub mod api;
pub mod http;
pub mod state;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::site::index::Publish;
use state::Shared;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub future: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("không mở được cổng {addr}: {source} (cổng đang bận? thử --port khác)")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("không theo dõi được thay đổi trong {path}: {source}")]
    Watch { path: PathBuf, source: notify::Error },
    #[error("máy chủ dừng vì lỗi: {0}")]
    Io(#[from] std::io::Error),
}

/// How long the watcher waits for a burst of file events (an editor's save) to settle.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// Builds, serves and watches until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;
    let publish = Publish::now(options.drafts, options.future);
    let base_url = format!("http://{addr}");
    let shared = Arc::new(Shared::new(options.root.clone(), publish, base_url.clone()));

    let started = std::time::Instant::now();
    shared.rebuild();
    report(&shared, started);
    let _watcher = watch(&options.root, Arc::clone(&shared))?;

    if !options.bind.is_loopback() {
        eprintln!("Cảnh báo: máy chủ xem trước đang mở cho mọi máy trong mạng ({addr}); chỉ nên dùng trên mạng tin cậy.");
    }
    eprintln!("Xem trước tại {base_url}/ — sửa tệp trong content/, themes/ hoặc nguoitot.toml, trang sẽ tự tải lại. Ctrl+C để dừng.");
    runtime.block_on(async move {
        axum::serve(listener, http::router(shared)).with_graceful_shutdown(async { tokio::signal::ctrl_c().await.ok(); }).await
    })?;
    Ok(())
}

fn report(shared: &Shared, started: std::time::Instant) {
    let snapshot = shared.snapshot();
    match &snapshot.problems {
        None => eprintln!("Đã dựng {} tệp trong {:.0} ms.", snapshot.files.len(), started.elapsed().as_secs_f64() * 1000.0),
        Some(problems) => eprintln!("{problems}\nTrang chưa dựng được; trình duyệt hiện các lỗi trên cho đến khi tệp được sửa."),
    }
}

type Watcher = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>;

/// Starts watching; rebuilds run on the watcher's thread, one at a time.
fn watch(root: &std::path::Path, shared: Arc<Shared>) -> Result<Watcher, ServeError> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let config_file = root.join("nguoitot.toml");
    let dirs: Vec<PathBuf> = ["content", "themes", "static"].map(|d| root.join(d)).into_iter().filter(|d| d.is_dir()).collect();
    let site_dirs = dirs.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |events: DebounceEventResult| {
        let Ok(events) = events else { return };
        // Reading files (the build itself) is not a change; public/ and the image cache are
        // not the site.
        let changed = events.iter().filter(|e| !matches!(e.event.kind, EventKind::Access(_))).flat_map(|e| e.event.paths.iter());
        if changed.into_iter().any(|p| *p == config_file || site_dirs.iter().any(|d| p.starts_with(d))) {
            let started = std::time::Instant::now();
            shared.rebuild();
            report(&shared, started);
        }
    })
    .map_err(|source| ServeError::Watch { path: root.clone(), source })?;
    debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(|source| ServeError::Watch { path: root.clone(), source })?;
    for dir in dirs {
        debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|source| ServeError::Watch { path: dir.clone(), source })?;
    }
    Ok(debouncer)
}
