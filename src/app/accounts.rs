//! `link`: joining a person's chat accounts into one profile with a one-time code, sent privately
//! on one account and typed on the other.
//!
//! Codes come from the operating system's secure random source. Guessing is cut off per person and
//! per code (see [`crate::domain::link_code`]), and a wrong code gets the same answer whatever is
//! wrong with it (unknown, expired, someone else's, mistyped), so it says nothing about which
//! codes exist.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::link_code::{self, Code};
use crate::domain::AmbassadorId;
use crate::store::LinkCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::BTreeSet;

/// `link`: a one-time code, sent privately, to type on the other account.
pub fn link_code(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let minutes = ctx.app.settings.link_code_minutes;
    let code = fresh_code(ctx)?;
    let entry = LinkCode {
        ambassador: ctx.who.id,
        expires: ctx.now + Duration::minutes(i64::from(minutes)),
        secret: code.secret.clone(),
        failures: 0,
    };
    ctx.app.store.put_link_code(&code.id, &entry)?;
    let dm = Effect::Dm {
        to: ctx.who.id,
        text: ctx.text(
            "link.code",
            json!({"code": code.to_string(), "minutes": minutes, "prefix": ctx.app.settings.prefix}),
        ),
        key: None,
    };
    let mut effects = vec![dm];
    if !ctx.msg.direct {
        effects.push(ctx.reply("privacy.sent_by_dm", json!({})));
    }
    Ok(effects)
}

/// A new code whose name no pending code has (a pending code drawn by chance is put back).
fn fresh_code(ctx: &Ctx) -> Result<Code, Failure> {
    let store = ctx.app.store;
    for _ in 0..8 {
        let code = random_code()?;
        match store.take_link_code(&code.id)? {
            Some(pending) if pending.expires > ctx.now => store.put_link_code(&code.id, &pending)?,
            _ => return Ok(code),
        }
    }
    Err(Failure::internal("no free link code name after 8 draws"))
}

/// A code from the operating system's secure random source.
fn random_code() -> Result<Code, Failure> {
    let mut bytes = [0u8; link_code::RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Failure::internal(format!("the secure random source failed: {e}")))?;
    Ok(Code::from_random(bytes))
}

/// `link CODE`: joins the sender's account to the profile that asked for the code.
pub fn link_with_code(ctx: &mut Ctx, typed: &str) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let window = Duration::minutes(link_code::FAILURE_WINDOW_MINUTES);
    let since = ctx.now - window;
    let failures = store.link_failures(ctx.who.id, since)?;
    if failures.len() >= link_code::MAX_FAILURES_PER_PERSON {
        tracing::warn!(ambassador = %ctx.who.id, "link code refused unread: too many wrong codes");
        let until = failures.first().map_or(ctx.now, |first| *first + window);
        return Err(Failure::user(
            "link.too_many",
            json!({"when": ctx.local_time(until), "prefix": ctx.app.settings.prefix}),
        ));
    }
    let Some(code) = Code::parse(typed) else {
        return wrong_code(ctx, typed, since, Vec::new());
    };
    let entry = match store.take_link_code(&code.id)? {
        Some(entry) if entry.expires > ctx.now && code.secret_is(&entry.secret) => entry,
        Some(entry) if entry.expires > ctx.now => {
            let effects = count_against_code(ctx, &code.id, entry)?;
            return wrong_code(ctx, typed, since, effects);
        }
        _ => return wrong_code(ctx, typed, since, Vec::new()),
    };
    if entry.ambassador == ctx.who.id {
        // Still good for the other account.
        store.put_link_code(&code.id, &entry)?;
        return Err(Failure::user("link.same", json!({})));
    }
    let Some(target) = store.ambassador(entry.ambassador)? else {
        return wrong_code(ctx, typed, since, Vec::new());
    };
    store.merge_ambassadors(ctx.who.id, target.id)?;
    tracing::info!(from = %ctx.who.id, into = %target.id, "identities linked");
    let platforms: BTreeSet<&str> = target
        .identities
        .iter()
        .chain(ctx.who.identities.iter())
        .map(|i| i.platform.as_str())
        .collect();
    Ok(vec![ctx.reply(
        "link.done",
        json!({"name": target.display_name, "platforms": platforms}),
    )])
}

/// A wrong secret for a pending code: one more failure against it; the last one allowed cancels
/// it, and its owner is told privately.
fn count_against_code(ctx: &Ctx, id: &str, mut entry: LinkCode) -> Result<Vec<Effect>, Failure> {
    entry.failures += 1;
    if entry.failures < link_code::MAX_FAILURES_PER_CODE {
        ctx.app.store.put_link_code(id, &entry)?;
        return Ok(Vec::new());
    }
    tracing::warn!(owner = %entry.ambassador, "link code cancelled after too many wrong secrets");
    Ok(cancelled_note(ctx, entry.ambassador)?.into_iter().collect())
}

/// The private note to the owner of a cancelled code, in their language.
fn cancelled_note(ctx: &Ctx, owner: AmbassadorId) -> Result<Option<Effect>, Failure> {
    let Some(owner) = ctx.app.store.ambassador(owner)? else {
        return Ok(None);
    };
    let vars = json!({"tries": link_code::MAX_FAILURES_PER_CODE, "prefix": ctx.app.settings.prefix});
    Ok(Some(Effect::Dm {
        to: owner.id,
        text: ctx.app.prompts.render(owner.lang, "link.cancelled", &vars),
        key: None,
    }))
}

/// The one answer to a code that does not work, after counting it against the sender.
fn wrong_code(ctx: &Ctx, typed: &str, since: DateTime<Utc>, mut effects: Vec<Effect>) -> Result<Vec<Effect>, Failure> {
    ctx.app.store.add_link_failure(ctx.who.id, ctx.now, since)?;
    tracing::info!(ambassador = %ctx.who.id, "wrong link code");
    effects.push(ctx.reply(
        "link.invalid",
        json!({"code": typed, "prefix": ctx.app.settings.prefix}),
    ));
    Ok(effects)
}

#[cfg(test)]
mod tests;
