//! The last build of a `serve` session, swapped whole after each rebuild.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;
use tokio::sync::broadcast;

use super::live::LiveSite;
use crate::pipeline::BuildError;
use crate::report::{Reporter, Update};
use crate::search::engine::Engine;
use crate::site::index::Publish;

/// What requests are answered from.
pub struct Snapshot {
    /// Files of the last successful build, by path relative to the site root (`a/index.html`);
    /// `Bytes` so that answering a request shares the file instead of copying it.
    pub files: Arc<HashMap<String, Bytes>>,
    /// The search engine of the last successful build.
    pub engine: Option<Arc<Engine>>,
    /// When the latest rebuild failed: its messages, as `check` prints them ([`BuildError::describe`]).
    pub problems: Option<String>,
}

pub struct Shared {
    root: PathBuf,
    publish: Publish,
    base_url: String,
    /// The site in memory, for story-by-story updates; `None` until a build succeeds.
    live: Mutex<Option<LiveSite>>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Told after every rebuild, so open pages reload.
    reloads: broadcast::Sender<()>,
    reporter: Arc<dyn Reporter>,
}

impl Shared {
    pub fn new(root: PathBuf, publish: Publish, base_url: String, reporter: Arc<dyn Reporter>) -> Shared {
        let empty = Snapshot { files: Arc::default(), engine: None, problems: None };
        Shared { root, publish, base_url, live: Mutex::new(None), snapshot: RwLock::new(Arc::new(empty)), reloads: broadcast::channel(16).0, reporter }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.reloads.subscribe()
    }

    /// Rebuilds after a change to `changed` (every file, when empty): story by story when it
    /// can, else the whole site. On failure keeps the last good files and engine, and records why.
    pub fn rebuild(&self, changed: &[PathBuf]) -> Result<Update, BuildError> {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let reporter = &*self.reporter;
        let partial = match live.as_mut() {
            Some(site) if !changed.is_empty() => site.update(changed, reporter),
            _ => Ok(None),
        };
        let result = match partial {
            Ok(Some(update)) => Ok(update),
            Ok(None) => LiveSite::full(&self.root, self.publish, &self.base_url, reporter).map(|(site, update)| {
                *live = Some(site);
                update
            }),
            Err(error) => Err(error),
        };
        self.publish_snapshot(live.as_ref(), result.as_ref().err().map(BuildError::describe));
        result
    }

    /// After a story-by-story update: rebuilds search and related stories (see
    /// [`LiveSite::refresh_search`]); `superseded` says a newer change is waiting.
    pub fn refresh_search(&self, superseded: &(dyn Fn() -> bool + Sync)) -> Option<Result<Update, BuildError>> {
        let mut live = self.live.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let site = live.as_mut().filter(|s| s.search_outdated)?;
        let result = site.refresh_search(superseded, &*self.reporter).transpose()?;
        if result.is_ok() {
            // A later change may have failed meanwhile: its messages stay on screen.
            let problems = self.snapshot().problems.clone();
            self.publish_snapshot(live.as_ref(), problems);
        }
        Some(result)
    }

    fn publish_snapshot(&self, live: Option<&LiveSite>, problems: Option<String>) {
        let next = match live {
            Some(site) => Snapshot { files: Arc::clone(&site.files), engine: Some(Arc::clone(&site.engine)), problems },
            None => Snapshot { files: Arc::default(), engine: None, problems },
        };
        *self.snapshot.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(next);
        let _ = self.reloads.send(());
    }
}
