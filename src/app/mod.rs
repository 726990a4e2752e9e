//! The application core: turns incoming messages into effects, using the domain rules and a store.

pub mod effect;
pub mod settings;

pub use effect::Effect;
pub use settings::{RoomSettings, Settings};
