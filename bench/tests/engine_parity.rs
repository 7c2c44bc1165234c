//! The tantivy engine and the browser client rank alike on the benchmarks' generated corpus of
//! 1,000 stories (see `tests/common/parity.rs`).

#[path = "../../tests/common/parity.rs"]
mod parity;

#[test]
fn engine_and_client_agree_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    nguoitot_bench::write_site(&root, 1000, 7, &nguoitot_bench::repo_root()).unwrap();
    parity::assert_parity(
        &root,
        &["dien quan", "xã điện quan", "nguyen van", "hoang", "thanh nien tinh nguyen", "bac ha", "sa pa", "lao cai", "nong thon moi", "bằng khen", "giam ngheo", "hợp tác xã"],
    );
}

