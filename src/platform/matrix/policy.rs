//! Whom the adapter listens to: allowed inviters, senders that are bots, reaction keys that claim.
//!
//! These are transport rules (which Matrix events reach the core), not programme rules.

/// Whether `inviter` (`@carla:example.org`) may invite the bot: listed as a user, or on a listed
/// server (`:example.org`). Matching is exact (Matrix ids are case-sensitive; server names are
/// compared as written).
pub fn inviter_allowed(inviter: &str, allowed: &[String]) -> bool {
    let server = inviter.split_once(':').map(|(_, server)| server);
    allowed.iter().any(|entry| match entry.strip_prefix(':') {
        Some(allowed_server) => server == Some(allowed_server),
        None => entry == inviter,
    })
}

/// Whether messages from `sender` are ignored: the bot itself, users listed in `ignored`, and
/// other bots by name — a localpart that is `bot` or ends in `-bot`, `_bot` or `.bot`
/// (`@github-bot:example.org`). Names that merely end in the letters "bot" (`@talbot:…`) are people.
pub fn ignored_sender(sender: &str, own_user: &str, ignored: &[String]) -> bool {
    if sender == own_user || ignored.iter().any(|i| i == sender) {
        return true;
    }
    let localpart = sender
        .strip_prefix('@')
        .and_then(|s| s.split_once(':'))
        .map(|(l, _)| l)
        .unwrap_or(sender);
    let lower = localpart.to_ascii_lowercase();
    lower == "bot" || ["-bot", "_bot", ".bot"].iter().any(|suffix| lower.ends_with(suffix))
}

/// The reaction keys that count as a quick claim by default.
pub const DEFAULT_CLAIM_REACTIONS: [&str; 3] = ["✅", "🔁", "👍"];

/// Whether a reaction `key` is one of `claim_keys`; skin-tone and variation selectors are ignored
/// (`👍🏽` counts as `👍`, `✅️` as `✅`).
pub fn is_claim_reaction(key: &str, claim_keys: &[String]) -> bool {
    let base: String = key.chars().filter(|c| !is_emoji_modifier(*c)).collect();
    claim_keys
        .iter()
        .any(|k| k.chars().filter(|c| !is_emoji_modifier(*c)).eq(base.chars()))
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inviters_are_matched_by_user_or_server() {
        let allowed = vec!["@carla:example.org".to_string(), ":partner.net".to_string()];
        let rows = [
            ("@carla:example.org", true),
            ("@dave:example.org", false),
            ("@anyone:partner.net", true),
            ("@anyone:evil-partner.net", false),
            ("@anyone:partner.net.evil", false),
            ("@carla:example.org.evil", false),
            ("not-an-id", false),
        ];
        for (inviter, want) in rows {
            assert_eq!(inviter_allowed(inviter, &allowed), want, "{inviter}");
        }
        assert!(
            !inviter_allowed("@carla:example.org", &[]),
            "nobody is allowed by default"
        );
    }

    #[test]
    fn bots_and_the_bot_itself_are_ignored() {
        let own = "@relais:example.org";
        let ignored = vec!["@announcer:example.org".to_string()];
        let rows = [
            ("@relais:example.org", true),
            ("@announcer:example.org", true),
            ("@github-bot:example.org", true),
            ("@Build_Bot:example.org", true),
            ("@bot:example.org", true),
            ("@ci.bot:example.org", true),
            ("@talbot:example.org", false),
            ("@alice:example.org", false),
            ("@bot-alice:example.org", false),
        ];
        for (sender, want) in rows {
            assert_eq!(ignored_sender(sender, own, &ignored), want, "{sender}");
        }
    }

    #[test]
    fn ignored_users_are_matched_by_exact_user_id() {
        let own = "@relais:example.org";
        let ignored = vec!["@announcer:example.org".to_string(), "@feed:partner.net".to_string()];
        let rows = [
            ("@announcer:example.org", true),
            ("@feed:partner.net", true),
            ("@Announcer:example.org", false),
            ("@announcer:example.org.evil", false),
            ("@feed:example.org", false),
            ("@announcer2:example.org", false),
        ];
        for (sender, want) in rows {
            assert_eq!(ignored_sender(sender, own, &ignored), want, "{sender}");
            assert!(
                !ignored_sender(sender, own, &[]) || sender == own,
                "{sender} ignored without a list"
            );
        }
    }

    #[test]
    fn claim_reactions_ignore_modifiers() {
        let keys: Vec<String> = DEFAULT_CLAIM_REACTIONS.iter().map(|k| k.to_string()).collect();
        let rows = [
            ("✅", true),
            ("✅\u{FE0F}", true),
            ("👍🏽", true),
            ("🔁", true),
            ("❤️", false),
            ("", false),
            ("✅✅", false),
        ];
        for (key, want) in rows {
            assert_eq!(is_claim_reaction(key, &keys), want, "{key:?}");
        }
    }
}
