//! Times the registry's first load and the resolution of 100,000 localities written as stories
//! write them: half the old way (province, district, commune of before 1 July 2025, dated 2022),
//! half the new way (province and commune, dated 2025-09), names taken from the registry with one
//! in ten misspelt (a letter dropped: the slow path, with suggestions). On one thread: the build
//! resolves them on all cores, so this is an upper bound of what they add to a build.
//!
//! ```sh
//! cargo run --release -p nguoitot-bench --bin bench_places -- 100000
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
        let wrong = rng.below(10) == 0;
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

    let started = std::time::Instant::now();
    let (mut resolved, mut findings) = (0, 0);
    for (province, district, commune, date) in &localities {
        let written = Written { province: Some(province), district: district.as_deref(), commune: Some(commune) };
        let (place, found) = places::resolve(written, *date);
        resolved += usize::from(place.commune.is_some());
        findings += found.len();
    }
    let resolve = started.elapsed();
    println!(
        "registry load {:.3} s; {n} localities resolved in {:.3} s on one thread ({resolved} to a commune, {findings} findings)",
        load.as_secs_f64(),
        resolve.as_secs_f64()
    );
    Ok(())
}
