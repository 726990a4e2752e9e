//! Coordinators' people commands: `ambassadors` and `role grant|revoke ACCOUNT`.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::{Ambassador, Identity, Role};
use serde_json::{json, Value};

/// `ambassadors`: everyone, with role, language, zone, points and last reshare.
pub fn ambassadors(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let mut rows: Vec<Value> = Vec::new();
    for a in store.ambassadors()? {
        let stats = store.stats(a.id)?;
        rows.push(json!({
            "name": a.display_name,
            "coordinator": is_coordinator(ctx, &a),
            "lang": a.lang.code(),
            "tz": a.tz,
            "points": stats.points,
            "reshares": stats.reshares,
            "last": stats.last_day.map(|d| d.to_string()),
            "hidden": a.prefs.hidden,
            "accounts": a
                .identities
                .iter()
                .map(|i| json!({"platform": i.platform.as_str(), "id": i.user}))
                .collect::<Vec<_>>(),
        }));
    }
    Ok(vec![ctx.reply(
        "admin.ambassadors",
        json!({"rows": rows, "count": rows.len()}),
    )])
}

fn is_coordinator(ctx: &Ctx, a: &Ambassador) -> bool {
    a.role == Role::Coordinator || a.identities.iter().any(|i| ctx.app.settings.coordinators.contains(i))
}

/// `role grant|revoke ACCOUNT`: the person is named by an account id (or a mention, which the
/// adapter gives as one), never by a display name, which anyone can choose.
pub fn role(ctx: &mut Ctx, grant: bool, user: &str) -> Result<Vec<Effect>, Failure> {
    let platform = ctx.msg.from.platform;
    let Some(account) = Identity::parse_account(platform, user) else {
        return Err(Failure::user(
            "admin.role_needs_account",
            json!({"user": user, "platform": platform.as_str(), "prefix": ctx.app.settings.prefix}),
        ));
    };
    let Some(mut target) = ctx.app.store.ambassador_by_identity(&account)? else {
        return Err(Failure::user(
            "admin.unknown_person",
            json!({"user": account.user, "prefix": ctx.app.settings.prefix}),
        ));
    };
    let vars =
        |coordinator: bool| json!({"name": target.display_name, "account": account.user, "coordinator": coordinator});
    let by_config = target
        .identities
        .iter()
        .any(|i| ctx.app.settings.coordinators.contains(i));
    if !grant && by_config {
        return Err(Failure::user("admin.coordinator_by_config", vars(true)));
    }
    let wanted = if grant { Role::Coordinator } else { Role::Ambassador };
    if target.role == wanted {
        return Err(Failure::user("admin.role_unchanged", vars(grant)));
    }
    let reply = ctx.reply("admin.role_changed", vars(grant));
    target.role = wanted;
    ctx.app.store.put_ambassador(&target)?;
    tracing::info!(target = %target.id, by = %ctx.who.id, coordinator = grant, "role changed");
    if target.id == ctx.who.id {
        ctx.who.role = wanted;
    }
    Ok(vec![reply])
}

#[cfg(test)]
mod tests;
