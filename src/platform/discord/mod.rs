//! Discord: for now the pure parts the adapter will stand on, the slash-command definitions
//! ([`commands`]). The gateway and REST adapter itself comes with issue 15 §2.

pub mod commands;
