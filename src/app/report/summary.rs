//! The figures of a week's report: participation, counts by network, item, campaign and intent,
//! campaign goals, inactive ambassadors and what the scheduler skipped.

use super::data::{last_day, WeekData};
use crate::app::CampaignGoal;
use crate::domain::{AmbassadorId, Intent, ItemId, Network};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// How many items the text lists before "and N more".
pub const ITEMS_SHOWN: usize = 10;
/// How many inactive ambassadors the text names before "and N more".
pub const INACTIVE_SHOWN: usize = 20;

/// The figures of one week, ready for a template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekReport {
    pub week: String,
    /// Monday and Sunday of the week (`2026-11-16`).
    pub first_day: String,
    pub last_day: String,
    /// The day the report is seen from (the last day, or today for the current week).
    pub as_of: String,
    /// Ambassadors registered by the end of the week.
    pub ambassadors: usize,
    /// Ambassadors with at least one reshare in the week.
    pub active: usize,
    /// Active ambassadors out of all, in percent (0 when nobody is registered).
    pub participation: u32,
    pub reshares: usize,
    pub points: u64,
    pub by_network: Vec<Count>,
    /// The [`ITEMS_SHOWN`] most reshared items (`c1 Title`).
    pub by_item: Vec<Count>,
    /// Items reshared but not listed in `by_item`.
    pub items_more: usize,
    /// Reshares of no particular item.
    pub without_item: usize,
    pub by_campaign: Vec<Count>,
    /// The four intents in this order: `awareness`, `appreciation`, `action`, `advocacy` (labels
    /// are these keys), each with its percent of the reshares of known items (summing to about 100).
    pub by_intent: Vec<Count>,
    /// Campaigns that have started by the end of the week, in configuration order.
    pub campaigns: Vec<CampaignProgress>,
    /// The first [`INACTIVE_SHOWN`] inactive ambassadors' names.
    pub inactive: Vec<String>,
    pub inactive_total: usize,
    pub inactive_more: usize,
    /// Scheduled actions the scheduler skipped, as it described them.
    pub skipped: Vec<String>,
}

/// A labelled count, largest first, with its share of the week's reshares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
    /// Percent of the week's reshares, rounded.
    pub percent: u32,
}

/// Where a campaign stands against its goal at the end of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// The goal is reached (by its date).
    Reached,
    /// At least the pro-rata share of the goal is reached.
    OnTrack,
    /// Less than the pro-rata share.
    Behind,
    /// The goal date has passed without reaching the goal.
    Missed,
}

/// A campaign's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignProgress {
    pub name: String,
    /// Reshares counted from the start to the goal date, up to the end of the week.
    pub reshares: usize,
    pub goal: u32,
    pub start: String,
    pub goal_date: String,
    /// `reshares` out of `goal`, in percent (may exceed 100).
    pub percent: u32,
    /// The pro-rata share of the goal due by the end of the week (the whole goal once the date has passed).
    pub expected: u32,
    pub status: CampaignStatus,
}

impl WeekData {
    /// The figures of the week: `campaigns` from the settings, `skipped` from the scheduler.
    pub fn summary(&self, campaigns: &[CampaignGoal], skipped: &[String]) -> WeekReport {
        let reshares = self.reshares();
        let total = reshares.len();
        let mut by_network = HashMap::<Network, usize>::new();
        let mut by_item = HashMap::<ItemId, usize>::new();
        let mut active = HashSet::<AmbassadorId>::new();
        let mut points = 0u64;
        for r in reshares {
            *by_network.entry(r.network).or_default() += 1;
            if let Some(item) = r.item {
                *by_item.entry(item).or_default() += 1;
            }
            active.insert(r.ambassador);
            points += u64::from(r.points);
        }
        let (items, without_item) = self.item_counts(&by_item, total);
        let items_more = items.len().saturating_sub(ITEMS_SHOWN);
        let inactive = self.inactive();
        let registered = self.registered(&active);
        WeekReport {
            week: self.week.to_string(),
            first_day: self.week.monday().to_string(),
            last_day: last_day(self.week).to_string(),
            as_of: self.as_of.to_string(),
            ambassadors: registered,
            active: active.len(),
            participation: percent(active.len(), registered),
            reshares: total,
            points,
            by_network: counts(by_network.into_iter().map(|(n, c)| (n.name().to_string(), c)), total),
            by_item: items.into_iter().take(ITEMS_SHOWN).collect(),
            items_more,
            without_item,
            by_campaign: self.campaign_mix(&by_item, total),
            by_intent: self.intent_mix(&by_item),
            campaigns: self.progress(campaigns),
            inactive_total: inactive.len(),
            inactive_more: inactive.len().saturating_sub(INACTIVE_SHOWN),
            inactive: inactive.into_iter().take(INACTIVE_SHOWN).collect(),
            skipped: skipped.to_vec(),
        }
    }

