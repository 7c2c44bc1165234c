//! Photo benchmark: `cargo run --release --bin bench_images -- [COUNT]` (default 200).
//!
//! Writes COUNT synthetic 4000×3000 phone photos (gradients and noise, EXIF-free) with one story
//! each under `target/bench/photos-COUNT`, then times a cold build (empty image cache) and a warm
//! one (cache filled, nothing changed). Results are printed as Markdown for BENCHMARKS.md.

use std::time::Instant;

use nguoitot::pipeline::{self, BuildOptions, IMAGE_CACHE};
use nguoitot::report::Quiet;
use nguoitot::site::index::Publish;
use nguoitot_bench::Rng;

fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(200);
    let repo = nguoitot_bench::repo_root();
    let site = repo.join(format!("target/bench/photos-{count}"));
    if !site.join("content/stories").is_dir() {
        let started = Instant::now();
        std::fs::create_dir_all(site.join("content/movements"))?;
        std::fs::create_dir_all(site.join("themes"))?;
        std::fs::write(site.join("nguoitot.toml"), "title = \"Ảnh\"\nbase_url = \"https://bench.example\"\n")?;
        std::fs::copy(repo.join("content/movements/thanh-nien-lam-chu-dat-nuoc.md"), site.join("content/movements/thanh-nien-lam-chu-dat-nuoc.md"))?;
        std::os::unix::fs::symlink(repo.join("themes/default"), site.join("themes/default"))?;
        let mut rng = Rng::new(7);
        for i in 0..count {
            let dir = site.join(format!("content/stories/s{i:04}"));
            std::fs::create_dir_all(&dir)?;
            let (a, b) = (rng.below(200) as u8, rng.below(200) as u8);
            let mut noise = Rng::new(i as u64);
            let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
                let n = (noise.next() % 24) as u8;
                image::Rgb([a.wrapping_add((x / 16) as u8).wrapping_add(n), b.wrapping_add((y / 12) as u8), ((x + y) / 28) as u8 ^ n])
            });
            let mut jpeg = std::fs::File::create(dir.join("anh.jpg"))?;
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 88).encode_image(&img)?;
            std::fs::write(
                dir.join("index.md"),
                format!("---\ntitle: \"Gương {i}\"\nkind: ca-nhan\nmovements: [thanh-nien-lam-chu-dat-nuoc]\ndate: 2022-01-01\nphoto:\n  src: anh.jpg\n  alt: Ảnh {i}\n---\nNội dung.\n"),
            )?;
        }
        eprintln!("{count} photos written in {:.1} s", started.elapsed().as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(site.join(IMAGE_CACHE));
    let options = BuildOptions { root: site.clone(), output: None, base_url: None, publish: Publish::now(false, true) };
    let started = Instant::now();
    let cold = pipeline::build(&options, &Quiet).map_err(|e| anyhow::anyhow!("{e}"))?;
    let cold_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let warm = pipeline::build(&options, &Quiet).map_err(|e| anyhow::anyhow!("{e}"))?;
    let warm_secs = started.elapsed().as_secs_f64();
    println!("| photos (4000×3000) | cold build | encoded | warm build | encoded / reused |");
    println!("|---|---|---|---|---|");
    println!("| {count} | {cold_secs:.1} s | {} | {warm_secs:.2} s | {} / {} |", cold.images_encoded, warm.images_encoded, warm.images_reused);
    Ok(())
}
