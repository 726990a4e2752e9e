//! Conformance cases of the scheduled-action records: states, batches, the skipped list, pruning.

use super::fixtures::monday_plus;
use crate::store::{ActionRecord, ActionState, Store};

fn record(state: ActionState, due_hours: i64, reason: Option<&str>) -> ActionRecord {
    ActionRecord {
        state,
        due: monday_plus(due_hours),
        at: monday_plus(due_hours) + chrono::Duration::minutes(1),
        reason: reason.map(str::to_string),
    }
}

fn keys(listed: &[(String, ActionRecord)]) -> Vec<&str> {
    listed.iter().map(|(key, _)| key.as_str()).collect()
}

pub fn action_states_are_recorded_and_replaced(store: &dyn Store) {
    let key = "push:console:team:2026-11-16";
    assert_eq!(store.action_state(key).expect("read"), None);
    let started = record(ActionState::Started, 1, None);
    store.set_action_state(key, &started).expect("started");
    assert_eq!(store.action_state(key).expect("read"), Some(started));
    let done = record(ActionState::Done, 1, Some("nothing to push"));
    store.set_action_state(key, &done).expect("done");
    assert_eq!(store.action_state(key).expect("read"), Some(done));
    assert_eq!(store.action_state("push:console:team:2026-11-17").expect("read"), None);
}

pub fn action_batches_are_written_together_and_the_last_state_wins(store: &dyn Store) {
    let batch: Vec<(String, ActionRecord)> = vec![
        ("nudge:a1:2026-11-16".into(), record(ActionState::Started, 10, None)),
        (
            "nudge:a2:2026-11-16".into(),
            record(ActionState::Skipped, 10, Some("missed")),
        ),
        ("nudge:a1:2026-11-16".into(), record(ActionState::Done, 10, None)),
    ];
    store.set_action_states(&batch).expect("batch");
    store.set_action_states(&[]).expect("empty batch");
    assert_eq!(
        store
            .action_state("nudge:a1:2026-11-16")
            .expect("read")
            .map(|r| r.state),
        Some(ActionState::Done)
    );
    assert_eq!(
        store
            .action_state("nudge:a2:2026-11-16")
            .expect("read")
            .map(|r| r.state),
        Some(ActionState::Skipped)
    );
    let skipped = store.skipped_actions(monday_plus(0), monday_plus(24)).expect("skipped");
    assert_eq!(keys(&skipped), ["nudge:a2:2026-11-16"], "one index entry per key");
}

pub fn skipped_actions_are_listed_by_due_time_in_a_half_open_range(store: &dyn Store) {
    let rows = [
        ("report:console:coord:2026-W46", ActionState::Skipped, 30),
        ("push:console:team:2026-11-16", ActionState::Skipped, 1),
        ("push:console:equipe:2026-11-16", ActionState::Done, 2),
        ("board:console:team:2026-W46", ActionState::Skipped, 1),
        ("nudge:a3:2026-11-16", ActionState::Started, 9),
        ("nudge:a4:2026-11-16", ActionState::Skipped, 9),
        ("push:console:team:2026-11-15", ActionState::Skipped, -23),
    ];
    for (key, state, hours) in rows {
        store
            .set_action_state(key, &record(state, hours, Some("missed")))
            .expect("set");
    }
    let listed = store.skipped_actions(monday_plus(0), monday_plus(30)).expect("skipped");
    assert_eq!(
        keys(&listed),
        [
            "board:console:team:2026-W46",
            "push:console:team:2026-11-16",
            "nudge:a4:2026-11-16"
        ],
        "by due time then key; `to` excluded, `from` included"
    );
    assert!(listed
        .iter()
        .all(|(_, r)| r.state == ActionState::Skipped && r.reason.as_deref() == Some("missed")));
    // A skipped action done after all leaves the list; one moved to another due time moves.
    store
        .set_action_state("nudge:a4:2026-11-16", &record(ActionState::Done, 9, None))
        .expect("done");
    store
        .set_action_state("push:console:team:2026-11-16", &record(ActionState::Skipped, 40, None))
        .expect("moved");
    let listed = store.skipped_actions(monday_plus(0), monday_plus(30)).expect("skipped");
    assert_eq!(keys(&listed), ["board:console:team:2026-W46"]);
    assert!(store
        .skipped_actions(monday_plus(30), monday_plus(0))
        .expect("reversed")
        .is_empty());
    assert_eq!(
        store
            .skipped_actions(monday_plus(30), monday_plus(41))
            .expect("later")
            .len(),
        2
    );
}

pub fn pruning_forgets_only_old_action_records(store: &dyn Store) {
    for (key, hours) in [
        ("push:console:team:2026-11-14", -48),
        ("push:console:team:2026-11-15", -24),
        ("push:console:team:2026-11-16", 0),
    ] {
        store
            .set_action_state(key, &record(ActionState::Skipped, hours, None))
            .expect("set");
    }
    assert_eq!(store.prune_actions(monday_plus(-24)).expect("prune"), 1);
    assert_eq!(store.action_state("push:console:team:2026-11-14").expect("read"), None);
    assert!(store
        .action_state("push:console:team:2026-11-15")
        .expect("read")
        .is_some());
    let listed = store
        .skipped_actions(monday_plus(-72), monday_plus(1))
        .expect("skipped");
    assert_eq!(
        keys(&listed),
        ["push:console:team:2026-11-15", "push:console:team:2026-11-16"]
    );
    assert_eq!(store.prune_actions(monday_plus(-24)).expect("again"), 0);
}
