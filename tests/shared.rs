//! Access to `../shared`, the material beside the checkout that some tests read.

use std::path::PathBuf;

/// The `shared` folder beside the checkout, or `None` (with a message) when it is absent outside CI.
/// In CI its absence fails the test: a test that silently skipped there would prove nothing.
pub fn dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing in CI",
        dir.display()
    );
    eprintln!("skipping: {} is absent", dir.display());
    None
}
