//! Times the registry's first load and the resolution of 100,000 localities written as stories
//! write them: half the old way (province, district, commune of before 1 July 2025, dated 2022),
//! half the new way (province and commune, dated 2025-09), names taken from the registry with one
//! in ten misspelt (a letter dropped: the slow path, with suggestions; `NO_TYPOS=1` for none).
//! Timed on one thread, then on every core as the loader resolves them (each story file on a
//! rayon thread), each run in a fresh process state for the per-thread name cache.
//!
//! ```sh
//! cargo run --release -p nguoitot-bench --bin bench_places -- 100000            # one thread
//! cargo run --release -p nguoitot-bench --bin bench_places -- 100000 parallel   # every core
//! ```

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use nguoitot::places::{self, Written};
use nguoitot_bench::Rng;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(100_000);
    let started = std::time::Instant::now();
    let r = places::registry();
    let load = started.elapsed();

    let mut rng = Rng::new(2025);
    let misspell = |name: &str, rng: &mut Rng| -> String {
        let chars: Vec<char> = name.chars().collect();
        let at = 4 + rng.below(chars.len().saturating_sub(4).max(1));
        chars.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, c)| c).collect()
    };
    let mut localities: Vec<(String, Option<String>, String, chrono::NaiveDate)> = Vec::with_capacity(n);
    for i in 0..n {
        let wrong = std::env::var("NO_TYPOS").is_err() && rng.below(10) == 0;
        if i % 2 == 0 {
            let c = &r.old_communes[rng.below(r.old_communes.len())];
            let d = r.old_district(c.district);
            let p = r.old_province(d.province);
            let commune = if wrong { misspell(&c.name, &mut rng) } else { c.name.clone() };
            localities.push((p.short.clone(), Some(d.name.clone()), commune, chrono::NaiveDate::from_ymd_opt(2022, 5, 1).unwrap()));
        } else {
            let c = &r.communes[rng.below(r.communes.len())];
            let commune = if wrong { misspell(&c.name, &mut rng) } else { c.name.clone() };
            localities.push((r.province(c.province).short.clone(), None, commune, chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap()));
        }
    }

    let resolve = |(province, district, commune, date): &(String, Option<String>, String, chrono::NaiveDate)| {
        let written = Written { province: Some(province), district: district.as_deref(), commune: Some(commune) };
        let (place, found) = places::resolve(written, *date);
        (usize::from(place.commune.is_some()), found.len())
    };
    let parallel = std::env::args().nth(2).as_deref() == Some("parallel");
    let started = std::time::Instant::now();
    let (resolved, findings) = if parallel {
        use rayon::prelude::*;
        localities.par_iter().map(resolve).reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    } else {
        localities.iter().map(resolve).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    let elapsed = started.elapsed();
    let how = if parallel { format!("on {} threads", rayon::current_num_threads()) } else { "on one thread".to_string() };
    println!(
        "registry load {:.3} s; {n} localities resolved in {:.3} s {how} ({resolved} to a commune, {findings} findings)",
        load.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    Ok(())
}
