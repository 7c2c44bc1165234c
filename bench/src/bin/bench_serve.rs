//! `serve`'s story-by-story rebuilds on a copy of the benchmarks' site: three changes — a title
//! edited, a date moved, a story added — each applied the way `serve` applies it, timed, then
//! compared file by file with a full build of the changed files (every file must be equal).
//!
//! ```sh
//! cargo run --release -p nguoitot-bench --bin bench_serve -- 10000
//! ```

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::time::Instant;

use anyhow::{anyhow, bail};
use nguoitot::report::Quiet;
use nguoitot::serve::live::LiveSite;
use nguoitot::site::index::Publish;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10_000);
    let repo = nguoitot_bench::repo_root();
    let site = repo.join(format!("target/bench/serve-{n}"));
    let _ = std::fs::remove_dir_all(&site);
    nguoitot_bench::write_site(&site, n, 2026, &repo)?;
    let publish = Publish::now(false, false);
    let base = "http://127.0.0.1:1111";
    let started = Instant::now();
    let (mut live, _) = LiveSite::full(&site, publish, base, &Quiet).map_err(|e| anyhow!(e.describe()))?;
    println!("| change | pages rendered | time | files equal to a full build |");
    println!("|---|---|---|---|");
    println!("| first build, in memory | all | {:.2} s | |", started.elapsed().as_secs_f64());
    let story = |i: usize| site.join(format!("content/stories/g{:06}.md", i * 4321 % n));
    let changes: [(&str, Box<dyn Fn(&str) -> String>, std::path::PathBuf); 3] = [
        ("a title edited", Box::new(|text| text.replacen("title: \"", "title: \"Sửa ", 1)), story(1)),
        ("a date moved", Box::new(|text| text.lines().map(|l| if l.starts_with("date: ") { "date: 2025-06-30" } else { l }).collect::<Vec<_>>().join("\n") + "\n"), story(2)),
        ("a story added", Box::new(|text| text.replacen("title: \"", "title: \"Mới ", 1)), site.join("content/stories/moi.md")),
    ];
    for (what, change, target) in changes {
        let source = if target.exists() { target.clone() } else { story(3) };
        std::fs::write(&target, change(&std::fs::read_to_string(source)?))?;
        let started = Instant::now();
        let update = live.update(std::slice::from_ref(&target), &Quiet).map_err(|e| anyhow!(e.describe()))?.ok_or_else(|| anyhow!("needed a full build"))?;
        let took = started.elapsed();
        live.refresh_search(&|| false, &Quiet).map_err(|e| anyhow!(e.describe()))?;
        let (fresh, _) = LiveSite::full(&site, publish, base, &Quiet).map_err(|e| anyhow!(e.describe()))?;
        let differing: Vec<&String> = fresh.files.iter().filter(|(path, bytes)| live.files.get(*path) != Some(*bytes)).map(|(path, _)| path).collect();
        if !differing.is_empty() || live.files.len() != fresh.files.len() {
            bail!("after {what}: {} files differ from a full build, e.g. {:?}", differing.len(), differing.first());
        }
        println!("| {what} | {} | {:.0} ms | {} of {} |", update.rendered, took.as_secs_f64() * 1000.0, fresh.files.len(), fresh.files.len());
    }
    Ok(())
}
