//! Drives the core [`Scheduler`] for an adapter: a clock (the system's, moved ahead, or frozen),
//! the set of effect keys already sent (so a handout given again after a crash or a retry is not
//! sent twice), confirmation after sending, and a background loop that sleeps until the next
//! action is due (at most a minute at a time).

use crate::app::scheduler::{Handout, Scheduler};
use crate::app::{App, Effect};
use crate::domain::{instant, Identity};
use crate::store::StoreError;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The longest the background loop sleeps before looking again.
pub const MAX_SLEEP: std::time::Duration = std::time::Duration::from_secs(60);
/// How long a sent key is remembered (a handout is only given again within the grace window).
pub const KEEP_SENT: Duration = Duration::days(3);

/// Where an adapter's time comes from: the system clock moved ahead by `/advance`, or a frozen
/// instant (reproducible scripts and tests) moved only by `/advance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    frozen: Option<DateTime<Utc>>,
    ahead: Duration,
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            frozen: None,
            ahead: Duration::zero(),
        }
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            frozen: Some(at),
            ahead: Duration::zero(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.frozen.unwrap_or_else(Utc::now) + self.ahead
    }

    pub fn advance(&mut self, by: Duration) {
        self.ahead += by;
    }

    /// Moves the clock to `at` (never backwards).
    fn advance_to(&mut self, at: DateTime<Utc>) {
        let now = self.now();
        if at > now {
            self.ahead += at - now;
        }
    }
}

/// The clock cannot be moved that far: past the last instant Relais works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the clock reads {} UTC and cannot move past {} UTC", .now.format("%Y-%m-%d %H:%M"), instant::latest().format("%Y-%m-%d %H:%M"))]
pub struct TooFar {
    pub now: DateTime<Utc>,
}

/// Sends one effect; an error means it was not sent (the action is not confirmed).
pub type Deliver<'d> = dyn FnMut(&Effect) -> std::io::Result<()> + 'd;

struct State {
    scheduler: Scheduler,
    clock: Clock,
    sent: SentKeys,
    stopped: bool,
}

/// The effect keys sent lately, with when (forgotten after [`KEEP_SENT`], swept once a day).
#[derive(Default)]
struct SentKeys {
    keys: HashMap<String, DateTime<Utc>>,
    last_sweep: Option<DateTime<Utc>>,
}

impl SentKeys {
    fn contains(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    fn insert(&mut self, key: &str, now: DateTime<Utc>) {
        self.keys.insert(key.to_string(), now);
        if self.last_sweep.is_none_or(|last| now - last >= Duration::days(1)) {
            self.keys.retain(|_, at| now - *at < KEEP_SENT);
            self.last_sweep = Some(now);
        }
    }
}

/// The scheduler, its clock and the sent keys of one adapter, shareable between threads.
pub struct Ticker<'a> {
    app: &'a App<'a>,
    state: Mutex<State>,
    wake: Condvar,
}

impl<'a> Ticker<'a> {
    /// Starts the scheduler at the clock's time.
    pub fn start(app: &'a App<'a>, clock: Clock) -> Result<Ticker<'a>, StoreError> {
        let scheduler = Scheduler::start(app, clock.now())?;
        let state = State {
            scheduler,
            clock,
            sent: SentKeys::default(),
            stopped: false,
        };
        Ok(Ticker {
            app,
            state: Mutex::new(state),
            wake: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.lock().clock.now()
    }

    /// When the next scheduled action is due.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.lock().scheduler.next_due()
    }

    /// Runs what is due now; returns how many effects were sent.
    pub fn tick(&self, deliver: &mut Deliver<'_>) -> usize {
        let mut state = self.lock();
        let now = state.clock.now();
        self.run_at(&mut state, now, deliver)
    }

    /// Moves the clock `by` ahead, running every action at its own due time on the way (so that
    /// nothing is late); returns how many effects were sent. Refused (the clock unmoved) when it
    /// would leave the range of instants Relais works with (see [`instant`]).
    pub fn advance(&self, by: Duration, deliver: &mut Deliver<'_>) -> Result<usize, TooFar> {
        let mut state = self.lock();
        let now = state.clock.now();
        let target = instant::add(now, by).ok_or(TooFar { now })?;
        let mut sent = 0;
        while let Some(due) = state.scheduler.next_due().filter(|due| *due <= target) {
            state.clock.advance_to(due);
            sent += self.run_at(&mut state, due, deliver);
        }
        state.clock.advance_to(target);
        Ok(sent + self.run_at(&mut state, target, deliver))
    }

