//! Coordinators' content commands: `post add`, `post list`, `post show`, `post approve`, `post cancel`.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::command::PostFilter;
use crate::command::{NewKind, NewPost};
use crate::domain::week::local_midnight;
use crate::domain::{Item, ItemId, ItemKind, ItemStatus};
use chrono::{DateTime, Days, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Value};

/// `post add`: a new draft item.
pub fn add(ctx: &mut Ctx, post: NewPost) -> Result<Vec<Effect>, Failure> {
    let tz = ctx.app.settings.org_tz;
    let publish = post.publish.unwrap_or_else(|| ctx.today_org());
    let kind = match post.kind {
        NewKind::Evergreen => ItemKind::Evergreen,
        NewKind::Hot { expires: Some(local) } => ItemKind::Hot {
            expires: local_to_utc(local, tz),
        },
        NewKind::Hot { expires: None } => {
            let last_day = publish
                .checked_add_days(Days::new(u64::from(ctx.app.settings.hot_default_days)))
                .unwrap_or(publish);
            ItemKind::Hot {
                expires: local_midnight(last_day.succ_opt().unwrap_or(last_day), tz),
            }
        }
    };
    if let ItemKind::Hot { expires } = kind {
        if expires <= local_midnight(publish, tz) {
            let vars = json!({"expires": expires.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(), "publish": publish.to_string()});
            return Err(Failure::user("post.expires_before_publish", vars));
        }
    }
    let item = Item {
        id: ctx.app.store.next_item_id()?,
        title: post.title,
        link: post.link,
        texts: post.texts,
        captions: post.captions,
        hashtags: post.hashtags,
        campaign: post.campaign,
        intent: post.intent,
        kind,
        publish,
        status: ItemStatus::Draft,
        created_by: ctx.who.id,
        created_at: ctx.now,
    };
    ctx.app.store.put_item(&item)?;
    tracing::info!(item = %item.id, by = %ctx.who.id, "item added");
    let today = ctx.today_org();
    let vars = json!({
        "id": item.id.to_string(),
        "title": item.title,
        "publish": publish.to_string(),
        "prefix": ctx.app.settings.prefix,
        "in_past": publish < today,
        "today": today.to_string(),
        "expired": item.is_expired(ctx.now),
    });
    Ok(vec![ctx.reply("post.added", vars)])
}

/// A local date-time in `tz` as UTC (the earlier instant when ambiguous, the next valid one in a gap).
fn local_to_utc(local: NaiveDateTime, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let mut t = local;
    for _ in 0..8 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&local)
}

/// `post list [FILTER]`.
pub fn list(ctx: &mut Ctx, filter: PostFilter) -> Result<Vec<Effect>, Failure> {
    let rows: Vec<Value> = ctx
        .app
        .store
        .items()?
        .iter()
        .filter(|i| matches_filter(i.status, filter))
        .map(|i| summary(ctx, i))
        .collect();
    let filter_key = format!("{filter:?}").to_lowercase();
    Ok(vec![ctx.reply(
        "post.list",
        json!({"items": rows, "filter": filter_key, "prefix": ctx.app.settings.prefix}),
    )])
}

fn matches_filter(status: ItemStatus, filter: PostFilter) -> bool {
    match filter {
        PostFilter::Open => status != ItemStatus::Cancelled,
        PostFilter::Draft => status == ItemStatus::Draft,
        PostFilter::Approved => status == ItemStatus::Approved,
        PostFilter::Cancelled => status == ItemStatus::Cancelled,
        PostFilter::All => true,
    }
}

fn summary(ctx: &Ctx, item: &Item) -> Value {
    let expires = match item.kind {
        ItemKind::Hot { expires } => Some(ctx.local_time(expires)),
        ItemKind::Evergreen => None,
    };
    json!({
        "id": item.id.to_string(),
        "title": item.title,
        "status": item.status.key(),
        "publish": item.publish.to_string(),
        "evergreen": item.kind == ItemKind::Evergreen,
        "expired": item.is_expired(ctx.now),
        "expires": expires,
        "campaign": item.campaign,
        "intent": item.intent.key(),
    })
}

/// `post show ID`: every field, every text and caption.
pub fn show(ctx: &mut Ctx, id: ItemId) -> Result<Vec<Effect>, Failure> {
    let item = find(ctx, id)?;
    let mut vars = summary(ctx, &item);
    vars["link"] = json!(item.link);
    vars["texts"] = item
        .texts
        .iter()
        .map(|(l, t)| json!({"lang": l.code(), "text": t}))
        .collect();
    vars["captions"] = item
        .captions
        .iter()
        .map(|c| json!({"network": c.network.name(), "lang": c.lang.map(|l| l.code()), "text": c.text}))
        .collect();
    vars["hashtags"] = json!(item
        .hashtags
        .iter()
        .map(|h| format!("#{h}"))
        .collect::<Vec<_>>()
        .join(" "));
    vars["reshares"] = json!(ctx
        .app
        .store
        .reshares_between(item.created_at, ctx.now + chrono::Duration::seconds(1))?
        .iter()
        .filter(|r| r.item == Some(id))
        .count());
    Ok(vec![ctx.reply("post.show", vars)])
}

/// `post approve ID`.
pub fn approve(ctx: &mut Ctx, id: ItemId) -> Result<Vec<Effect>, Failure> {
    set_status(ctx, id, ItemStatus::Approved, "post.approved")
}

/// `post cancel ID`.
pub fn cancel(ctx: &mut Ctx, id: ItemId) -> Result<Vec<Effect>, Failure> {
    set_status(ctx, id, ItemStatus::Cancelled, "post.cancelled")
}

fn set_status(ctx: &mut Ctx, id: ItemId, status: ItemStatus, key: &str) -> Result<Vec<Effect>, Failure> {
    let mut item = find(ctx, id)?;
    if item.status == status {
        return Err(Failure::user(
            "post.already",
            json!({"id": id.to_string(), "status": status.key()}),
        ));
    }
    item.status = status;
    ctx.app.store.put_item(&item)?;
    tracing::info!(item = %id, status = status.key(), by = %ctx.who.id, "item status changed");
    let expired = item.is_expired(ctx.now);
    Ok(vec![ctx.reply(
        key,
        json!({"id": id.to_string(), "title": item.title, "expired": expired, "prefix": ctx.app.settings.prefix}),
    )])
}

fn find(ctx: &Ctx, id: ItemId) -> Result<Item, Failure> {
    ctx.app
        .store
        .item(id)?
        .ok_or_else(|| Failure::user("item.unknown", json!({"item": id.to_string()})))
}
