//! What one new or edited story makes a deploy upload, and how long planning a deploy takes.
//!
//! ```text
//! cargo run --release -p nguoitot-bench --bin bench_deploy -- 10000 [100000 …]
//! ```
//!
//! For each size: builds the benchmarks' corpus (into a copy under `$BENCH_TMP`, default
//! `/dev/shm`, so outputs are in memory), then adds one story dated today and builds again (the
//! first of its year), adds a second and builds again, then edits one older story and builds
//! again. Between consecutive builds it counts the files whose
//! manifest entries differ — what `nguoitot deploy` would upload or delete — by folder, and times
//! the plan of the last deploy (both manifests read and parsed, then compared).
//!
//! With `S3_ENDPOINT` (an S3 server such as `s3s-fs`, bucket `bench`, keys in `AWS_ACCESS_KEY_ID`
//! and `AWS_SECRET_ACCESS_KEY`), it also times the first full upload of the last size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use nguoitot::deploy::{plan, HeaderRules, Remote};
use nguoitot::pipeline::{self, BuildOptions};
use nguoitot::site::index::Publish;
use nguoitot::site::manifest::{self, Manifest};

fn build(site: &Path, output: &Path) -> anyhow::Result<(Manifest, f64)> {
    let started = Instant::now();
    let options = BuildOptions { root: site.to_path_buf(), output: Some(output.to_path_buf()), base_url: None, publish: Publish::now(false, false) };
    pipeline::build(&options, &nguoitot::report::Quiet).map_err(|e| anyhow::anyhow!(e.describe()))?;
    let elapsed = started.elapsed().as_secs_f64();
    Ok((Manifest::read(output)?.expect("a build writes its manifest"), elapsed))
}

/// Files new, changed or gone between two builds, by their first folder.
fn changes(before: &Manifest, after: &Manifest) -> (usize, BTreeMap<String, usize>) {
    let mut by_folder: BTreeMap<String, usize> = BTreeMap::new();
    let changed = after.files.iter().filter(|(p, e)| before.files.get(*p) != Some(*e)).map(|(p, _)| p);
    let gone = before.files.keys().filter(|p| !after.files.contains_key(*p));
    let mut total = 0;
    for path in changed.chain(gone) {
        total += 1;
        let folder = match path.split_once('/') {
            Some(("tim-kiem", rest)) => format!("tim-kiem/{}", rest.split_once('/').map_or("(tệp)", |(f, _)| f)),
            Some((folder, _)) => folder.to_string(),
            None => "(gốc)".to_string(),
        };
        *by_folder.entry(folder).or_default() += 1;
    }
    (total, by_folder)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).expect("under from");
        let target = to.join(rel);
        if entry.path_is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &target)?;
        } else if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

const NEW_STORY: &str = "---\ntitle: \"Hợp tác xã Nông nghiệp Thượng Hà\"\nkind: tap-the\nmovements: [chuyen-doi-so]\nunit: \"Hợp tác xã Nông nghiệp Thượng Hà\"\nlocality:\n  province: Lào Cai\n  commune: Xã Thượng Hà\ndate: TODAY\n---\nHợp tác xã đưa sản phẩm chè Shan tuyết lên sàn thương mại điện tử, mở lớp hướng dẫn bà con dùng điện thoại thông minh để bán hàng trực tuyến. Doanh thu năm nay tăng gấp đôi.\n";

fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() { vec![10_000] } else { sizes };
    let repo = nguoitot_bench::repo_root();
    let tmp = PathBuf::from(std::env::var("BENCH_TMP").unwrap_or_else(|_| "/dev/shm".into())).join("nguoitot-bench-deploy");
    let mut last_output = None;
    for &n in &sizes {
        let corpus = nguoitot_bench::bench_site(&repo, n)?;
        let _ = std::fs::remove_dir_all(&tmp);
        let site = tmp.join("site");
        copy_tree(&corpus, &site)?;
        let output = tmp.join("public");
        let (first, seconds) = build(&site, &output)?;
        println!("## {n} stories: {} files, {:.1} MB (build {seconds:.1} s)", first.files.len(), first.total_bytes() as f64 / 1e6);

        let today = chrono::Local::now().date_naive().to_string();
        std::fs::write(site.join("content/stories/zz-moi.md"), NEW_STORY.replace("TODAY", &today))?;
        let (added, _) = build(&site, &output)?;
        let (count, by_folder) = changes(&first, &added);
        println!("one story added: {count} files changed — {by_folder:?}");
        // Other stories' pages that changed: those that now link to the new story, and the rest.
        let others: Vec<&String> = added.files.iter().filter(|(p, e)| p.starts_with("guong/") && !p.starts_with("guong/zz-moi/") && first.files.get(*p) != Some(*e)).map(|(p, _)| p).collect();
        let linking = others.iter().filter(|p| std::fs::read_to_string(output.join(p)).is_ok_and(|html| html.contains("/guong/zz-moi/"))).count();
        println!("  other story pages changed: {} ({linking} now link to the new story)", others.len());

        // A second story of the same day: the first was also the first of its year, which adds a
        // link to every year's page; this one shows the usual case.
        std::fs::write(site.join("content/stories/zz-moi-2.md"), NEW_STORY.replace("TODAY", &today).replace("Thượng Hà\"", "Thượng Hà 2\""))?;
        let (second, _) = build(&site, &output)?;
        let (count, by_folder) = changes(&added, &second);
        println!("another story added (same year): {count} files changed — {by_folder:?}");
        let added = second;

        // An older story, edited: one more sentence.
        let edited_file = site.join(format!("content/stories/g{:06}.md", n / 2));
        let text = std::fs::read_to_string(&edited_file)?;
        std::fs::write(&edited_file, format!("{text}\nNăm nay, gương điển hình tiếp tục được biểu dương tại hội nghị tổng kết.\n"))?;
        let (edited, _) = build(&site, &output)?;
        let (count, by_folder) = changes(&added, &edited);
        println!("one story edited: {count} files changed — {by_folder:?}");

        // Planning the deploy of the edit: the published manifest (with header fingerprints) as
        // the bucket would hold it, then both read from text and compared.
        let rules = HeaderRules::new(&[]);
        let published = plan::plan(&added, &Remote::Listed(Vec::new()), &rules).published.to_text();
        let local_text = std::fs::read_to_string(output.join(manifest::FILE))?;
        let started = Instant::now();
        let local = Manifest::parse(&local_text)?;
        let remote = Manifest::parse(&published)?;
        let planned = plan::plan(&local, &Remote::Manifest(remote), &rules);
        println!(
            "plan after the edit: {:.3} s ({} uploads, {} deletes, {} unchanged; manifest {:.1} MB)",
            started.elapsed().as_secs_f64(),
            planned.uploads.len(),
            planned.deletes.len(),
            planned.unchanged,
            local_text.len() as f64 / 1e6
        );
        last_output = Some(output);
    }

    if let (Ok(endpoint), Some(output)) = (std::env::var("S3_ENDPOINT"), last_output) {
        let options = nguoitot::deploy::DeployOptions {
            root: tmp.join("site"),
            output: Some(output.clone()),
            target: nguoitot::deploy::TargetChoice { name: None, url: Some("s3://bench/site".into()), endpoint: Some(endpoint), region: None },
            dry_run: false,
            force: true,
            max_deletes: usize::MAX,
            parallel: nguoitot::deploy::DEFAULT_PARALLEL,
        };
        let started = Instant::now();
        let report = nguoitot::deploy::deploy(&options, &nguoitot::report::Quiet)?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "first full upload: {} files, {:.1} MB in {seconds:.1} s — {:.0} files/s, {:.1} MB/s",
            report.uploaded,
            report.uploaded_bytes as f64 / 1e6,
            report.uploaded as f64 / seconds,
            report.uploaded_bytes as f64 / 1e6 / seconds
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
