//! How the library tells whoever runs it what is happening. Only the command line prints: it
//! implements [`Reporter`] (progress bars, timings, `serve`'s lines); tests and other callers pass
//! [`Quiet`]. Problems with the content are not reported here: they are the
//! [`crate::diagnostics::Diagnostics`] a stage returns.

use std::time::{Duration, Instant};

/// Receives the events of a build or a `serve` session. Every method has a default that ignores
/// the event, so a reporter implements only what it shows.
pub trait Reporter: Send + Sync {
    /// A step of the pipeline took `elapsed` (for profiling; see BENCHMARKS.md).
    fn step_done(&self, _step: &'static str, _elapsed: Duration) {}

    /// One more photo of the `total` being processed is done (called from the thread that did it).
    fn image_done(&self, _total: usize) {}

    /// Something a `serve` session did.
    fn serve(&self, _event: ServeEvent<'_>) {}

    /// What a deploy plans and how far it is.
    fn deploy(&self, _event: crate::deploy::DeployEvent<'_>) {}
}

/// What a `serve` session tells the person running it.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// Listening at `url`; `open_to_network` when bound to an address other machines reach.
    Listening { url: &'a str, open_to_network: bool },
    /// The site was built (`update.full`) or updated after a change.
    Rebuilt { update: Update, elapsed: Duration },
    /// A rebuild failed: its messages, as `check` prints them. The last good build stays served.
    RebuildFailed { problems: &'a str },
    /// Search and related stories caught up with the last change.
    SearchRefreshed { update: Update, elapsed: Duration },
    SearchFailed { problems: &'a str },
}

/// What one rebuild of `serve` did.
#[derive(Debug, Clone, Copy)]
pub struct Update {
    /// Pages rendered (all of them after a full build).
    pub rendered: usize,
    /// Pages that no longer exist.
    pub removed: usize,
    pub full: bool,
}

/// A reporter that shows nothing.
pub struct Quiet;

impl Reporter for Quiet {}

/// Runs one step and reports how long it took.
pub fn timed<T>(reporter: &dyn Reporter, step: &'static str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    reporter.step_done(step, started.elapsed());
    result
}
