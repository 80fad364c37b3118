//! Buckets by key (a client address, a visitor, an agent) in a table of
//! bounded size. A key that spoofs or rotates (many addresses, many visitor
//! sessions) must not grow memory: the table holds at most `max_keys`
//! buckets. When it is full, buckets that have refilled are swept — a full
//! bucket is the same as a new one, so nothing is lost — and if every bucket
//! is still in use (a flood from many keys at once), newcomers share one
//! overflow bucket until keys go idle. Keys already known keep their own.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::bucket::{Bucket, Rate};

/// How often a full table may be swept: a sweep walks every key, so a flood
/// of newcomers must not make every request pay for one.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// A bounded table of buckets with one rate.
#[derive(Debug)]
pub struct Keyed<K> {
    rate: Rate,
    max_keys: usize,
    inner: Mutex<Inner<K>>,
}

#[derive(Debug)]
struct Inner<K> {
    buckets: HashMap<K, Bucket>,
    overflow: Option<Bucket>,
    swept_at: Option<Instant>,
}

impl<K: Hash + Eq> Keyed<K> {
    /// An empty table of at most `max_keys` buckets of `rate`.
    pub fn new(rate: Rate, max_keys: usize) -> Self {
        Keyed {
            rate,
            max_keys: max_keys.max(1),
            inner: Mutex::new(Inner {
                buckets: HashMap::new(),
                overflow: None,
                swept_at: None,
            }),
        }
    }

    /// Takes a token from `key`'s bucket, or says how long until one is back.
    pub fn take<Q>(&self, key: &Q, now: Instant) -> Result<(), Duration>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let rate = self.rate;
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bucket) = inner.buckets.get_mut(key) {
            return bucket.take(rate, now);
        }
        if inner.buckets.len() >= self.max_keys {
            let due = inner
                .swept_at
                .is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY);
            if due {
                inner.buckets.retain(|_, b| !b.is_idle(rate, now));
                inner.swept_at = Some(now);
            }
        }
        if inner.buckets.len() >= self.max_keys {
            return inner
                .overflow
                .get_or_insert_with(|| Bucket::full(rate, now))
                .take(rate, now);
        }
        let mut bucket = Bucket::full(rate, now);
        let taken = bucket.take(rate, now);
        inner.buckets.insert(key.to_owned(), bucket);
        taken
    }

    /// How many keys have a bucket.
    pub fn len(&self) -> usize {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.buckets.len()
    }

    /// Whether no key has a bucket.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_bucket() {
        let table = Keyed::<String>::new(Rate::new(2, 60), 100);
        let t0 = Instant::now();
        assert!(table.take("a", t0).is_ok());
        assert!(table.take("a", t0).is_ok());
        assert!(table.take("a", t0).is_err());
        assert!(table.take("b", t0).is_ok(), "another key is not affected");
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn the_table_never_holds_more_than_its_cap() {
        let table = Keyed::<u32>::new(Rate::new(1, 60), 3);
        let t0 = Instant::now();
        for key in 0..1000 {
            let _ = table.take(&key, t0);
            assert!(table.len() <= 3);
        }
        // Every slot is busy: newcomers share the overflow bucket (already
        // spent by the flood), while known keys keep their own.
        assert!(table.take(&5000, t0).is_err());
        assert!(table.take(&0, t0 + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn idle_keys_are_swept_to_make_room() {
        let table = Keyed::<u32>::new(Rate::new(1, 60), 2);
        let t0 = Instant::now();
        assert!(table.take(&1, t0).is_ok());
        assert!(table.take(&2, t0).is_ok());
        // A minute later both buckets have refilled: forgetting them is lossless.
        let later = t0 + Duration::from_secs(60);
        assert!(table.take(&3, later).is_ok());
        assert_eq!(table.len(), 1);
        assert!(table.take(&3, later).is_err(), "3 has its own bucket");
    }
}
