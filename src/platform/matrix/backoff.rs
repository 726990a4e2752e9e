//! Exponential backoff between attempts to reach the homeserver.

use std::time::Duration;

/// Exponential backoff: `first`, doubled after each failure, at most `max`; `reset` on success.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Self {
        Backoff {
            first,
            max,
            next: first,
            failures: 0,
        }
    }

    /// The wait before the next attempt; counts one more failure.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next.min(self.max);
        self.next = wait.saturating_mul(2).min(self.max);
        self.failures += 1;
        wait
    }

    /// Forgets the failures; returns how many there were.
    pub fn reset(&mut self) -> u32 {
        self.next = self.first;
        std::mem::take(&mut self.failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum_and_resets() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_millis(500));
        let waits: Vec<u128> = (0..5).map(|_| backoff.next_wait().as_millis()).collect();
        assert_eq!(waits, vec![100, 200, 400, 500, 500]);
        assert_eq!(backoff.reset(), 5);
        assert_eq!(backoff.next_wait().as_millis(), 100);
    }
}
