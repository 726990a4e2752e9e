//! The ambassador's own data: `link` (join identities), `my-data` (see everything) and
//! `forget-me` (erase everything).

use super::context::{Ctx, Failure};
use super::people::mix;
use super::Effect;
use crate::store::LinkCode;
use chrono::Duration;
use serde_json::json;

/// `link`: a one-time code, sent privately, to type on the other platform.
pub fn link_code(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let minutes = ctx.app.settings.link_code_minutes;
    let code = one_time_code(ctx.who.id.0, ctx.now.timestamp_nanos_opt().unwrap_or_default() as u64);
    let entry = LinkCode {
        ambassador: ctx.who.id,
        expires: ctx.now + Duration::minutes(i64::from(minutes)),
    };
    ctx.app.store.put_link_code(&code, &entry)?;
    let dm = Effect::Dm {
        to: ctx.who.id,
        text: ctx.text(
            "link.code",
            json!({"code": code, "minutes": minutes, "prefix": ctx.app.settings.prefix}),
        ),
        key: None,
    };
    let mut effects = vec![dm];
    if !ctx.msg.direct {
        effects.push(ctx.reply("privacy.sent_by_dm", json!({})));
    }
    Ok(effects)
}

/// An 8-character code like `K7QX-M2PA`, without look-alike characters.
fn one_time_code(seed: u64, nanos: u64) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut x = mix(seed ^ mix(nanos));
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        code.push(ALPHABET[(x & 31) as usize] as char);
        x = mix(x);
    }
    code
}

/// `link CODE`: joins the sender's identity to the profile that asked for the code.
pub fn link_with_code(ctx: &mut Ctx, code: &str) -> Result<Vec<Effect>, Failure> {
    let normalised: String = code.trim().to_ascii_uppercase();
    let store = ctx.app.store;
    let entry = match store.take_link_code(&normalised)? {
        Some(e) if e.expires > ctx.now => e,
        _ => {
            return Err(Failure::user(
                "link.invalid",
                json!({"code": normalised, "prefix": ctx.app.settings.prefix}),
            ))
        }
    };
    if entry.ambassador == ctx.who.id {
        return Err(Failure::user("link.same", json!({})));
    }
    let Some(target) = store.ambassador(entry.ambassador)? else {
        return Err(Failure::user(
            "link.invalid",
            json!({"code": normalised, "prefix": ctx.app.settings.prefix}),
        ));
    };
    store.merge_ambassadors(ctx.who.id, target.id)?;
    tracing::info!(from = %ctx.who.id, into = %target.id, "identities linked");
    let platforms: Vec<String> = target
        .identities
        .iter()
        .chain(ctx.who.identities.iter())
        .map(|i| i.platform.as_str().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(vec![ctx.reply(
        "link.done",
        json!({"name": target.display_name, "platforms": platforms}),
    )])
}

/// `my-data`: everything Relais keeps about the sender, sent privately.
pub fn my_data(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let stats = store.stats(ctx.who.id)?;
    let reshares: Vec<_> = store
        .reshares_of(ctx.who.id)?
        .into_iter()
        .map(|r| {
            json!({
                "at": ctx.local_time(r.at),
                "item": r.item.map(|i| i.to_string()),
                "network": r.network.name(),
                "url": r.url,
                "points": r.points,
                "source": format!("{:?}", r.source).to_lowercase(),
            })
        })
        .collect();
    let who = &ctx.who;
    let vars = json!({
        "name": who.display_name,
        "code": who.code,
        "identities": who.identities.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "lang": who.lang.code(),
        "tz": who.tz,
        "role": format!("{:?}", who.role).to_lowercase(),
        "joined": ctx.local_time(who.joined_at),
        "prefs": serde_json::to_value(&who.prefs).unwrap_or_default(),
        "points": stats.points,
        "streak": stats.streak,
        "best_streak": stats.best_streak,
        "reshares": reshares,
        "prefix": ctx.app.settings.prefix,
    });
    let mut effects = vec![Effect::Dm {
        to: who.id,
        text: ctx.text("privacy.my_data", vars),
        key: None,
    }];
    if !ctx.msg.direct {
        effects.push(ctx.reply("privacy.sent_by_dm", json!({})));
    }
    Ok(effects)
}

/// `forget-me`: asks for confirmation; `forget-me confirm` erases the profile and its history.
pub fn forget_me(ctx: &mut Ctx, confirmed: bool) -> Result<Vec<Effect>, Failure> {
    if !confirmed {
        let reshares = ctx.app.store.stats(ctx.who.id)?.reshares;
        return Ok(vec![ctx.reply(
            "privacy.forget_confirm",
            json!({"reshares": reshares, "prefix": ctx.app.settings.prefix}),
        )]);
    }
    ctx.app.store.forget_ambassador(ctx.who.id)?;
    tracing::info!(ambassador = %ctx.who.id, "ambassador forgotten on request");
    Ok(vec![ctx.reply("privacy.forgotten", json!({}))])
}

#[cfg(test)]
mod tests {
    use super::one_time_code;

    #[test]
    fn codes_are_readable_and_vary() {
        let a = one_time_code(1, 1);
        assert_eq!(a.len(), 9);
        assert_eq!(a.chars().nth(4), Some('-'));
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert!(!a.contains(['0', 'O', '1', 'I']));
        assert_ne!(a, one_time_code(1, 2));
        assert_ne!(a, one_time_code(2, 1));
    }
}
