//! The weekly leaderboard posted to a team room: the week's public top N with points, streaks and
//! the movement since the week before (hidden ambassadors are left out of both weeks).

use crate::app::profile::current_streak;
use crate::app::{App, Effect, RoomSettings};
use crate::domain::leaderboard::{public_top_fast, rank};
use crate::domain::schedule::ActionKey;
use crate::domain::{Ambassador, AmbassadorId, WeekKey};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

/// How a row moved since the week before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Up(usize),
    Down(usize),
    Same,
    /// Not on the public board the week before.
    New,
}

impl Movement {
    /// From last week's public rank (if any) to this week's.
    pub fn between(before: Option<usize>, now: usize) -> Movement {
        match before {
            None => Movement::New,
            Some(b) if b > now => Movement::Up(b - now),
            Some(b) if b < now => Movement::Down(now - b),
            Some(_) => Movement::Same,
        }
    }

    fn vars(self) -> (&'static str, usize) {
        match self {
            Movement::Up(by) => ("up", by),
            Movement::Down(by) => ("down", by),
            Movement::Same => ("same", 0),
            Movement::New => ("new", 0),
        }
    }
}

/// The board post for `action` (a `board:` key: its week is the week ranked) in `room`.
pub(super) fn weekly_board(
    app: &App,
    room: &RoomSettings,
    action: &ActionKey,
    now: DateTime<Utc>,
) -> Result<Result<Effect, &'static str>, StoreError> {
    let ActionKey::Board { week, .. } = action else {
        return Ok(Err("not a board action"));
    };
    let rows = board_rows(app, *week, now)?;
    let vars =
        json!({"week": week.to_string(), "org": app.settings.org_name, "prefix": app.settings.prefix, "rows": rows});
    Ok(Ok(Effect::Post {
        room: room.room.clone(),
        text: app.prompts.render(room.lang, "board.weekly", &vars),
        items: Vec::new(),
        key: action.to_string(),
    }))
}

/// The rows of `week`'s public board (template variables).
pub fn board_rows(app: &App, week: WeekKey, now: DateTime<Utc>) -> Result<Vec<Value>, StoreError> {
    let store = app.store;
    let people: HashMap<AmbassadorId, Ambassador> = store.ambassadors()?.into_iter().map(|a| (a.id, a)).collect();
    let hidden = |id: AmbassadorId| people.get(&id).is_none_or(|a| a.prefs.hidden);
    let top = public_top_fast(store.week_totals(week)?, app.settings.leaderboard_size, hidden);
    let before: HashMap<AmbassadorId, usize> = rank(store.week_totals(week.previous())?)
        .into_iter()
        .filter(|s| !hidden(s.ambassador))
        .enumerate()
        .map(|(i, s)| (s.ambassador, i + 1))
        .collect();
    let mut rows = Vec::with_capacity(top.len());
    for standing in top {
        let Some(who) = people.get(&standing.ambassador) else {
            continue;
        };
        let stats = store.stats(who.id)?;
        let today = now.with_timezone(&who.time_zone()).date_naive();
        let (movement, by) = Movement::between(before.get(&who.id).copied(), standing.rank).vars();
        rows.push(json!({
            "rank": standing.rank, "name": who.display_name, "points": standing.total.points,
            "reshares": standing.total.reshares, "streak": current_streak(stats.streak, stats.last_day, today),
            "move": movement, "by": by,
        }));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::Movement;

    #[test]
    fn movement_compares_public_ranks() {
        // (rank last week, rank this week, movement)
        let rows = [
            (Some(3), 1, Movement::Up(2)),
            (Some(1), 2, Movement::Down(1)),
            (Some(4), 4, Movement::Same),
            (None, 1, Movement::New),
        ];
        for (before, now, want) in rows {
            assert_eq!(Movement::between(before, now), want, "{before:?} -> {now}");
        }
    }
}
