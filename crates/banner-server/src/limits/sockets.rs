//! Open WebSockets per client address. Each socket holds a [`Slot`] for as
//! long as it lives; the count of an address goes when its last slot does,
//! so the table never holds more entries than there are open sockets.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open sockets per key, up to a cap each.
#[derive(Debug)]
pub struct Counted<K> {
    max: u32,
    open: Arc<Mutex<HashMap<K, u32>>>,
}

impl<K: Hash + Eq + Clone + Send + 'static> Counted<K> {
    /// A table allowing `max` open sockets per key.
    pub fn new(max: u32) -> Self {
        Counted {
            max,
            open: Arc::default(),
        }
    }

    /// A slot for one more socket of `key`, unless it has `max` already.
    pub fn acquire(&self, key: K) -> Option<Slot<K>> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.get(&key).copied().unwrap_or(0);
        if count >= self.max {
            return None;
        }
        open.insert(key.clone(), count + 1);
        Some(Slot {
            key: Some(key),
            open: Arc::clone(&self.open),
        })
    }

    /// Open sockets of `key`.
    pub fn count(&self, key: &K) -> u32 {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.get(key).copied().unwrap_or(0)
    }
}

/// One open socket's place in the count; given back when dropped.
#[derive(Debug)]
pub struct Slot<K: Hash + Eq = IpAddr> {
    key: Option<K>,
    open: Arc<Mutex<HashMap<K, u32>>>,
}

impl<K: Hash + Eq> Drop for Slot<K> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_at_most_max_slots_and_gets_them_back_when_dropped() {
        let table = Counted::new(2);
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let first = table.acquire(a);
        let second = table.acquire(a);
        assert!(first.is_some() && second.is_some());
        assert!(table.acquire(a).is_none());
        assert!(
            table.acquire(b).is_some(),
            "another address has its own count"
        );
        drop(first);
        assert_eq!(table.count(&a), 1);
        assert!(table.acquire(a).is_some());
        drop(second);
        assert_eq!(table.count(&b), 0, "the entries go with their last slot");
        assert!(table.open.lock().is_ok_and(|m| m.is_empty()));
    }
}
