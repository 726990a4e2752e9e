//! Gives memory the program has freed back to the operating system.
//!
//! glibc's allocator keeps freed memory for reuse and returns it only from the top of the heap;
//! the peaks of a start (the store opening, the prompts being checked, the first sync) leave
//! free pages behind that a long-running bot never needs again.

use std::time::{Duration, Instant};

/// Returns the free pages of the heap to the operating system (glibc on Linux; elsewhere
/// nothing happens).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks the allocator's own free lists; it takes the allocator's
    // locks like any allocation does.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Calls [`release_free_memory`] at most once per `every`.
#[derive(Debug)]
pub struct Trimmer {
    every: Duration,
    last: Option<Instant>,
}

impl Trimmer {
    pub fn new(every: Duration) -> Self {
        Trimmer { every, last: None }
    }

    /// Releases free memory unless that was done less than `every` ago; whether it did.
    pub fn maybe_release(&mut self, now: Instant) -> bool {
        if self.last.is_some_and(|last| now.duration_since(last) < self.every) {
            return false;
        }
        self.last = Some(now);
        release_free_memory();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_released_at_most_once_per_period() {
        let mut trimmer = Trimmer::new(Duration::from_secs(60));
        let start = Instant::now();
        let rows = [(0, true), (1, false), (59, false), (60, true), (61, false), (200, true)];
        for (seconds, released) in rows {
            let now = start + Duration::from_secs(seconds);
            assert_eq!(trimmer.maybe_release(now), released, "at {seconds} s");
        }
    }
}
