//! The last build of a `serve` session, swapped whole after each rebuild.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use tokio::sync::broadcast;

use crate::build::{self, BuildError, Sink};
use crate::engine::{Coverage, Engine};
use crate::site::index::Publish;
use crate::site::output::OutputError;

/// What requests are answered from.
pub struct Snapshot {
    /// Files of the last successful build, by path relative to the site root (`a/index.html`);
    /// `Bytes` so that answering a request shares the file instead of copying it.
    pub files: Arc<HashMap<String, Bytes>>,
    /// The search engine of the last successful build.
    pub engine: Option<Arc<Engine>>,
    /// When the latest rebuild failed: its messages, as `check` prints them.
    pub problems: Option<String>,
}

/// Files of a build kept in memory.
#[derive(Default)]
struct MemorySink(Mutex<HashMap<String, Bytes>>);

impl Sink for MemorySink {
    fn put(&self, path: &str, contents: &[u8]) -> Result<(), OutputError> {
        self.0.lock().expect("no panics while holding the lock").insert(path.to_string(), Bytes::copy_from_slice(contents));
        Ok(())
    }
}

pub struct Shared {
    root: PathBuf,
    publish: Publish,
    base_url: String,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Told after every rebuild, so open pages reload.
    reloads: broadcast::Sender<()>,
}

impl Shared {
    pub fn new(root: PathBuf, publish: Publish, base_url: String) -> Shared {
        let empty = Snapshot { files: Arc::default(), engine: None, problems: None };
        Shared { root, publish, base_url, snapshot: RwLock::new(Arc::new(empty)), reloads: broadcast::channel(16).0 }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().expect("no panics while holding the lock"))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.reloads.subscribe()
    }

    /// Loads and renders the whole site; on failure keeps the last good files and engine, and
    /// records why.
    pub fn rebuild(&self) {
        let next = match self.render() {
            Ok((files, engine)) => Snapshot { files: Arc::new(files), engine: Some(Arc::new(engine)), problems: None },
            Err(problems) => {
                let previous = self.snapshot();
                Snapshot { files: Arc::clone(&previous.files), engine: previous.engine.clone(), problems: Some(problems) }
            }
        };
        *self.snapshot.write().expect("no panics while holding the lock") = Arc::new(next);
        let _ = self.reloads.send(());
    }

    fn render(&self) -> Result<(HashMap<String, Bytes>, Engine), String> {
        let (site, diags) = build::load(&self.root);
        let Some(site) = site else { return Err(describe(&BuildError::Content(diags))) };
        let sink = MemorySink::default();
        let rendered = build::render(&site, &self.publish, &self.base_url, &sink, Coverage::Search).map_err(|e| describe(&e))?;
        Ok((sink.0.into_inner().expect("no panics while holding the lock"), rendered.engine))
    }
}

/// A failed build in the words of `check`: every located message, then the count.
pub fn describe(error: &BuildError) -> String {
    match error {
        BuildError::Content(diags) => {
            let mut lines: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
            lines.push(format!("Nội dung có {} lỗi, {} cảnh báo.", diags.error_count(), diags.warning_count()));
            lines.join("\n")
        }
        other => format!("lỗi: {other}"),
    }
}
