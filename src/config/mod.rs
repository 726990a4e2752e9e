//! Bot configuration: `bot-config/*.toml` parsed, checked and turned into core settings.
