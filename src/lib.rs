//! Relais: a chat bot that runs a digital-ambassadors programme for non-profits.
//!
//! The pure core is [`domain`] (rules), [`command`] (parsing) and [`app`] (commands to effects);
//! [`store`] keeps the data, [`config`] and [`prompts`] load files, [`platform`] holds the chat
//! adapters.

pub mod app;
pub mod command;
pub mod config;
pub mod demo;
pub mod domain;
#[cfg(feature = "feeds")]
pub mod feeds;
pub mod html_text;
pub mod nab;
pub mod platform;
pub mod prompts;
pub mod store;
