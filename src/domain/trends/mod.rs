//! Trends: watchlists of keywords and hashtags per room, and the burst detector that tells when a
//! term's volume takes off against its usual level for that hour and day.

pub mod fold;
pub mod watchlist;

pub use watchlist::{RoomWatchlists, Term, TermError, Watchlist};
