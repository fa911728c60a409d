//! The store the endpoint's app runs on: a fresh SQLite file in the temp folder, removed on exit.
//!
//! `/test` never reads or writes data, but every orion app is built over a [`Store`] (each
//! handler's `Ctx` carries it), so the server opens one. It is a fresh file per process,
//! `orion-conformance-<pid>.db` in [`std::env::temp_dir`], so that several servers (the test
//! runner starts its own next to a developer's) never share or lock one database and no state
//! carries over from an earlier run. It is removed (with SQLite's `-wal` and `-shm` side files)
//! when the process ends, so running the suite leaves nothing behind.

use std::io;
use std::path::{Path, PathBuf};

use orion::{Bus, Store};

/// A store in a throwaway file, deleted when this value is dropped.
#[derive(Debug)]
pub(crate) struct ScratchStore {
    store: Store,
    path: PathBuf,
}

impl ScratchStore {
    /// Opens a fresh store at `<temp dir>/orion-conformance-<pid>.db`.
    pub(crate) fn open() -> orion::Result<ScratchStore> {
        let path = std::env::temp_dir().join(format!("orion-conformance-{}.db", std::process::id()));
        ScratchStore::open_at(path)
    }

    /// Opens a fresh store at `path`, first removing what an earlier process with the same id
    /// may have left there.
    pub(crate) fn open_at(path: PathBuf) -> orion::Result<ScratchStore> {
        remove(&path)?;
        let store = Store::open(&path, &Bus::new())?;
        Ok(ScratchStore { store, path })
    }

    /// The store, for the app.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}

impl Drop for ScratchStore {
    fn drop(&mut self) {
        if let Err(error) = self.store.close() {
            eprintln!("warning: closing the scratch store at `{}` failed: {error}", self.path.display());
        }
        if let Err(error) = remove(&self.path) {
            eprintln!("warning: {error}");
        }
    }
}

/// Removes the database file at `path` and SQLite's side files; missing ones are fine.
fn remove(path: &Path) -> io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let file = PathBuf::from(file);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(io::Error::new(
                    error.kind(),
                    format!("cannot remove `{}` ({error}): delete it by hand", file.display()),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
