// The default theme is compiled into the binary (src/theme.rs): rebuild when any file under it
// changes, is added or is removed (include_dir alone notices only changes to files it knew).
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
