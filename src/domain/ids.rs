//! Identifiers: ambassadors, content items, chat platforms, identities and rooms.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Internal number of an ambassador (never shown in links; see `Ambassador::code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AmbassadorId(pub u64);

impl fmt::Display for AmbassadorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}", self.0)
    }
}

/// A content item id, shown and typed as `c12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemId(pub u32);

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// Why a text is not an item id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an item id (item ids look like c12)")]
pub struct BadItemId(pub String);

impl FromStr for ItemId {
    type Err = BadItemId;
    /// Accepts `c12`, `C12` and `#c12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_start_matches('#');
        let digits = t
            .strip_prefix('c')
            .or_else(|| t.strip_prefix('C'))
            .ok_or_else(|| BadItemId(s.to_string()))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadItemId(s.to_string()));
        }
        digits.parse::<u32>().map(ItemId).map_err(|_| BadItemId(s.to_string()))
    }
}

/// The chat platform a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Matrix,
    Discord,
    Console,
}

impl Platform {
    /// Lower-case name, as used in keys and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Matrix => "matrix",
            Platform::Discord => "discord",
            Platform::Console => "console",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "matrix" => Ok(Platform::Matrix),
            "discord" => Ok(Platform::Discord),
            "console" => Ok(Platform::Console),
            other => Err(format!("unknown platform `{other}` (matrix, discord or console)")),
        }
    }
}

/// One chat account of a person: a platform and the platform's user id
/// (`@alice:example.org`, a Discord snowflake, or a console name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identity {
    pub platform: Platform,
    pub user: String,
}

impl Identity {
    pub fn new(platform: Platform, user: impl Into<String>) -> Self {
        Identity {
            platform,
            user: user.into(),
        }
    }

    /// An account named in a command, on `platform` unless the text names its platform as
    /// `ambassadors` lists accounts (`discord:284751093456`): a Matrix user id
    /// (`@dana:example.org`, or a `matrix.to` link to one), a Discord user id or mention
    /// (`<@284751093456>`), a console name. `None` for anything else, a display name above all:
    /// anyone can choose one.
    pub fn parse_account(platform: Platform, text: &str) -> Option<Identity> {
        let text = text.trim();
        let explicit = text.split_once(':').and_then(|(name, rest)| {
            let named = name.parse::<Platform>().ok()?;
            Some((named, rest))
        });
        let (platform, account) = explicit.unwrap_or((platform, text));
        let user = match platform {
            Platform::Matrix => matrix_user_id(account)?,
            Platform::Discord => discord_user_id(account)?,
            Platform::Console => console_name(account)?,
        };
        Some(Identity::new(platform, user))
    }
}

/// `@local:server`, also inside a `matrix.to` link (`https://matrix.to/#/@dana:example.org`).
fn matrix_user_id(text: &str) -> Option<String> {
    let text = text.trim_start_matches('<').trim_end_matches('>');
    let text = text.strip_prefix("https://matrix.to/#/").unwrap_or(text);
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8().ok()?;
    let (local, server) = decoded.strip_prefix('@')?.split_once(':')?;
    let local_ok = !local.is_empty() && local.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    let server_ok = !server.is_empty()
        && server
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    (local_ok && server_ok).then(|| format!("@{local}:{server}"))
}

/// A Discord snowflake, bare or in a mention (`<@123>`, `<@!123>`).
fn discord_user_id(text: &str) -> Option<String> {
    let id = match text.strip_prefix("<@").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => inner.strip_prefix('!').unwrap_or(inner),
        None => text,
    };
    let valid = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| id.to_string())
}

/// A console person's name, as given to `/as`.
fn console_name(text: &str) -> Option<String> {
    let valid =
        !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    valid.then(|| text.to_string())
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.user)
    }
}

/// A chat room on a platform (a Matrix room id, a Discord channel id, a console room name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoomRef {
    pub platform: Platform,
    pub room: String,
}

impl RoomRef {
    pub fn new(platform: Platform, room: impl Into<String>) -> Self {
        RoomRef {
            platform,
            room: room.into(),
        }
    }
}

impl fmt::Display for RoomRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform, self.room)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_parse_in_their_usual_spellings() {
        for (text, want) in [
            ("c12", Some(12)),
            ("C7", Some(7)),
            ("#c3", Some(3)),
            ("12", None),
            ("c", None),
            ("c-1", None),
            ("cx", None),
            ("c99999999999", None),
        ] {
            assert_eq!(text.parse::<ItemId>().ok().map(|i| i.0), want, "{text}");
        }
        assert_eq!(ItemId(12).to_string(), "c12");
    }

    #[test]
    fn accounts_are_named_by_their_id_never_by_a_display_name() {
        use Platform::{Console, Discord, Matrix};
        /// (the sender's platform, the text, the account it names)
        type Row<'a> = (Platform, &'a str, Option<(Platform, &'a str)>);
        let rows: &[Row] = &[
            (Matrix, "@dana:example.org", Some((Matrix, "@dana:example.org"))),
            (
                Matrix,
                " @dana.smith:chat.example.org:8448 ",
                Some((Matrix, "@dana.smith:chat.example.org:8448")),
            ),
            (
                Matrix,
                "https://matrix.to/#/@dana:example.org",
                Some((Matrix, "@dana:example.org")),
            ),
            (
                Matrix,
                "<https://matrix.to/#/%40dana%3Aexample.org>",
                Some((Matrix, "@dana:example.org")),
            ),
            (Matrix, "discord:284751093456", Some((Discord, "284751093456"))),
            (Matrix, "matrix:@dana:example.org", Some((Matrix, "@dana:example.org"))),
            (Discord, "<@284751093456>", Some((Discord, "284751093456"))),
            (Discord, "<@!284751093456>", Some((Discord, "284751093456"))),
            (Discord, "284751093456", Some((Discord, "284751093456"))),
            (Discord, "matrix:@dana:example.org", Some((Matrix, "@dana:example.org"))),
            (Console, "dana", Some((Console, "dana"))),
            (Matrix, "Dana", None),
            (Matrix, "@Dana", None),
            (Matrix, "dana:example.org", None),
            (Matrix, "@dana:", None),
            (Matrix, "@:example.org", None),
            (Matrix, "@da na:example.org", None),
            (Discord, "Dana", None),
            (Discord, "@Dana", None),
            (Discord, "<@dana>", None),
            (Discord, "<#284751093456>", None),
            (Discord, "123456789012345678901", None),
            (Console, "Dana Smith", None),
            (Console, "@dana:example.org", None),
            (Matrix, "", None),
        ];
        for (platform, text, want) in rows {
            let got = Identity::parse_account(*platform, text);
            let want = want.map(|(p, user)| Identity::new(p, user));
            assert_eq!(got, want, "{platform} {text:?}");
        }
    }
}
