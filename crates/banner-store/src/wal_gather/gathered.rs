//! One WAL file's kept writes: what follows on is kept together, a rewrite
//! inside what is kept replaces those bytes, and nothing grows past
//! [`CAPACITY`]. The VFS (`mod.rs`) decides when they go to the file.

/// The most a buffer holds before it goes out: 29 frames of 4 KiB pages, so
/// a commit of ~50 frames takes two writes instead of ~100. Not more: SQLite's
/// unix VFS passes at most 128 KiB − 1 to one `pwrite` (it masks the length
/// to 17 bits) and calls a longer write a full disk.
const CAPACITY: usize = 120 * 1024;

/// Writes kept for one WAL file: the bytes of `[start, start + len)`.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    /// Where the kept bytes go in the file.
    pub(super) start: i64,
    /// What is kept; emptied once written.
    pub(super) bytes: Vec<u8>,
}

impl Gathered {
    /// An empty buffer, its whole capacity allocated once.
    pub(super) fn new() -> Self {
        Gathered {
            start: 0,
            bytes: Vec::with_capacity(CAPACITY),
        }
    }

    /// Keeps `data` meant for `offset` if it lands inside what is kept or
    /// right after it, within [`CAPACITY`]. `false`: the caller must flush
    /// first (or, for an empty buffer, write `data` itself: it is too large).
    pub(super) fn keep(&mut self, offset: i64, data: &[u8]) -> bool {
        if self.bytes.is_empty() {
            if data.len() > CAPACITY {
                return false;
            }
            self.start = offset;
            self.bytes.extend_from_slice(data);
            return true;
        }
        let end = self.start + self.bytes.len() as i64;
        if offset < self.start || offset > end {
            return false;
        }
        let at = (offset - self.start) as usize;
        if at + data.len() > CAPACITY {
            return false;
        }
        // SQLite rewrites a frame in place when a transaction changes a page
        // it already logged: that lands inside the buffer.
        let inside = data.len().min(self.bytes.len() - at);
        self.bytes[at..at + inside].copy_from_slice(&data[..inside]);
        self.bytes.extend_from_slice(&data[inside..]);
        true
    }

    /// Whether `[offset, offset + len)` touches what is kept.
    pub(super) fn overlaps(&self, offset: i64, len: i64) -> bool {
        !self.bytes.is_empty()
            && offset < self.start + self.bytes.len() as i64
            && self.start < offset + len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(g: &Gathered) -> (i64, Vec<u8>) {
        (g.start, g.bytes.clone())
    }

    #[test]
    fn writes_that_follow_on_are_kept_together() {
        let mut g = Gathered::default();
        assert!(g.keep(4096, b"head"));
        assert!(g.keep(4100, b"page"));
        assert_eq!(kept(&g), (4096, b"headpage".to_vec()));
        // A gap, or a write before the start, is not kept: flush first.
        assert!(!g.keep(4105, b"x"));
        assert!(!g.keep(4095, b"x"));
    }

    #[test]
    fn a_write_inside_what_is_kept_replaces_those_bytes_and_may_run_past_the_end() {
        let mut g = Gathered::default();
        assert!(g.keep(10, b"abcdef"));
        assert!(g.keep(12, b"XY"));
        assert_eq!(kept(&g), (10, b"abXYef".to_vec()));
        assert!(g.keep(14, b"EFGH"));
        assert_eq!(kept(&g), (10, b"abXYEFGH".to_vec()));
    }

    #[test]
    fn the_buffer_never_grows_past_its_capacity() {
        let mut g = Gathered::default();
        let big = vec![7u8; CAPACITY];
        assert!(!g.keep(0, &[0u8; CAPACITY + 1]), "too large even alone");
        assert!(g.keep(0, &big));
        assert!(!g.keep(CAPACITY as i64, b"x"), "full");
        assert!(g.keep(5, b"in place"), "a rewrite inside still fits");
        assert_eq!(g.bytes.len(), CAPACITY);
    }

    #[test]
    fn only_reads_of_the_kept_range_need_a_flush() {
        let mut g = Gathered::default();
        assert!(!g.overlaps(0, 100), "nothing kept");
        assert!(g.keep(100, &[1; 50]));
        assert!(g.overlaps(120, 4));
        assert!(g.overlaps(90, 11), "ends inside");
        assert!(g.overlaps(149, 10), "starts at the last byte");
        assert!(!g.overlaps(150, 10), "just after");
        assert!(!g.overlaps(90, 10), "just before");
    }
}
