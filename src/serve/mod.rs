//! `nguoitot serve`: builds the site into memory, serves it on loopback, rebuilds when
//! `content/`, `themes/`, `static/` or `nguoitot.toml` change, and reloads open pages.
//!
//! Three parts: [`state`] holds the last build (files, search engine, or the problems that
//! stopped the latest rebuild), [`http`] answers requests from it (static files, the search
//! [`api`], the live-reload channel), and the watcher below triggers rebuilds. Nothing is
//! written to `public/`: `serve` never touches the output of `build`. What happens is told to a
//! [`Reporter`] (the command line prints it).

pub mod api;
pub mod http;
pub mod live;
pub mod state;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::report::{Reporter, ServeEvent};
use crate::site::index::Publish;
use state::Shared;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Which stories to show.
    pub publish: Publish,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("không mở được cổng {addr}: {}", crate::diagnostics::io_reason(.source))]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("không theo dõi được thay đổi trong {path}: {}", watch_reason(.source))]
    Watch { path: PathBuf, source: notify::Error },
    #[error("máy chủ dừng vì lỗi: {}", crate::diagnostics::io_reason(.0))]
    Io(#[from] std::io::Error),
}

fn watch_reason(error: &notify::Error) -> String {
    match &error.kind {
        notify::ErrorKind::Io(e) => crate::diagnostics::io_reason(e),
        notify::ErrorKind::MaxFilesWatch => "hệ điều hành không cho theo dõi thêm tệp (tăng fs.inotify.max_user_watches)".into(),
        notify::ErrorKind::PathNotFound => "thư mục không tồn tại".into(),
        _ => format!("lỗi hệ thống ({error})"),
    }
}

/// How long the watcher waits for a burst of file events (an editor's save) to settle.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// Builds, serves and watches until the process is stopped.
pub fn serve(options: ServeOptions, reporter: Arc<dyn Reporter>) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;
    let publish = options.publish;
    let base_url = format!("http://{addr}");
    let shared = Arc::new(Shared::new(options.root.clone(), publish, base_url.clone(), Arc::clone(&reporter)));

    rebuild(&shared, &[], &*reporter);
    let _watcher = watch(&options.root, Arc::clone(&shared), Arc::clone(&reporter))?;
    reporter.serve(ServeEvent::Listening { url: &base_url, open_to_network: !options.bind.is_loopback() });
    runtime.block_on(async move {
        axum::serve(listener, http::router(shared)).with_graceful_shutdown(async { tokio::signal::ctrl_c().await.ok(); }).await
    })?;
    Ok(())
}

/// Rebuilds after `changed` (everything, when empty) and reports how it went.
fn rebuild(shared: &Shared, changed: &[PathBuf], reporter: &dyn Reporter) {
    let started = std::time::Instant::now();
    match shared.rebuild(changed) {
        Ok(update) => reporter.serve(ServeEvent::Rebuilt { update, elapsed: started.elapsed() }),
        Err(error) => reporter.serve(ServeEvent::RebuildFailed { problems: &error.describe() }),
    }
}

type Watcher = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>;

/// Rebuilds one change at a time on their own thread: the pages first (then the browser reloads),
/// then search and related stories, given up as soon as a newer change waits.
fn rebuild_loop(shared: Arc<Shared>, changes: Receiver<Vec<PathBuf>>, waiting: Arc<AtomicUsize>, reporter: Arc<dyn Reporter>) {
    while let Ok(mut changed) = changes.recv() {
        waiting.fetch_sub(1, Ordering::SeqCst);
        while let Ok(more) = changes.try_recv() {
            waiting.fetch_sub(1, Ordering::SeqCst);
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        // A bug in a rebuild must not end the previews: the last good site stays served, and the
        // next change is rebuilt as usual.
        let survived = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rebuild(&shared, &changed, &*reporter);
            let started = std::time::Instant::now();
            match shared.refresh_search(&|| waiting.load(Ordering::SeqCst) > 0) {
                Some(Ok(update)) => reporter.serve(ServeEvent::SearchRefreshed { update, elapsed: started.elapsed() }),
                Some(Err(error)) => reporter.serve(ServeEvent::SearchFailed { problems: &error.describe() }),
                None => {}
            }
        }));
        if survived.is_err() {
            reporter.serve(ServeEvent::RebuildFailed { problems: INTERNAL_ERROR });
        }
    }
}

const INTERNAL_ERROR: &str = "lỗi nội bộ của nguoitot khi dựng lại trang (xin báo lỗi này, kèm tệp vừa sửa); trình duyệt vẫn hiện bản dựng trước, lần sửa sau sẽ được dựng lại";

/// Files editors write beside the one being saved (backups, swap files, Vim's `4913` probe):
/// not the site, and not worth a rebuild.
fn is_editor_scratch(path: &std::path::Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp"].iter().any(|x| name.ends_with(x))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

/// Starts watching; changes go to the rebuild thread.
fn watch(root: &std::path::Path, shared: Arc<Shared>, reporter: Arc<dyn Reporter>) -> Result<Watcher, ServeError> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let config_file = root.join("nguoitot.toml");
    let dirs: Vec<PathBuf> = ["content", "themes", "templates", "static"].map(|d| root.join(d)).into_iter().filter(|d| d.is_dir()).collect();
    let site_dirs = dirs.clone();
    let (send, changes) = channel::<Vec<PathBuf>>();
    let waiting = Arc::new(AtomicUsize::new(0));
    let waiting_rebuild = Arc::clone(&waiting);
    std::thread::spawn(move || rebuild_loop(shared, changes, waiting_rebuild, reporter));
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |events: DebounceEventResult| {
        let Ok(events) = events else { return };
        // Reading files (the build itself) is not a change; public/ and the image cache are
        // not the site.
        let changed: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.iter())
            .filter(|p| **p == config_file || site_dirs.iter().any(|d| p.starts_with(d)))
            .filter(|p| !is_editor_scratch(p))
            .cloned()
            .collect();
        if !changed.is_empty() {
            waiting.fetch_add(1, Ordering::SeqCst);
            let _ = send.send(changed);
        }
    })
    .map_err(|source| ServeError::Watch { path: root.clone(), source })?;
    debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(|source| ServeError::Watch { path: root.clone(), source })?;
    for dir in dirs {
        debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|source| ServeError::Watch { path: dir.clone(), source })?;
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::is_editor_scratch;
    use std::path::Path;

    #[test]
    fn editor_scratch_files_are_not_changes() {
        for scratch in ["content/stories/.ba-hoa.md.swp", "content/stories/ba-hoa.md~", "content/stories/4913", "content/#ba-hoa.md#", "static/x.tmp"] {
            assert!(is_editor_scratch(Path::new(scratch)), "{scratch}");
        }
        for real in ["content/stories/ba-hoa.md", "content/stories/anh-2024.jpg", "nguoitot.toml", "themes/default/templates/base.html"] {
            assert!(!is_editor_scratch(Path::new(real)), "{real}");
        }
    }
}
