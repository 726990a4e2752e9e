//! The catalog: every prompt key the code renders, each with a sample of the context it passes.
//!
//! At start every locale's template for a key is rendered with its sample in strict mode, so a
//! template that uses a variable the code does not provide is caught before anyone sees it. A sample
//! must therefore hold every variable the code may pass for that key, optional ones included.
//! To add a key: append an `Entry` below, then write its English text in `prompts/en/`.

/// One key the code renders and a sample context (a JSON object) like the one it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    pub sample: &'static str,
}

/// Every key the code renders.
pub const CATALOG: &[Entry] = &[
    Entry {
        key: "welcome",
        sample: r##"{"name": "Alice", "org": "Living Rivers", "prefix": "!", "coordinator": false}"##,
    },
    Entry {
        key: "error.internal",
        sample: "{}",
    },
    Entry {
        key: "error.too_long",
        sample: r##"{"max": 4000, "length": 5210}"##,
    },
    Entry {
        key: "error.not_posted",
        sample: r##"{"rooms": ["#team:example.org", "!abc:example.org"]}"##,
    },
    Entry {
        key: "error.coordinators_only",
        sample: r##"{"command": "post add"}"##,
    },
    Entry {
        key: "help.list",
        sample: r##"{"prefix": "!", "coordinator": true, "commands": [{"name": "today", "args": "", "usage": "!today", "coordinator_only": false, "description": "today's posts"}, {"name": "report", "args": "[YYYY-Www]", "usage": "!report [YYYY-Www]", "coordinator_only": true, "description": "report"}]}"##,
    },
    Entry {
        key: "help.command",
        sample: r##"{"name": "shared", "args": "URL [ITEM]", "usage": "!shared URL [ITEM]", "coordinator_only": false, "description": "claim a reshare"}"##,
    },
    Entry {
        key: "help.group",
        sample: r##"{"group": "post", "prefix": "!", "coordinators_only": true, "commands": [{"name": "post add", "args": "", "usage": "!post add", "coordinator_only": true, "description": "add a post"}, {"name": "post show", "args": "ITEM", "usage": "!post show ITEM", "coordinator_only": true, "description": "show a post"}]}"##,
    },
    Entry {
        key: "help.post_fields",
        sample: r##"{"prefix": "!", "langs": "en, fr, es", "networks": "x, linkedin, mastodon", "intents": "awareness, appreciation, action, advocacy", "hot_days": 1}"##,
    },
    Entry {
        key: "help.unknown_topic",
        sample: r##"{"topic": "frob", "prefix": "!"}"##,
    },
    Entry {
        key: "cmd.help",
        sample: "{}",
    },
    Entry {
        key: "cmd.today",
        sample: "{}",
    },
    Entry {
        key: "cmd.shared",
        sample: "{}",
    },
    Entry {
        key: "cmd.me",
        sample: "{}",
    },
    Entry {
        key: "cmd.top",
        sample: "{}",
    },
    Entry {
        key: "cmd.lang",
        sample: "{}",
    },
    Entry {
        key: "cmd.tz",
        sample: "{}",
    },
    Entry {
        key: "cmd.nudges",
        sample: "{}",
    },
    Entry {
        key: "cmd.away",
        sample: "{}",
    },
    Entry {
        key: "cmd.hide",
        sample: "{}",
    },
    Entry {
        key: "cmd.show",
        sample: "{}",
    },
    Entry {
        key: "cmd.mastodon",
        sample: "{}",
    },
    Entry {
        key: "cmd.urgent",
        sample: "{}",
    },
    Entry {
        key: "cmd.link",
        sample: "{}",
    },
    Entry {
        key: "cmd.my_data",
        sample: "{}",
    },
    Entry {
        key: "cmd.forget_me",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_add",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_list",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_show",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_approve",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_cancel",
        sample: "{}",
    },
    Entry {
        key: "cmd.post_push",
        sample: "{}",
    },
    Entry {
        key: "cmd.report",
        sample: "{}",
    },
    Entry {
        key: "cmd.ambassadors",
        sample: "{}",
    },
    Entry {
        key: "cmd.role",
        sample: "{}",
    },
    Entry {
        key: "slash.help.name",
        sample: "{}",
    },
    Entry {
        key: "slash.help.description",
        sample: "{}",
    },
    Entry {
        key: "slash.today.name",
        sample: "{}",
    },
    Entry {
        key: "slash.today.description",
        sample: "{}",
    },
    Entry {
        key: "slash.shared.name",
        sample: "{}",
    },
    Entry {
        key: "slash.shared.description",
        sample: "{}",
    },
    Entry {
        key: "slash.me.name",
        sample: "{}",
    },
    Entry {
        key: "slash.me.description",
        sample: "{}",
    },
    Entry {
        key: "slash.top.name",
        sample: "{}",
    },
    Entry {
        key: "slash.top.description",
        sample: "{}",
    },
    Entry {
        key: "slash.lang.name",
        sample: "{}",
    },
    Entry {
        key: "slash.lang.description",
        sample: "{}",
    },
    Entry {
        key: "slash.tz.name",
        sample: "{}",
    },
    Entry {
        key: "slash.tz.description",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.name",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.description",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.on.name",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.on.description",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.off.name",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.off.description",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.at.name",
        sample: "{}",
    },
    Entry {
        key: "slash.nudges.at.description",
        sample: "{}",
    },
    Entry {
        key: "slash.away.name",
        sample: "{}",
    },
    Entry {
        key: "slash.away.description",
        sample: "{}",
    },
    Entry {
        key: "slash.away.until.name",
        sample: "{}",
    },
    Entry {
        key: "slash.away.until.description",
        sample: "{}",
    },
    Entry {
        key: "slash.away.off.name",
        sample: "{}",
    },
    Entry {
        key: "slash.away.off.description",
        sample: "{}",
    },
    Entry {
        key: "slash.hide.name",
        sample: "{}",
    },
    Entry {
        key: "slash.hide.description",
        sample: "{}",
    },
    Entry {
        key: "slash.show.name",
        sample: "{}",
    },
    Entry {
        key: "slash.show.description",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.name",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.description",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.on.name",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.on.description",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.off.name",
        sample: "{}",
    },
    Entry {
        key: "slash.urgent.off.description",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.name",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.description",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.set.name",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.set.description",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.off.name",
        sample: "{}",
    },
    Entry {
        key: "slash.mastodon.off.description",
        sample: "{}",
    },
    Entry {
        key: "slash.link.name",
        sample: "{}",
    },
    Entry {
        key: "slash.link.description",
        sample: "{}",
    },
    Entry {
        key: "slash.my_data.name",
        sample: "{}",
    },
    Entry {
        key: "slash.my_data.description",
        sample: "{}",
    },
    Entry {
        key: "slash.forget_me.name",
        sample: "{}",
    },
    Entry {
        key: "slash.forget_me.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.add.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.add.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.list.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.list.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.show.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.show.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.approve.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.approve.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.cancel.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.cancel.description",
        sample: "{}",
    },
    Entry {
        key: "slash.post.push.name",
        sample: "{}",
    },
    Entry {
        key: "slash.post.push.description",
        sample: "{}",
    },
    Entry {
        key: "slash.report.name",
        sample: "{}",
    },
    Entry {
        key: "slash.report.description",
        sample: "{}",
    },
    Entry {
        key: "slash.ambassadors.name",
        sample: "{}",
    },
    Entry {
        key: "slash.ambassadors.description",
        sample: "{}",
    },
    Entry {
        key: "slash.role.name",
        sample: "{}",
    },
    Entry {
        key: "slash.role.description",
        sample: "{}",
    },
    Entry {
        key: "slash.role.grant.name",
        sample: "{}",
    },
    Entry {
        key: "slash.role.grant.description",
        sample: "{}",
    },
    Entry {
        key: "slash.role.revoke.name",
        sample: "{}",
    },
    Entry {
        key: "slash.role.revoke.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.command.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.command.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.url.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.url.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.item.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.item.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.language.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.language.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.zone.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.zone.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.time.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.time.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.date.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.date.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.server.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.server.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.code.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.code.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.confirm.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.confirm.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.filter.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.filter.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.week.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.week.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.user.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.user.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.title.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.title.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.link.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.link.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.text.name",
        sample: r##"{"lang": "fr", "language": "français"}"##,
    },
    Entry {
        key: "slash.option.text.description",
        sample: r##"{"lang": "fr", "language": "français"}"##,
    },
    Entry {
        key: "slash.option.kind.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.kind.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.intent.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.intent.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.hashtags.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.hashtags.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.campaign.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.campaign.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.publish.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.publish.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.expires.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.expires.description",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.kind.hot",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.kind.evergreen",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.intent.awareness",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.intent.appreciation",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.intent.action",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.intent.advocacy",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.filter.draft",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.filter.approved",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.filter.cancelled",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.filter.all",
        sample: "{}",
    },
    Entry {
        key: "parse.empty",
        sample: r##"{"prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.unknown_command",
        sample: r##"{"typed": "sahred", "suggestion": "shared", "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.missing_argument",
        sample: r##"{"what": "URL", "prefix": "!", "usage": "!shared URL [ITEM]"}"##,
    },
    Entry {
        key: "parse.unexpected_argument",
        sample: r##"{"extra": "now", "prefix": "!", "usage": "!today"}"##,
    },
    Entry {
        key: "parse.invalid_url",
        sample: r##"{"text": "htp:/x", "prefix": "!", "usage": "!shared URL [ITEM]"}"##,
    },
    Entry {
        key: "parse.invalid_item",
        sample: r##"{"text": "12", "prefix": "!", "usage": "!post show ITEM"}"##,
    },
    Entry {
        key: "parse.unsupported_lang",
        sample: r##"{"text": "de", "prefix": "!", "usage": "!lang en|fr|es|ca|pt-PT|pt-BR", "language_names": "English (en), français (fr)"}"##,
    },
    Entry {
        key: "parse.unknown_time_zone",
        sample: r##"{"text": "Europe/Pari", "suggestion": "Europe/Paris", "prefix": "!", "usage": "!tz ZONE"}"##,
    },
    Entry {
        key: "parse.invalid_time",
        sample: r##"{"text": "25:00", "prefix": "!", "usage": "!nudges on|off|HH:MM"}"##,
    },
    Entry {
        key: "parse.invalid_date",
        sample: r##"{"text": "tomorrow", "prefix": "!", "usage": "!away until YYYY-MM-DD | off"}"##,
    },
    Entry {
        key: "parse.invalid_week",
        sample: r##"{"text": "47", "prefix": "!", "usage": "!report [YYYY-Www]"}"##,
    },
    Entry {
        key: "parse.invalid_choice",
        sample: r##"{"text": "frob", "choices": "add|list|show|approve|cancel", "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.invalid_host",
        sample: r##"{"text": "not a host", "prefix": "!", "usage": "!mastodon HOST | off"}"##,
    },
    Entry {
        key: "parse.post_unknown_field",
        sample: r##"{"line": 3, "field": "titel", "suggestion": "title", "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.post_missing_field",
        sample: r##"{"field": "link", "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.post_duplicate_field",
        sample: r##"{"line": 4, "field": "title", "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.post_bad_value",
        sample: r##"{"line": 5, "field": "intent", "value": "sell", "expected": "intent", "prefix": "!", "usage": null, "langs": "en, fr, es", "networks": "x, linkedin, mastodon", "intents": "awareness, appreciation, action, advocacy", "language_names": "English (en), français (fr)"}"##,
    },
    Entry {
        key: "parse.post_expires_evergreen",
        sample: r##"{"line": 6, "prefix": "!", "usage": null}"##,
    },
    Entry {
        key: "parse.post_invalid",
        sample: r##"{"problems": ["Line 3: I don't know the field `titel`.", "The post needs a `link:` line."], "more": 2, "prefix": "!"}"##,
    },
    Entry {
        key: "me.summary",
        sample: r##"{"name": "Alice", "points": 45, "reshares": 3, "streak": 2, "best_streak": 4, "week": "2026-W47", "week_points": 28, "rank": 2, "ranked": 7, "hidden": false, "lang": "français", "tz": "Europe/Paris", "nudges": "18:00", "away_until": null, "mastodon": "mastodon.social", "coordinator": false}"##,
    },
    Entry {
        key: "me.nudges_off",
        sample: "{}",
    },
    Entry {
        key: "lang.set",
        sample: r##"{"lang": "català", "code": "ca"}"##,
    },
    Entry {
        key: "tz.set",
        sample: r##"{"zone": "Europe/Lisbon", "local_time": "09:12"}"##,
    },
    Entry {
        key: "tz.unknown",
        sample: r##"{"zone": "Mars/Olympus"}"##,
    },
    Entry {
        key: "nudges.on",
        sample: r##"{"time": "18:30", "tz": "Europe/Paris", "prefix": "!"}"##,
    },
    Entry {
        key: "nudges.off",
        sample: r##"{"time": null, "tz": "Europe/Paris", "prefix": "!"}"##,
    },
    Entry {
        key: "nudges.quiet_hours",
        sample: r##"{"time": "22:30", "quiet": "21:00-08:00", "prefix": "!"}"##,
    },
    Entry {
        key: "nudges.reminder",
        sample: r##"{"name": "Alice", "date": "2026-11-23", "streak": 3, "prefix": "!", "items": [{"id": "c1", "title": "River clean-up", "text": "Join us Saturday!", "link": "https://example.org/r?utm_source=chat", "links": [{"name": "X", "url": "https://x.com/intent/tweet?text=Join"}, {"name": "LinkedIn", "url": "https://www.linkedin.com/sharing/share-offsite/?url=x"}], "campaign": "rivers", "intent": "action", "expires": "2026-11-24 23:59"}]}"##,
    },
    Entry {
        key: "away.set",
        sample: r##"{"until": "2026-12-24"}"##,
    },
    Entry {
        key: "away.off",
        sample: "{}",
    },
    Entry {
        key: "away.in_past",
        sample: r##"{"date": "2026-01-01", "today": "2026-11-23"}"##,
    },
    Entry {
        key: "board.hidden",
        sample: "{}",
    },
    Entry {
        key: "board.shown",
        sample: "{}",
    },
    Entry {
        key: "board.top",
        sample: r##"{"week": "2026-W47", "rows": [{"rank": 1, "name": "Bob", "points": 43, "reshares": 3}, {"rank": 2, "name": "Alice", "points": 10, "reshares": 1}], "you": {"rank": 2, "points": 10, "hidden": false}, "total": 2}"##,
    },
    Entry {
        key: "board.weekly",
        sample: r##"{"week": "2026-W47", "org": "Living Rivers", "prefix": "!", "rows": [{"rank": 1, "name": "Bob", "points": 43, "reshares": 3, "streak": 4, "move": "up", "by": 2}, {"rank": 2, "name": "Alice", "points": 30, "reshares": 2, "streak": 0, "move": "down", "by": 1}, {"rank": 3, "name": "Joana", "points": 10, "reshares": 1, "streak": 1, "move": "new", "by": 0}, {"rank": 4, "name": "Jordi", "points": 5, "reshares": 1, "streak": 2, "move": "same", "by": 0}]}"##,
    },
    Entry {
        key: "mastodon.set",
        sample: r##"{"instance": "mastodon.social"}"##,
    },
    Entry {
        key: "mastodon.off",
        sample: "{}",
    },
    Entry {
        key: "reshare.recorded",
        sample: r##"{"points": 18, "item": "c3", "network": "Bluesky", "same_day": true, "streak_bonus": true, "streak": 3, "week_points": 46}"##,
    },
    Entry {
        key: "reshare.already_counted",
        sample: r##"{"by_you": true, "when": "2026-11-23 10:02"}"##,
    },
    Entry {
        key: "reshare.already_on_network",
        sample: r##"{"item": "c3", "network": "X", "when": "2026-11-23 10:02"}"##,
    },
    Entry {
        key: "reshare.url_attached",
        sample: r##"{"item": "c3", "network": "Mastodon"}"##,
    },
    Entry {
        key: "reshare.bad_url",
        sample: r##"{"url": "https://localhost:8443/a", "reason": "local_host", "host": "localhost"}"##,
    },
    Entry {
        key: "reshare.item_not_open",
        sample: r##"{"item": "c4", "status": "draft"}"##,
    },
    Entry {
        key: "item.unknown",
        sample: r##"{"item": "c99"}"##,
    },
    Entry {
        key: "today.none",
        sample: "{}",
    },
    Entry {
        key: "today.kits",
        sample: r##"{"date": "2026-11-23", "prefix": "!", "items": [{"id": "c1", "title": "River clean-up", "text": "Join us Saturday!", "link": "https://example.org/r?utm_source=chat", "links": [{"name": "X", "url": "https://x.com/intent/tweet?text=Join"}, {"name": "LinkedIn", "url": "https://www.linkedin.com/sharing/share-offsite/?url=x"}], "campaign": "rivers", "intent": "action", "expires": "2026-11-24 23:59"}]}"##,
    },
    Entry {
        key: "push.daily",
        sample: r##"{"date": "2026-11-23", "org": "Living Rivers", "prefix": "!", "items": [{"id": "c1", "title": "River clean-up", "text": "Join us Saturday!", "link": "https://example.org/r", "hashtags": "#rivers", "expires": null}]}"##,
    },
    Entry {
        key: "push.urgent",
        sample: r##"{"org": "Living Rivers", "prefix": "!", "item": {"id": "c1", "title": "Flood alert", "text": "Share the evacuation map now!", "link": "https://example.org/r", "hashtags": "#flood", "expires": "2026-11-24 23:59"}}"##,
    },
    Entry {
        key: "urgent.dm",
        sample: r##"{"name": "Alice", "org": "Living Rivers", "prefix": "!", "item": {"id": "c1", "title": "Flood alert", "text": "Share the evacuation map now!", "link": "https://example.org/r?utm_source=chat", "links": [{"name": "X", "url": "https://x.com/intent/tweet?text=Flood"}], "campaign": null, "intent": "action", "expires": "2026-11-24 23:59"}}"##,
    },
    Entry {
        key: "urgent.sent",
        sample: r##"{"item": "c1", "title": "Flood alert", "rooms": 2, "dms": 40, "muted": 3, "away": 2, "quiet": 1}"##,
    },
    Entry {
        key: "urgent.already",
        sample: r##"{"item": "c1", "when": "2026-11-23 10:02"}"##,
    },
    Entry {
        key: "urgent.not_open",
        sample: r##"{"item": "c1", "status": "draft", "expired": false}"##,
    },
    Entry {
        key: "urgent.on",
        sample: r##"{"prefix": "!"}"##,
    },
    Entry {
        key: "urgent.off",
        sample: r##"{"prefix": "!"}"##,
    },
    Entry {
        key: "schedule.skipped",
        sample: r##"{"nudges": 12, "undelivered_nudges": 2, "actions": [{"kind": "push", "target": "console:team", "when": "2026-11-23", "undelivered": false}, {"kind": "board", "target": "console:team", "when": "2026-W47", "undelivered": true}]}"##,
    },
    Entry {
        key: "link.code",
        sample: r##"{"code": "K7QX-M2PA-9RTW", "minutes": 30, "prefix": "!"}"##,
    },
    Entry {
        key: "link.done",
        sample: r##"{"name": "Alice", "platforms": ["discord", "matrix"]}"##,
    },
    Entry {
        key: "link.invalid",
        sample: r##"{"code": "ABCD-EFGH-JKLM", "prefix": "!"}"##,
    },
    Entry {
        key: "link.too_many",
        sample: r##"{"when": "2026-11-23 10:02", "prefix": "!"}"##,
    },
    Entry {
        key: "link.cancelled",
        sample: r##"{"tries": 3, "prefix": "!"}"##,
    },
    Entry {
        key: "link.same",
        sample: "{}",
    },
    Entry {
        key: "privacy.sent_by_dm",
        sample: "{}",
    },
    Entry {
        key: "privacy.nothing_stored",
        sample: "{}",
    },
    Entry {
        key: "privacy.my_data",
        sample: r##"{"name": "Alice", "code": "k3v9x2m7qa", "identities": ["matrix:@alice:example.org"], "lang": "fr", "tz": "Europe/Paris", "role": "ambassador", "joined": "2026-11-01 10:00", "prefs": {"nudges": "at", "nudge_time": "18:30", "away_until": "2026-12-24", "hidden": false, "mastodon": "mastodon.social", "urgent_muted": false}, "points": 25, "streak": 1, "best_streak": 2, "wrong_link_codes": ["2026-11-23 09:12"], "reshares": [{"at": "2026-11-20 09:30", "item": "c1", "network": "X", "url": "https://x.com/alice/status/1", "points": 15, "source": "command"}], "prefix": "!"}"##,
    },
    Entry {
        key: "privacy.forget_confirm",
        sample: r##"{"reshares": 12, "prefix": "!"}"##,
    },
    Entry {
        key: "privacy.forgotten",
        sample: "{}",
    },
    Entry {
        key: "post.added",
        sample: r##"{"id": "c5", "title": "River clean-up", "publish": "2026-11-24", "prefix": "!", "in_past": true, "today": "2026-11-25", "expired": false}"##,
    },
    Entry {
        key: "post.list",
        sample: r##"{"filter": "open", "prefix": "!", "items": [{"id": "c1", "title": "River clean-up", "status": "approved", "publish": "2026-11-23", "evergreen": false, "expired": false, "expires": "2026-11-24 23:59", "campaign": "rivers", "intent": "action"}]}"##,
    },
    Entry {
        key: "post.show",
        sample: r##"{"id": "c1", "title": "River clean-up", "status": "approved", "publish": "2026-11-23", "evergreen": false, "expired": false, "expires": "2026-11-24 23:59", "campaign": "rivers", "intent": "action", "link": "https://example.org/r", "texts": [{"lang": "en", "text": "Join us!"}], "captions": [{"network": "X", "lang": null, "text": "Saturday!"}], "hashtags": "#rivers", "reshares": 4}"##,
    },
    Entry {
        key: "post.approved",
        sample: r##"{"id": "c1", "title": "River clean-up", "expired": false, "prefix": "!"}"##,
    },
    Entry {
        key: "post.cancelled",
        sample: r##"{"id": "c1", "title": "River clean-up", "expired": false, "prefix": "!"}"##,
    },
    Entry {
        key: "post.already",
        sample: r##"{"id": "c1", "status": "approved"}"##,
    },
    Entry {
        key: "post.expires_before_publish",
        sample: r##"{"expires": "2026-11-20 18:00", "publish": "2026-11-23"}"##,
    },
    Entry {
        key: "report.future",
        sample: r##"{"week": "2027-W02", "current": "2026-W47"}"##,
    },
    Entry {
        key: "report.week",
        sample: r##"{"week": "2026-W47", "first_day": "2026-11-16", "last_day": "2026-11-22", "as_of": "2026-11-22", "ambassadors": 12, "active": 7, "participation": 58, "reshares": 19, "points": 240, "by_network": [{"label": "X", "count": 8, "percent": 42}], "by_item": [{"label": "c1 River clean-up", "count": 11, "percent": 58}], "items_more": 2, "without_item": 1, "by_campaign": [{"label": "rivers", "count": 11, "percent": 58}], "by_intent": [{"label": "action", "count": 11, "percent": 58}], "campaigns": [{"name": "Clean banks", "reshares": 30, "goal": 100, "start": "2026-11-01", "goal_date": "2026-12-31", "percent": 30, "expected": 36, "status": "behind"}], "inactive": ["Bob García"], "inactive_total": 21, "inactive_more": 20, "skipped": ["2026-11-18 09:00 daily push to console:team"]}"##,
    },
    Entry {
        key: "report.chart_title",
        sample: r##"{"week": "2026-W47"}"##,
    },
    Entry {
        key: "report.chart_days",
        sample: "{}",
    },
    Entry {
        key: "report.chart_empty",
        sample: "{}",
    },
    Entry {
        key: "admin.ambassadors",
        sample: r##"{"count": 1, "rows": [{"name": "Alice", "coordinator": false, "lang": "fr", "tz": "Europe/Paris", "points": 25, "reshares": 2, "last": "2026-11-20", "hidden": false, "accounts": [{"platform": "matrix", "id": "@alice:example.org"}]}]}"##,
    },
    Entry {
        key: "admin.role_changed",
        sample: r##"{"name": "Bob", "account": "@bob:example.org", "coordinator": true}"##,
    },
    Entry {
        key: "admin.role_unchanged",
        sample: r##"{"name": "Bob", "account": "@bob:example.org", "coordinator": true}"##,
    },
    Entry {
        key: "admin.coordinator_by_config",
        sample: r##"{"name": "Carla", "account": "@carla:example.org", "coordinator": true}"##,
    },
    Entry {
        key: "admin.unknown_person",
        sample: r##"{"user": "@zoe:example.org", "prefix": "!"}"##,
    },
    Entry {
        key: "admin.role_needs_account",
        sample: r##"{"user": "Dana", "platform": "matrix", "prefix": "!"}"##,
    },
    Entry {
        key: "cmd.room",
        sample: "{}",
    },
    Entry {
        key: "room.status",
        sample: r##"{"served": true, "coordinators": false, "lang": "fr", "time": "09:00", "prefix": "!"}"##,
    },
    Entry {
        key: "room.served",
        sample: r##"{"served": true, "coordinators": false, "lang": "fr", "time": "09:00", "prefix": "!", "quiet": false}"##,
    },
    Entry {
        key: "room.off",
        sample: r##"{"was_served": true, "prefix": "!"}"##,
    },
    Entry {
        key: "room.not_served",
        sample: r##"{"prefix": "!"}"##,
    },
    Entry {
        key: "slash.room.name",
        sample: "{}",
    },
    Entry {
        key: "slash.room.description",
        sample: "{}",
    },
    Entry {
        key: "slash.room.show.name",
        sample: "{}",
    },
    Entry {
        key: "slash.room.show.description",
        sample: "{}",
    },
    Entry {
        key: "slash.room.here.name",
        sample: "{}",
    },
    Entry {
        key: "slash.room.here.description",
        sample: "{}",
    },
    Entry {
        key: "slash.room.off.name",
        sample: "{}",
    },
    Entry {
        key: "slash.room.off.description",
        sample: "{}",
    },
    Entry {
        key: "slash.option.purpose.name",
        sample: "{}",
    },
    Entry {
        key: "slash.option.purpose.description",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.purpose.team",
        sample: "{}",
    },
    Entry {
        key: "slash.choice.purpose.coordinators",
        sample: "{}",
    },
];

/// The catalog entry for `key`, if the code renders it.
pub fn entry(key: &str) -> Option<&'static Entry> {
    CATALOG.iter().find(|entry| entry.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_samples_are_json_objects() {
        let mut seen = HashSet::new();
        for entry in CATALOG {
            assert!(seen.insert(entry.key), "{} is listed twice", entry.key);
            let sample: Result<serde_json::Value, _> = serde_json::from_str(entry.sample);
            assert!(
                matches!(sample, Ok(serde_json::Value::Object(_))),
                "{}: sample is not a JSON object",
                entry.key
            );
        }
    }

    #[test]
    fn entries_are_found_by_key() {
        assert_eq!(entry("error.internal").map(|e| e.sample), Some("{}"));
        assert_eq!(entry("no.such.key"), None);
    }
}
