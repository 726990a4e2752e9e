//! What a week's report is computed from: the reshares of the week and of the weeks before it
//! (for inactivity and campaign goals), the ambassadors and the items, read in three store calls.

use crate::app::{App, CampaignGoal};
use crate::domain::week::local_midnight;
use crate::domain::{Ambassador, AmbassadorId, Item, ItemId, Reshare, WeekKey};
use crate::store::StoreError;
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// How long without a reshare makes an ambassador inactive.
pub const INACTIVE_DAYS: u64 = 14;

/// The raw material of one week's report, loaded once and shared by the text, the CSV and the chart.
#[derive(Debug, Clone)]
pub struct WeekData {
    pub week: WeekKey,
    pub tz: Tz,
    /// Start and end (exclusive) of the week, Monday 00:00 to Monday 00:00 in `tz`.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The day the report is seen from: the week's Sunday, or today for the current week
    /// (campaign goals are judged at the end of this day).
    pub as_of: NaiveDate,
    /// Every reshare loaded, oldest first: the week's reshares are the tail from `week_from`.
    loaded: Vec<Reshare>,
    week_from: usize,
    /// Ambassadors by id.
    pub ambassadors: HashMap<AmbassadorId, Ambassador>,
    /// Items by id.
    pub items: HashMap<ItemId, Item>,
}

impl WeekData {
    /// Loads `week` with enough history for the inactivity window and every campaign that has
    /// started by the end of the week.
    pub fn load(app: &App, week: WeekKey) -> Result<Self, StoreError> {
        let tz = app.settings.org_tz;
        let (start, end) = week.bounds(tz);
        let last_day = last_day(week);
        let campaign_starts = app
            .settings
            .campaigns
            .iter()
            .filter(|c| c.start <= last_day)
            .map(|c| local_midnight(c.start, tz));
        let from = campaign_starts.fold(inactivity_start(week, tz), DateTime::min);
        let loaded = app.store.reshares_between(from, end)?;
        let week_from = loaded.partition_point(|r| r.at < start);
        let ambassadors = app.store.ambassadors()?.into_iter().map(|a| (a.id, a)).collect();
        let items = app.store.items()?.into_iter().map(|i| (i.id, i)).collect();
        Ok(WeekData {
            week,
            tz,
            start,
            end,
            as_of: last_day,
            loaded,
            week_from,
            ambassadors,
            items,
        })
    }

    /// The same data seen on `today` (organisation zone): for the current week, campaign goals
    /// are judged at the end of today rather than on Sunday.
    pub fn seen_on(mut self, today: NaiveDate) -> Self {
        self.as_of = last_day(self.week).min(today.max(self.week.monday()));
        self
    }

    /// The week's reshares, oldest first.
    pub fn reshares(&self) -> &[Reshare] {
        self.loaded.get(self.week_from..).unwrap_or_default()
    }

    /// The display name of an ambassador (`#id` if they are gone).
    pub fn name_of(&self, id: AmbassadorId) -> String {
        self.ambassadors
            .get(&id)
            .map_or_else(|| format!("#{}", id.0), |a| a.display_name.clone())
    }

    /// Ambassadors who had joined by the end of the week (or reshared during it).
    pub fn registered(&self, active: &std::collections::HashSet<AmbassadorId>) -> usize {
        self.ambassadors
            .values()
            .filter(|a| a.joined_at < self.end || active.contains(&a.id))
            .count()
    }

    /// Ambassadors with no reshare in the [`INACTIVE_DAYS`] days before the end of the week who
    /// joined before that window, sorted by name (case-insensitive).
    pub fn inactive(&self) -> Vec<String> {
        let window = inactivity_start(self.week, self.tz);
        let recent: std::collections::HashSet<AmbassadorId> = self
            .loaded
            .iter()
            .filter(|r| r.at >= window)
            .map(|r| r.ambassador)
            .collect();
        let mut names: Vec<String> = self
            .ambassadors
            .values()
            .filter(|a| a.joined_at < window && !recent.contains(&a.id))
            .map(|a| a.display_name.clone())
            .collect();
        names.sort_by_cached_key(|name| (name.to_lowercase(), name.clone()));
        names
    }

    /// Reshares counted for each campaign, in the order of `campaigns`: reshares of items whose
    /// campaign has the same name (case-insensitive), from its start to its goal date included,
    /// but not after the end of the week.
    pub fn campaign_counts(&self, campaigns: &[CampaignGoal]) -> Vec<usize> {
        let names: Vec<String> = campaigns.iter().map(|c| c.name.to_lowercase()).collect();
        let of_item: HashMap<ItemId, usize> = self
            .items
            .values()
            .filter_map(|item| {
                let campaign = item.campaign.as_deref()?.trim().to_lowercase();
                names.iter().position(|n| *n == campaign).map(|index| (item.id, index))
            })
            .collect();
        let windows: Vec<(DateTime<Utc>, DateTime<Utc>)> = campaigns
            .iter()
            .map(|c| {
                let after_goal = c.goal_date.checked_add_days(Days::new(1)).unwrap_or(c.goal_date);
                (
                    local_midnight(c.start, self.tz),
                    local_midnight(after_goal, self.tz).min(self.end),
                )
            })
            .collect();
        let mut counts = vec![0; campaigns.len()];
        for reshare in &self.loaded {
            let Some(index) = reshare.item.and_then(|id| of_item.get(&id)).copied() else {
                continue;
            };
            let inside = windows
                .get(index)
                .is_some_and(|(from, to)| *from <= reshare.at && reshare.at < *to);
            if let (true, Some(count)) = (inside, counts.get_mut(index)) {
                *count += 1;
            }
        }
        counts
    }

    /// The local day (0 = Monday … 6 = Sunday) of an instant of the week.
    pub fn day_of_week(&self, at: DateTime<Utc>) -> usize {
        let day = at.with_timezone(&self.tz).date_naive();
        usize::try_from((day - self.week.monday()).num_days())
            .unwrap_or(0)
            .min(6)
    }
}

/// Sunday of `week`.
pub fn last_day(week: WeekKey) -> NaiveDate {
    week.monday()
        .checked_add_days(Days::new(6))
        .unwrap_or_else(|| week.monday())
}

/// The start of the inactivity window: [`INACTIVE_DAYS`] days before the end of `week`.
fn inactivity_start(week: WeekKey, tz: Tz) -> DateTime<Utc> {
    let next_monday = week.next().monday();
    local_midnight(
        next_monday
            .checked_sub_days(Days::new(INACTIVE_DAYS))
            .unwrap_or(next_monday),
        tz,
    )
}
