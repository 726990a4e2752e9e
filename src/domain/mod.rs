//! The pure domain of Relais: content items, ambassadors, reshares, scoring and share kits.
//!
//! Nothing in here performs I/O, reads the clock or knows about tokio, sled, Matrix or Discord:
//! time comes in as a parameter (`now: DateTime<Utc>`).

pub mod ambassador;
pub mod ids;
pub mod instant;
pub mod item;
pub mod lang;
pub mod leaderboard;
pub mod link;
pub mod link_code;
pub mod network;
pub mod reshare;
pub mod schedule;
pub mod scoring;
pub mod selection;
pub mod share_kit;
pub mod trends;
pub mod week;

pub use ambassador::{Ambassador, NudgePref, Prefs, Role};
pub use ids::{AmbassadorId, Identity, ItemId, Platform, RoomRef};
pub use item::{Caption, Intent, Item, ItemKind, ItemStatus};
pub use lang::Lang;
pub use network::Network;
pub use reshare::{Reshare, ReshareSource};
pub use week::WeekKey;
