//! Search benchmark: `cargo run --release --bin bench_search -- [N …]` (default 1000 10000).
//!
//! For each N it generates the deterministic corpus (`nguoitot::corpus`), builds the site,
//! times the search index alone, and runs `bench/search.mjs` (Node) for the bytes a browser
//! downloads for a first query and the query times, next to Pagefind when it is installed.
//! Work files go to `target/bench/`. Results are printed as Markdown for BENCHMARKS.md.

use std::process::Command;
use std::time::Instant;

use nguoitot::pipeline::{self, BuildOptions};
use nguoitot::report::Quiet;
use nguoitot::site::index::SiteIndex;

fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() { vec![1000, 10000] } else { sizes };
    let repo = nguoitot_bench::repo_root();
    for n in sizes {
        let site = nguoitot_bench::bench_site(&repo, n)?;
        let public = site.join("public");
        let started = Instant::now();
        let publish = nguoitot::site::index::Publish::now(false, true);
        let report = pipeline::build(&BuildOptions { root: site.clone(), output: Some(public.clone()), base_url: None, publish }, &Quiet)
            .map_err(|e| anyhow::anyhow!("build failed: {e}"))?;
        let build_secs = started.elapsed().as_secs_f64();

        // The search index alone, on the loaded site.
        let loaded = pipeline::load_site(&site).map_err(|_| anyhow::anyhow!("site did not load"))?;
        let index = SiteIndex::build(&loaded.content, &nguoitot::site::index::Publish::all());
        let started = Instant::now();
        let files = nguoitot::search::write_index(&index, &nguoitot::search::cards(&index), "");
        let index_secs = started.elapsed().as_secs_f64();
        let (index_bytes, index_files) = nguoitot_bench::dir_size(&public.join("tim-kiem"));
        drop(files);

        println!("\n### {n} stories\n");
        println!("- full site build: {build_secs:.2} s ({} pages)", report.pages);
        println!("- search index build (measured alone, in memory): {index_secs:.2} s");
        println!("- search index on disk: {:.1} MB in {index_files} files", index_bytes as f64 / 1e6);
        let status = Command::new("node").arg(repo.join("bench/search.mjs")).arg(&public).current_dir(&repo).status()?;
        anyhow::ensure!(status.success(), "bench/search.mjs failed");
    }
    Ok(())
}