    /// Every reshared item as `c1 Title`, largest first, and the reshares of no known item.
    fn item_counts(&self, by_item: &HashMap<ItemId, usize>, total: usize) -> (Vec<Count>, usize) {
        let known = by_item.iter().filter_map(|(id, count)| {
            let item = self.items.get(id)?;
            Some((format!("{} {}", item.id, item.title), *count))
        });
        let items = counts(known, total);
        let listed: usize = items.iter().map(|c| c.count).sum();
        (items, total.saturating_sub(listed))
    }

    fn campaign_mix(&self, by_item: &HashMap<ItemId, usize>, total: usize) -> Vec<Count> {
        let mut by_campaign = HashMap::<&str, usize>::new();
        for (id, count) in by_item {
            if let Some(campaign) = self.items.get(id).and_then(|i| i.campaign.as_deref()) {
                *by_campaign.entry(campaign).or_default() += count;
            }
        }
        counts(by_campaign.into_iter().map(|(c, n)| (c.to_string(), n)), total)
    }

    /// All four intents in their usual order; percentages are of the reshares of known items.
    fn intent_mix(&self, by_item: &HashMap<ItemId, usize>) -> Vec<Count> {
        let mut by_intent = [0usize; Intent::ALL.len()];
        for (id, count) in by_item {
            let slot = self
                .items
                .get(id)
                .and_then(|item| Intent::ALL.iter().position(|i| *i == item.intent));
            if let Some(total) = slot.and_then(|index| by_intent.get_mut(index)) {
                *total += count;
            }
        }
        let of_items: usize = by_intent.iter().sum();
        Intent::ALL
            .iter()
            .zip(by_intent)
            .map(|(intent, count)| Count {
                label: intent.key().to_string(),
                count,
                percent: percent(count, of_items),
            })
            .collect()
    }

    fn progress(&self, campaigns: &[CampaignGoal]) -> Vec<CampaignProgress> {
        let as_of = self.as_of;
        let counts = self.campaign_counts(campaigns);
        campaigns
            .iter()
            .zip(counts)
            .filter(|(campaign, _)| campaign.start <= as_of)
            .map(|(campaign, reshares)| campaign_progress(campaign, reshares, as_of))
            .collect()
    }
}

/// The progress of `campaign` with `reshares` counted, seen at the end of the day `as_of`.
pub fn campaign_progress(campaign: &CampaignGoal, reshares: usize, as_of: NaiveDate) -> CampaignProgress {
    let expected = expected_by(campaign, as_of);
    let reached = reshares >= campaign.goal_reshares as usize;
    let status = if reached {
        CampaignStatus::Reached
    } else if as_of > campaign.goal_date {
        CampaignStatus::Missed
    } else if reshares >= expected as usize {
        CampaignStatus::OnTrack
    } else {
        CampaignStatus::Behind
    };
    CampaignProgress {
        name: campaign.name.clone(),
        reshares,
        goal: campaign.goal_reshares,
        start: campaign.start.to_string(),
        goal_date: campaign.goal_date.to_string(),
        percent: percent(reshares, campaign.goal_reshares as usize),
        expected,
        status,
    }
}

/// The linear pro-rata share of the goal due by the end of `as_of` (rounded up): the goal spread
/// evenly over the days from the start to the goal date, both included.
fn expected_by(campaign: &CampaignGoal, as_of: NaiveDate) -> u32 {
    let days_total = (campaign.goal_date - campaign.start).num_days() + 1;
    let days_done = ((as_of - campaign.start).num_days() + 1).clamp(0, days_total.max(1));
    let goal = u64::from(campaign.goal_reshares);
    let (done, total) = (days_done.unsigned_abs(), days_total.max(1).unsigned_abs());
    u32::try_from((goal * done).div_ceil(total)).unwrap_or(campaign.goal_reshares)
}

/// `part` of `whole` in percent, rounded to the nearest (0 when `whole` is 0).
pub(super) fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(u32::MAX)
}

/// Counts largest first, then by label.
fn counts(it: impl IntoIterator<Item = (String, usize)>, total: usize) -> Vec<Count> {
    let mut v: Vec<Count> = it
        .into_iter()
        .map(|(label, count)| Count {
            percent: percent(count, total),
            label,
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    v
}
