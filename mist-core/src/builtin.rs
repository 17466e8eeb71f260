//! The MIST demo series, compiled into the crate so that a server works with no files around it.

use include_dir::{Dir, include_dir};

use crate::authoring::{LoadOutcome, SourceTree, load};

static SERIES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/series");

/// The built-in series' files, as a [`SourceTree`] rooted at `builtin:`.
pub fn source() -> SourceTree {
    let mut tree = SourceTree::new("builtin:series").with_root_name("series");
    let mut pending = vec![&SERIES_DIR];
    while let Some(dir) = pending.pop() {
        pending.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            tree.insert_bytes(path, file.contents().to_vec());
        }
    }
    tree
}

/// Loads and checks the built-in series. It is valid by construction (a test guards it), so callers may
/// treat a missing series as a build defect.
pub fn load_series() -> LoadOutcome {
    load(&source())
}
