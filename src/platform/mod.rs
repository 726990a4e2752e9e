//! Chat platform adapters: they turn platform events into core calls and effects into messages.
//! No business rules live here.

pub mod console;
#[cfg(unix)]
pub mod control;
#[cfg(feature = "discord")]
pub mod discord;
pub mod duration;
pub mod heap;
pub mod log_filter;
#[cfg(feature = "matrix")]
pub mod matrix;
pub mod private_files;
pub mod ticker;
