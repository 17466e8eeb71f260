//! Rebuilds the crate when the built-in series changes: `include_dir!` alone does not tell Cargo.

fn main() {
    println!("cargo:rerun-if-changed=series");
}
