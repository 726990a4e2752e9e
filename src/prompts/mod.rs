//! Prompts: every text the bot says, per language, from `prompts/`.