    /// Sends effects that did not come from the scheduler (a command's), skipping keys already sent.
    pub fn send(&self, effects: &[Effect], deliver: &mut Deliver<'_>) -> std::io::Result<usize> {
        let mut state = self.lock();
        let now = state.clock.now();
        send_once(&mut state.sent, effects, now, deliver)
    }

    /// Re-queues the reminder of the owner of `identity` (after each command they sent).
    pub fn refresh(&self, identity: &Identity) {
        let mut state = self.lock();
        let now = state.clock.now();
        if let Err(error) = state.scheduler.refresh_identity(self.app, identity, now) {
            tracing::error!(%error, "refreshing a reminder failed");
        }
    }

    /// Ticks until [`Ticker::stop`], sleeping until the next due action (at most [`MAX_SLEEP`]).
    pub fn run_in_background(&self, deliver: &mut Deliver<'_>) {
        let mut state = self.lock();
        while !state.stopped {
            let now = state.clock.now();
            self.run_at(&mut state, now, deliver);
            let until_next = state
                .scheduler
                .next_due()
                .and_then(|due| (due - now).to_std().ok())
                .unwrap_or(MAX_SLEEP);
            let sleep = until_next.clamp(std::time::Duration::from_millis(50), MAX_SLEEP);
            state = self
                .wake
                .wait_timeout(state, sleep)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Ends [`Ticker::run_in_background`].
    pub fn stop(&self) {
        self.lock().stopped = true;
        self.wake.notify_all();
    }

    /// Runs the scheduler at `now`, sends each handout and confirms those fully sent.
    fn run_at(&self, state: &mut State, now: DateTime<Utc>, deliver: &mut Deliver<'_>) -> usize {
        let handouts: Vec<Handout> = match state.scheduler.run_due(self.app, now) {
            Ok(handouts) => handouts,
            Err(error) => {
                tracing::error!(%error, "the scheduler could not run; it will try again");
                return 0;
            }
        };
        let mut sent = 0;
        let mut delivered = Vec::new();
        for handout in &handouts {
            match send_once(&mut state.sent, &handout.effects, now, deliver) {
                Ok(count) => {
                    sent += count;
                    delivered.push(handout.key.as_str());
                }
                Err(error) => tracing::error!(%error, key = %handout.key, "sending a scheduled message failed"),
            }
        }
        if let Err(error) = state.scheduler.confirm_all(self.app, &delivered, now) {
            tracing::error!(%error, "confirming scheduled messages failed; they will be confirmed after a restart");
        }
        sent
    }
}

/// Sends every effect whose key was not sent before (effects without a key always go).
fn send_once(
    sent: &mut SentKeys,
    effects: &[Effect],
    now: DateTime<Utc>,
    deliver: &mut Deliver<'_>,
) -> std::io::Result<usize> {
    let mut count = 0;
    for effect in effects {
        if effect.key().is_some_and(|key| sent.contains(key)) {
            continue;
        }
        deliver(effect)?;
        if let Some(key) = effect.key() {
            sent.insert(key, now);
        }
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_keys_are_sent_once_and_forgotten_after_a_while() {
        let at = DateTime::parse_from_rfc3339("2026-03-18T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let dm = |key: &str| Effect::Dm {
            to: crate::domain::AmbassadorId(1),
            text: "hi".into(),
            key: Some(key.into()),
        };
        let plain = Effect::Reply {
            text: "ok".into(),
            mentions: Vec::new(),
        };
        let mut sent = SentKeys::default();
        let mut delivered = Vec::new();
        let mut deliver = |effect: &Effect| {
            delivered.push(effect.key().map(str::to_string));
            Ok(())
        };
        let effects = [dm("a"), dm("a"), plain.clone(), plain];
        assert_eq!(send_once(&mut sent, &effects, at, &mut deliver).ok(), Some(3));
        assert_eq!(
            send_once(&mut sent, &[dm("a"), dm("b")], at, &mut deliver).ok(),
            Some(1)
        );
        let later = at + KEEP_SENT + Duration::days(1);
        assert_eq!(send_once(&mut sent, &[dm("c")], later, &mut deliver).ok(), Some(1));
        assert!(!sent.contains("a") && sent.contains("c"), "old keys are swept");
        assert_eq!(
            delivered,
            [
                Some("a".to_string()),
                None,
                None,
                Some("b".to_string()),
                Some("c".to_string())
            ]
        );
    }

    #[test]
    fn the_clock_moves_only_forward() {
        let start = DateTime::parse_from_rfc3339("2026-03-28T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let mut clock = Clock::fixed(start);
        clock.advance(Duration::hours(2));
        assert_eq!(clock.now(), start + Duration::hours(2));
        clock.advance_to(start);
        assert_eq!(clock.now(), start + Duration::hours(2));
        assert!(Clock::system().now() > start - Duration::days(3650));
    }
}
