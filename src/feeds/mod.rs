//! The feed watcher of trend alerts: fetches the RSS, Atom and JSON feeds a team watches over HTTP
//! (bounded, conditional, never into the local network unless allowed), reads their entries, and
//! tells which entries are new and when a feed has been failing long enough to tell the
//! coordinators. What to do with new entries (matching the watchlist, alerting) is the core's.

pub mod address;
pub mod entries;
pub mod fetch;
pub mod round;
pub mod watch;

pub use entries::{read_entries, Entry, NotAFeed};
pub use fetch::{FetchError, FetchLimits, Fetched, Fetcher};
pub use round::{poll_round, WatchedFeed};
pub use watch::{FeedReport, FeedState, PollOutcome, WatchPolicy};
