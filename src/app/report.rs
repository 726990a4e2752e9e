//! The coordinator report for a week: participation, reshares by network, item, campaign and intent.

use super::context::{Ctx, Failure};
use super::{App, Effect};
use crate::domain::{Intent, ItemId, Network, Reshare, WeekKey};
use crate::store::StoreError;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The figures of one week, ready for a template, a CSV or a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekReport {
    pub week: String,
    pub ambassadors: usize,
    pub active: usize,
    /// Active ambassadors out of all, in percent (0 when nobody is registered).
    pub participation: u32,
    pub reshares: usize,
    pub points: u64,
    pub by_network: Vec<Count>,
    pub by_item: Vec<Count>,
    pub by_campaign: Vec<Count>,
    pub by_intent: Vec<Count>,
}

/// A labelled count, largest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

/// Builds the report of `week` from the week's reshares.
pub fn week_report(app: &App, week: WeekKey) -> Result<WeekReport, StoreError> {
    let (from, to) = week.bounds(app.settings.org_tz);
    let reshares = app.store.reshares_between(from, to)?;
    let ambassadors = app.store.ambassadors()?.len();
    let items: BTreeMap<ItemId, crate::domain::Item> = app.store.items()?.into_iter().map(|i| (i.id, i)).collect();
    let active: BTreeSet<_> = reshares.iter().map(|r| r.ambassador).collect();
    let mut by_network = BTreeMap::<Network, usize>::new();
    let mut by_item = BTreeMap::<String, usize>::new();
    let mut by_campaign = BTreeMap::<String, usize>::new();
    let mut by_intent = BTreeMap::<Intent, usize>::new();
    for r in &reshares {
        *by_network.entry(r.network).or_default() += 1;
        if let Some(item) = r.item.and_then(|id| items.get(&id)) {
            *by_item.entry(format!("{} {}", item.id, item.title)).or_default() += 1;
            *by_intent.entry(item.intent).or_default() += 1;
            if let Some(c) = &item.campaign {
                *by_campaign.entry(c.clone()).or_default() += 1;
            }
        }
    }
    let participation = (active.len() * 100).checked_div(ambassadors).unwrap_or(0) as u32;
    Ok(WeekReport {
        week: week.to_string(),
        ambassadors,
        active: active.len(),
        participation,
        reshares: reshares.len(),
        points: reshares.iter().map(|r: &Reshare| u64::from(r.points)).sum(),
        by_network: counts(by_network.into_iter().map(|(n, c)| (n.name().to_string(), c))),
        by_item: counts(by_item),
        by_campaign: counts(by_campaign),
        by_intent: counts(by_intent.into_iter().map(|(i, c)| (i.key().to_string(), c))),
    })
}

fn counts(it: impl IntoIterator<Item = (String, usize)>) -> Vec<Count> {
    let mut v: Vec<Count> = it.into_iter().map(|(label, count)| Count { label, count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}

/// `report [WEEK]`: the given week, or the current one.
pub fn report(ctx: &mut Ctx, week: Option<WeekKey>) -> Result<Vec<Effect>, Failure> {
    let current = WeekKey::of(ctx.now, ctx.app.settings.org_tz);
    let week = week.unwrap_or(current);
    if week > current {
        return Err(Failure::user("report.future", json!({"week": week.to_string(), "current": current.to_string()})));
    }
    let report = week_report(ctx.app, week)?;
    let vars = serde_json::to_value(&report).unwrap_or_default();
    Ok(vec![ctx.reply("report.week", vars)])
}
