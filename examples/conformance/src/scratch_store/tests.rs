use std::path::{Path, PathBuf};

use super::ScratchStore;

/// A fresh folder for one test, under the temp folder.
fn folder(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("orion-conformance-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_database_and_its_side_files_are_removed_on_drop() {
    let folder = folder("drop");
    let scratch = ScratchStore::open_at(folder.join("store.db")).unwrap();
    scratch.store().execute("CREATE TABLE t (x INTEGER)", ()).unwrap();
    assert!(files(&folder).contains(&"store.db".to_owned()));
    drop(scratch);
    assert_eq!(files(&folder), Vec::<String>::new());
    std::fs::remove_dir(&folder).unwrap();
}

#[test]
fn what_an_earlier_process_left_is_replaced() {
    let folder = folder("leftover");
    std::fs::write(folder.join("store.db"), b"not a database").unwrap();
    std::fs::write(folder.join("store.db-wal"), b"stale").unwrap();
    let scratch = ScratchStore::open_at(folder.join("store.db")).unwrap();
    scratch.store().execute("CREATE TABLE t (x INTEGER)", ()).unwrap();
    drop(scratch);
    assert_eq!(files(&folder), Vec::<String>::new());
    std::fs::remove_dir(&folder).unwrap();
}
