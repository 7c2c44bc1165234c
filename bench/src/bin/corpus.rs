//! Writes the benchmarks' deterministic site of N stories into a folder (the same files
//! `bench_build` and `bench_search` generate), to build it by hand or compare two builds of it:
//!
//! ```sh
//! cargo run -p nguoitot-bench --bin corpus -- 10000 /dev/shm/site-10000
//! ```

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: corpus <stories> <folder>");
    };
    let dir = std::path::PathBuf::from(dir);
    nguoitot_bench::write_site(&dir, n.parse()?, 2026, &nguoitot_bench::repo_root())?;
    println!("{} stories written to {}", n, dir.display());
    Ok(())
}
