//! Writing the output folder without ever damaging the previous one.
//!
//! Pages are written into a staging folder beside the output; only when the whole build
//! succeeded is the old output moved aside and the staging folder renamed into its place.
//! A failed or interrupted build leaves the previous output byte-identical. One build at a time
//! writes an output: a lock file beside it is held from the checks to the swap, and a second build
//! waits for it (a bounded time) instead of sharing the staging folder.

use rustc_hash::FxHashSet;

use super::manifest::{self, Digest, Manifest};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A file in the output folder that says nguoitot made it, so a later build may replace it.
pub const MARKER: &str = ".nguoitot";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("thư mục xuất {0} trùng với thư mục trang hoặc chứa nó; hãy chọn một thư mục con riêng, ví dụ public/")]
    ContainsRoot(PathBuf),
    #[error("thư mục xuất {0} đã có tệp mà không do nguoitot tạo ra; để tránh xóa nhầm, hãy chọn thư mục trống hoặc xóa nó trước")]
    NotOurs(PathBuf),
    #[error("một lần dựng khác ({holder}) đang ghi vào thư mục xuất {output}; đã chờ {waited} giây. Chạy lại khi lần dựng đó xong")]
    Busy { output: PathBuf, holder: String, waited: u64 },
    #[error("không ghi được {path}: {}", crate::diagnostics::io_reason(.source))]
    Io { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Theme(#[from] crate::theme::ThemeError),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// The staging folder of one build. Files are created by one writer thread while the pages
/// are rendered in parallel: on the disks measured (BENCHMARKS.md), two threads creating files
/// at once are slower than one, and each directory is created once instead of tried per file.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Held until the staging folder is committed or dropped (see [`lock_output`]).
    _lock: fs::File,
    writer: Mutex<Option<Writer>>,
    /// The writer's first error, handed to the next `write` (or to `finish`).
    error: Arc<Mutex<Option<OutputError>>>,
    /// Size and hash of every file queued, for the manifest (computed by the thread that hands
    /// the file over, so in parallel, while the contents are in memory).
    digests: Mutex<Vec<(String, Digest)>>,
}

struct Writer {
    queue: SyncSender<Vec<(PathBuf, Vec<u8>)>>,
    thread: JoinHandle<()>,
}

/// Batches of files waiting for the writer; enough to keep it busy, few enough to bound memory.
/// Files come in batches so that the writer is woken once per batch, not once per file.
const QUEUE: usize = 32;

fn spawn_writer(error: Arc<Mutex<Option<OutputError>>>) -> Writer {
    let (queue, batches) = sync_channel::<Vec<(PathBuf, Vec<u8>)>>(QUEUE);
    let thread = std::thread::spawn(move || {
        // Folders made so far, by their path's bytes: hashing a `Path` parses its components,
        // ~1,000 instructions a file.
        let mut made: FxHashSet<Vec<u8>> = FxHashSet::default();
        for (path, contents) in batches.into_iter().flatten() {
            let result = (|| {
                if let Some(parent) = path.parent().filter(|p| !made.contains(p.as_os_str().as_encoded_bytes())) {
                    fs::create_dir_all(parent).map_err(io_err(parent))?;
                    made.extend(parent.ancestors().map(|a| a.as_os_str().as_encoded_bytes().to_vec()));
                }
                fs::write(&path, &contents).map_err(io_err(&path))
            })();
            if let Err(e) = result {
                *error.lock().expect("writer error lock") = Some(e);
                return; // dropping the receiver makes every later `write` fail
            }
        }
    });
    Writer { queue, thread }
}

impl Staging {
    /// Checks that `output` may be replaced and creates a fresh staging folder beside it.
    pub fn create(root: &Path, output: &Path) -> Result<Staging, OutputError> {
        let output = absolute(output);
        let root = absolute(root);
        if root.starts_with(&output) {
            return Err(OutputError::ContainsRoot(output));
        }
        if output.is_dir() && !output.join(MARKER).is_file() {
            let empty = fs::read_dir(&output).map_err(io_err(&output))?.next().is_none();
            if !empty {
                return Err(OutputError::NotOurs(output));
            }
        } else if output.exists() && !output.is_dir() {
            return Err(OutputError::NotOurs(output));
        }
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let lock = lock_output(&output)?;
        recover(&output)?;
        // Staging folders left by a build that died (the lock says none is running now).
        remove_stale_staging(&output)?;
        let dir = sibling(&output, &format!("tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        fs::write(dir.join(MARKER), "Thư mục này do nguoitot tạo ra; mỗi lần dựng trang sẽ thay toàn bộ.\n").map_err(io_err(&dir))?;
        let error = Arc::new(Mutex::new(None));
        Ok(Staging { output, dir, _lock: lock, writer: Mutex::new(Some(spawn_writer(error.clone()))), error, digests: Mutex::default() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Queues a file for writing under the staging folder (parents are created); an error of an
    /// earlier write is returned here or by [`Staging::commit`].
    pub fn write(&self, relative: &str, contents: Vec<u8>) -> Result<(), OutputError> {
        self.write_all(vec![(relative.to_string(), contents)])
    }

    /// Queues files for writing, as one batch.
    pub fn write_all(&self, files: Vec<(String, Vec<u8>)>) -> Result<(), OutputError> {
        let Some((first, _)) = files.first() else { return Ok(()) };
        let first = self.dir.join(first);
        let digests: Vec<(String, Digest)> = files.iter().map(|(relative, contents)| (relative.clone(), Digest::of(contents))).collect();
        self.digests.lock().expect("digests lock").extend(digests);
        let batch = files.into_iter().map(|(relative, contents)| (self.dir.join(relative), contents)).collect();
        let queue = self.writer.lock().expect("writer lock").as_ref().map(|w| w.queue.clone());
        let stopped = || self.error.lock().expect("writer error lock").take().unwrap_or_else(|| OutputError::Io { path: first.clone(), source: io::Error::other("writer stopped") });
        match queue {
            Some(queue) => queue.send(batch).map_err(|_| stopped()),
            None => Err(stopped()),
        }
    }

    /// Waits until every queued file is written.
    fn finish(&self) -> Result<(), OutputError> {
        if let Some(writer) = self.writer.lock().expect("writer lock").take() {
            drop(writer.queue);
            writer.thread.join().expect("the writer thread does not panic");
        }
        match self.error.lock().expect("writer error lock").take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Replaces the output with the staging folder, once every file is written and the
    /// manifest of them beside them.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        self.finish()?;
        let digests = std::mem::take(&mut *self.digests.lock().expect("digests lock"));
        let manifest_path = self.dir.join(manifest::FILE);
        fs::write(&manifest_path, Manifest::from_digests(digests).to_text()).map_err(io_err(&manifest_path))?;
        // Where the OS can swap two folders in one step, a kill at any moment leaves either the
        // old or the new output in place, never neither.
        if self.output.is_dir() && exchange(&self.dir, &self.output).is_ok() {
            fs::remove_dir_all(&self.dir).map_err(io_err(&self.dir))?;
            return Ok(self.output.clone());
        }
        let old = sibling(&self.output, "old");
        if self.output.exists() {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            fs::rename(&self.output, &old).map_err(io_err(&self.output))?;
        }
        fs::rename(&self.dir, &self.output).map_err(io_err(&self.dir))?;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(self.output.clone())
    }

    /// Drops the staging folder after a failed build.
    pub fn discard(self) {
        let _ = self.finish();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Staging {
    /// A build that ends without committing (an error, a panic unwinding) leaves no staging folder.
    fn drop(&mut self) {
        if let Ok(mut writer) = self.writer.lock() {
            if let Some(writer) = writer.take() {
                drop(writer.queue);
                let _ = writer.thread.join();
            }
        }
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// How long a build waits for another build of the same output to finish, in seconds
/// (`NGUOITOT_LOCK_WAIT` overrides it, e.g. for CI jobs that queue).
const LOCK_WAIT_SECONDS: u64 = 60;

/// Takes the output's lock file (`.<name>.nguoitot-lock` beside it), waiting while another build
/// holds it; the lock holds this process's id, so a build that waits can name the other one.
/// The OS releases the lock when the process ends, however it ends.
fn lock_output(output: &Path) -> Result<fs::File, OutputError> {
    use std::io::{Seek, Write};
    let path = sibling(output, "lock");
    let mut file = fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io_err(&path))?;
    let wait = std::env::var("NGUOITOT_LOCK_WAIT").ok().and_then(|s| s.parse().ok()).unwrap_or(LOCK_WAIT_SECONDS);
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(fs::TryLockError::WouldBlock) if started.elapsed().as_secs() < wait => std::thread::sleep(std::time::Duration::from_millis(100)),
            Err(fs::TryLockError::WouldBlock) => return Err(OutputError::Busy { output: output.to_path_buf(), holder: holder(&mut file), waited: wait }),
            Err(fs::TryLockError::Error(source)) => return Err(OutputError::Io { path, source }),
        }
    }
    let written = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
    written.map_err(io_err(&path))?;
    Ok(file)
}

/// The lock of `output` for a reader of the completed build (`deploy`): taken at once or refused
/// with [`OutputError::Busy`] while a build holds it. Builds that start meanwhile wait for it.
/// `None` when there is no output folder (no lock file is left behind).
pub fn hold_completed(output: &Path) -> Result<Option<fs::File>, OutputError> {
    let output = absolute(output);
    if !output.is_dir() && !sibling(&output, "old").is_dir() {
        return Ok(None);
    }
    let path = sibling(&output, "lock");
    let mut file = fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io_err(&path))?;
    match file.try_lock() {
        Ok(()) => {
            recover(&output)?;
            Ok(Some(file))
        }
        Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy { output, holder: holder(&mut file), waited: 0 }),
        Err(fs::TryLockError::Error(source)) => Err(OutputError::Io { path, source }),
    }
}

/// Who holds a lock file, as its process id written in it says ("tiến trình 1234").
fn holder(file: &mut fs::File) -> String {
    use std::io::Read;
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    match text.trim() {
        pid if !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()) => format!("tiến trình {pid}"),
        _ => "một tiến trình khác".to_string(),
    }
}

/// Removes the staging folders of earlier builds of `output` (only called with its lock held).
fn remove_stale_staging(output: &Path) -> Result<(), OutputError> {
    let Some(parent) = output.parent() else { return Ok(()) };
    let prefix = sibling(output, "tmp").file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for entry in fs::read_dir(parent).map_err(io_err(parent))?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) && entry.path().is_dir() {
            fs::remove_dir_all(entry.path()).map_err(io_err(&entry.path()))?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// If a previous build was killed between its two renames, put the old output back.
fn recover(output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "old");
    if !output.exists() && old.is_dir() {
        fs::rename(&old, output).map_err(io_err(&old))?;
    }
    Ok(())
}

fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.nguoitot-{what}"))
}

fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Resolve symlinks of the part that exists, so `a/../b` and links compare correctly.
    match abs.canonicalize() {
        Ok(p) => p,
        Err(_) => match (abs.parent(), abs.file_name()) {
            (Some(parent), Some(name)) => absolute(parent).join(name),
            _ => abs,
        },
    }
}
