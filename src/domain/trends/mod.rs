//! Trends: watchlists of keywords and hashtags per room, and the burst detector that tells when a
//! term's volume takes off against its usual level for that hour and day.

pub mod baseline;
pub mod detector;
pub mod fold;
pub mod params;
#[cfg(test)]
pub(crate) mod synthetic;
pub mod term;
pub mod watchlist;

pub use detector::{Alert, Detector};
pub use params::Params;
pub use watchlist::{RoomWatchlists, Term, TermError, Watchlist};
