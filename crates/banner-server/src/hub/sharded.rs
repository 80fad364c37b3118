//! A hash map split into [`SHARDS`] maps by the key's hash, for tables the
//! hub keeps per command.
//!
//! A `HashMap` grows by moving every entry into a table twice the size, all
//! at once. The hub is one task, so that move stops every socket's commands:
//! with ~57,000 remembered commands it took ~8 ms (the load benchmark caught
//! it inside its latency's tail), and a server that remembers a million would
//! stop for a good part of a second. Split in 64, a map grows a sixty-fourth
//! at a time; the total work is the same.

use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::hash::{BuildHasher, Hash};

/// How many maps the entries are spread over: `1 << SHARD_BITS`.
pub const SHARDS: usize = 1 << SHARD_BITS;
const SHARD_BITS: u32 = 6;

/// See the module docs.
#[derive(Debug)]
pub struct ShardedMap<K, V> {
    /// Picks the shard; each shard hashes again with its own keys.
    pick: RandomState,
    shards: Vec<HashMap<K, V>>,
}

impl<K: Hash + Eq, V> Default for ShardedMap<K, V> {
    fn default() -> Self {
        ShardedMap {
            pick: RandomState::new(),
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
        }
    }
}

impl<K: Hash + Eq, V> ShardedMap<K, V> {
    fn shard(&self, key: &K) -> usize {
        // The high bits: the shard's own table indexes by the low ones.
        (self.pick.hash_one(key) >> (u64::BITS - SHARD_BITS)) as usize
    }

    /// The value for `key`, to change.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let i = self.shard(key);
        self.shards[i].get_mut(key)
    }

    /// Sets `key`'s value; returns the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let i = self.shard(&key);
        self.shards[i].insert(key, value)
    }

    /// `key`'s entry, to read, change or remove.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let i = self.shard(&key);
        self.shards[i].entry(key)
    }

    /// Every value.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.shards.iter().flat_map(HashMap::values)
    }

    /// Keeps only the entries `keep` says to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        for shard in &mut self.shards {
            shard.retain(&mut keep);
        }
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.shards.iter().map(HashMap::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_holds_what_a_map_holds_spread_over_its_shards() {
        let mut map = ShardedMap::default();
        let mut plain = HashMap::new();
        for n in 0..10_000u32 {
            assert_eq!(map.insert(n, n * 2), plain.insert(n, n * 2));
        }
        assert_eq!(map.insert(7, 1), Some(14));
        plain.insert(7, 1);
        if let Some(v) = map.get_mut(&8) {
            *v = 0;
        }
        plain.insert(8, 0);
        if let Entry::Occupied(e) = map.entry(9) {
            e.remove();
        }
        plain.remove(&9);
        map.retain(|k, _| k % 3 != 0);
        plain.retain(|k, _| k % 3 != 0);
        assert_eq!(map.len(), plain.len());
        let mut values: Vec<u32> = map.values().copied().collect();
        let mut expected: Vec<u32> = plain.values().copied().collect();
        values.sort_unstable();
        expected.sort_unstable();
        assert_eq!(values, expected);
        for (k, v) in &plain {
            assert_eq!(map.get_mut(k), Some(&mut v.clone()));
        }
        // Spread: no shard holds more than twice its share.
        let most = map.shards.iter().map(HashMap::len).max().unwrap_or(0);
        assert!(most < 2 * map.len() / SHARDS, "{most} in one shard");
        assert!(map.shards.iter().all(|s| !s.is_empty()));
    }
}
