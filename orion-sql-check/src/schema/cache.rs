//! The process-wide cache of built schemas, keyed by the migrations' content hash (see the
//! [module docs](super)).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::{Migration, Schema, SchemaError};

/// How many schemas the cache keeps (the most recently used).
pub const CACHE_SIZE: usize = 8;

/// The cached schemas, most recently used last.
static CACHE: Mutex<Vec<Arc<Schema>>> = Mutex::new(Vec::new());

/// The hash of the migrations' names, paths and texts, in order. `DefaultHasher::new()` has fixed
/// keys, so the hash is the same for the same migrations throughout a process (it is never
/// stored anywhere else).
pub(super) fn content_hash(migrations: &[Migration]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for migration in migrations {
        migration.name.hash(&mut hasher);
        migration.path.hash(&mut hasher);
        migration.sql.hash(&mut hasher);
    }
    hasher.finish()
}

/// The schema of `migrations`, built at most once per process while it stays cached.
/// Failures are not cached: they are rare and cheap to repeat.
pub(super) fn get_or_build(migrations: Vec<Migration>) -> Result<Arc<Schema>, SchemaError> {
    let hash = content_hash(&migrations);
    // Held while building, so two threads checking the same crate build it once.
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let same = |schema: &Arc<Schema>| {
        schema.hash == hash
            && schema.migrations.len() == migrations.len()
            && schema.migrations.iter().zip(&migrations).all(|(a, b)| a == b)
    };
    if let Some(index) = cache.iter().position(same) {
        let schema = cache.remove(index);
        cache.push(Arc::clone(&schema));
        return Ok(schema);
    }
    let schema = Arc::new(Schema::build(migrations, hash)?);
    if cache.len() == CACHE_SIZE {
        cache.remove(0);
    }
    cache.push(Arc::clone(&schema));
    Ok(schema)
}
