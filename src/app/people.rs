//! New ambassadors and the public weekly leaderboard (`top`).

use super::context::{Ctx, Failure, Incoming};
use super::{App, Effect};
use crate::domain::{leaderboard, Ambassador, AmbassadorId, Prefs, Role, WeekKey};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A profile for someone writing to Relais for the first time: the room's language, the
/// organisation's time zone, coordinator if the configuration names them.
pub fn new_ambassador(app: &App, id: AmbassadorId, msg: &Incoming, now: DateTime<Utc>) -> Ambassador {
    let settings = app.settings;
    let lang = app
        .rooms
        .get(&msg.room)
        .map(|r| r.lang)
        .unwrap_or(settings.default_lang);
    let role = if settings.coordinators.contains(&msg.from) {
        Role::Coordinator
    } else {
        Role::Ambassador
    };
    let name = msg.display_name.trim();
    Ambassador {
        id,
        code: pseudonym_code(id, now),
        display_name: if name.is_empty() {
            msg.from.user.clone()
        } else {
            name.chars().take(64).collect()
        },
        identities: vec![msg.from.clone()],
        lang,
        tz: settings.org_tz.name().to_string(),
        role,
        prefs: Prefs::default(),
        joined_at: now,
    }
}

/// A pseudonymous 10-character code for share links: derived from the internal id and the
/// creation time, never from a chat id, and not reversible to either.
pub fn pseudonym_code(id: AmbassadorId, now: DateTime<Utc>) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz023456789";
    let nanos = now.timestamp_nanos_opt().unwrap_or_default() as u64;
    let mut x = mix(id.0 ^ mix(nanos));
    (0..10)
        .map(|_| {
            let c = ALPHABET[(x & 31) as usize] as char;
            x = mix(x);
            c
        })
        .collect()
}

/// SplitMix64 finaliser: a cheap, well-spread 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `top`: this week's public leaderboard, and where the asker stands.
pub fn top(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let week = WeekKey::of(ctx.now, ctx.app.settings.org_tz);
    let vars = board_vars(ctx.app, week, Some(&ctx.who))?;
    Ok(vec![ctx.reply("board.top", vars)])
}

/// The template variables of a weekly board: rows (rank, name, points, reshares) and the
/// asker's own position, hidden or not. Reads only as many profiles as the board shows.
pub fn board_vars(app: &App, week: WeekKey, asker: Option<&Ambassador>) -> Result<Value, Failure> {
    let store = app.store;
    let ranked = leaderboard::rank(store.week_totals(week)?);
    let mut rows = Vec::new();
    for s in &ranked {
        if rows.len() >= app.settings.leaderboard_size {
            break;
        }
        match store.ambassador(s.ambassador)? {
            Some(a) if !a.prefs.hidden => rows.push(json!({
                "rank": rows.len() + 1, "name": a.display_name, "points": s.total.points, "reshares": s.total.reshares,
            })),
            _ => {}
        }
    }
    let you = asker
        .and_then(|who| ranked.iter().find(|s| s.ambassador == who.id).map(|s| (who, s)))
        .map(|(who, s)| json!({"rank": s.rank, "points": s.total.points, "hidden": who.prefs.hidden}));
    Ok(json!({"week": week.to_string(), "rows": rows, "you": you, "total": ranked.len()}))
}
