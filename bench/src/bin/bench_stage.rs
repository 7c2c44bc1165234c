//! Times one CPU-bound stage of a build on its own, N times, and prints the fastest and the median:
//! a stage measured alone and repeated shows a change of a few per cent that whole builds on this
//! machine (whose speed moves by a third within minutes) hide. See BENCHMARKS.md.
//!
//! ```sh
//! RAYON_NUM_THREADS=1 cargo run --release --bin bench_stage -- target/bench/site-10000 invert 5
//! ```
//! Stages: `invert` (the client index's inverted index), `index` (every file of the client index),
//! `related` (related stories of every story, with the tantivy index of `build`).

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use nguoitot::site::index::{Publish, SiteIndex};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(stage)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: bench_stage <site folder> <invert|index|related> [runs]");
    };
    let runs: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let site = nguoitot::pipeline::load_site(std::path::Path::new(&root)).map_err(|diags| anyhow::anyhow!("the site has errors: {} of them", diags.error_count()))?;
    let index = SiteIndex::build(&site.content, &Publish::now(false, false));
    let cards = nguoitot::search::cards(&index);
    let engine = (stage == "related").then(|| nguoitot::search::engine::Engine::build_with(&index, cards.clone().into(), nguoitot::search::engine::Coverage::Related)).transpose()?;
    let mut seconds = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = std::time::Instant::now();
        match stage.as_str() {
            "invert" => drop(std::hint::black_box(nguoitot::search::client::terms::invert(&index, nguoitot::search::client::terms::average_body_length(&index)))),
            "index" => drop(std::hint::black_box(nguoitot::search::write_index(&index, &cards, ""))),
            "related" => drop(std::hint::black_box(nguoitot::search::engine::related_stories(&index, engine.as_ref().expect("built for this stage"))?)),
            other => anyhow::bail!("unknown stage {other}: invert, index or related"),
        }
        seconds.push(started.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    println!("{stage}: fastest {:.3} s, median {:.3} s of {} runs", seconds[0], seconds[seconds.len() / 2], seconds.len());
    Ok(())
}
