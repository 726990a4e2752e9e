//! Chat platform adapters (console; Matrix and Discord come in their own modules).
