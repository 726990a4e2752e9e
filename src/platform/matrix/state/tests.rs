//! The adapter state's tests: round trips, the journal, compaction, reaction claims, forget.

use super::*;

fn push(event_id: &str) -> PushRecord {
    PushRecord {
        event_id: event_id.into(),
        room: "!r:x".into(),
        items: vec![ItemId(3)],
    }
}

#[test]
fn state_survives_a_round_trip_and_missing_files_are_a_fresh_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = AdapterState::load(dir.path()).expect("missing files");
    assert_eq!(fresh.next_batch, None);
    assert!(!fresh.is_handled("$a"));

    let mut state = AdapterState::load(dir.path()).expect("load");
    state.next_batch = Some("s72_1".into());
    state.mark_handled("$a");
    state.record_push(push("$p"));
    state.record_posted("push:matrix:!r:x:2026-11-23", "$p");
    state.save().expect("save");
    let loaded = AdapterState::load(dir.path()).expect("load");
    assert_eq!(loaded.next_batch.as_deref(), Some("s72_1"));
    assert!(loaded.is_handled("$a") && !loaded.is_handled("$b"));
    assert_eq!(loaded.push("$p").map(|p| p.items.clone()), Some(vec![ItemId(3)]));
    assert_eq!(loaded.posted("push:matrix:!r:x:2026-11-23"), Some("$p"));
    assert!(
        !dir.path().join("relais-posts.tmp").exists(),
        "the temporary file is renamed away"
    );
}

#[test]
fn each_save_appends_only_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = AdapterState::load(dir.path()).expect("load");
    state.next_batch = Some("s1".into());
    state.mark_handled("$a");
    state.save().expect("save");
    state.save().expect("nothing changed");
    state.next_batch = Some("s2".into());
    state.save().expect("save");
    let journal = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).expect("journal");
    assert_eq!(journal, "E $a\nP s1\nP s2\n");
    assert!(!dir.path().join(POSTS_FILE).exists(), "no posts, no posts file");
}

#[test]
fn a_save_that_does_not_wait_for_the_disk_is_read_back_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = AdapterState::load(dir.path()).expect("load");
    state.next_batch = Some("s1".into());
    state.mark_handled("$a");
    state.save_with(Flush::Later).expect("save");
    state.next_batch = Some("s2".into());
    state.mark_handled("$b");
    state.save_with(Flush::Now).expect("save");
    let journal = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).expect("journal");
    assert_eq!(journal, "E $a\nP s1\nE $b\nP s2\n");
    let loaded = AdapterState::load(dir.path()).expect("load");
    assert_eq!(loaded.next_batch.as_deref(), Some("s2"));
    assert!(loaded.is_handled("$a") && loaded.is_handled("$b"));
}

#[test]
fn a_first_sync_started_and_never_handled_is_told_apart_from_a_fresh_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = AdapterState::load(dir.path()).expect("fresh");
    assert_eq!(state.interrupted_first_sync(), None, "no journal: a fresh start");
    state.mark_first_sync_started(Some("s0")).expect("mark");
    state
        .mark_first_sync_started(Some("s9"))
        .expect("marking twice writes once");
    let journal = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).expect("journal");
    assert_eq!(journal, "S s0\n");
    let mut state = AdapterState::load(dir.path()).expect("load");
    assert_eq!(
        state.interrupted_first_sync(),
        Some(Some("s0")),
        "started, never handled"
    );
    state.next_batch = Some("s1".into());
    state.save().expect("save");
    let mut state = AdapterState::load(dir.path()).expect("load");
    assert_eq!(state.interrupted_first_sync(), None, "handled: a position");
    state
        .mark_first_sync_started(None)
        .expect("nothing to mark once a position is known");
    let journal = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).expect("journal");
    assert_eq!(journal, "S s0\nP s1\n");

    let other = tempfile::tempdir().expect("tempdir");
    let mut state = AdapterState::load(other.path()).expect("fresh");
    state.mark_first_sync_started(None).expect("mark");
    let state = AdapterState::load(other.path()).expect("load");
    assert_eq!(state.interrupted_first_sync(), Some(None), "matrix-sdk had no position");
}

#[test]
fn a_torn_last_line_is_ignored_and_a_garbled_one_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(JOURNAL_FILE);
    std::fs::write(&path, "E $a\nP s1_2\nP s1_3").expect("write");
    let state = AdapterState::load(dir.path()).expect("torn line");
    assert_eq!(
        state.next_batch.as_deref(),
        Some("s1_2"),
        "the unfinished position is not trusted"
    );
    assert!(state.is_handled("$a"));

    std::fs::write(&path, "E $a\nsomething else\n").expect("write");
    let err = AdapterState::load(dir.path()).expect_err("garbled");
    assert!(err.to_string().contains("line 2"), "{err}");
    std::fs::write(dir.path().join(POSTS_FILE), "{not json").expect("write");
    std::fs::remove_file(&path).expect("rm");
    assert!(matches!(
        AdapterState::load(dir.path()),
        Err(StateError::Corrupt { .. })
    ));
}

#[test]
fn memory_is_bounded_and_the_journal_is_compacted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = AdapterState::load(dir.path()).expect("load");
    for i in 0..JOURNAL_MAX_LINES + 10 {
        state.mark_handled(&format!("${i}"));
        state.next_batch = Some(format!("s{i}"));
        if i % 100 == 0 {
            state.save().expect("save");
        }
    }
    state.save().expect("save");
    assert_eq!(state.handled.len(), HANDLED_KEPT);
    assert!(!state.is_handled("$0"));
    let journal = std::fs::read_to_string(dir.path().join(JOURNAL_FILE)).expect("journal");
    assert!(
        journal.lines().count() <= JOURNAL_MAX_LINES,
        "{} lines",
        journal.lines().count()
    );
    let loaded = AdapterState::load(dir.path()).expect("load");
    let last = JOURNAL_MAX_LINES + 9;
    assert_eq!(loaded.next_batch, Some(format!("s{last}")));
    assert!(loaded.is_handled(&format!("${last}")) && !loaded.is_handled("$0"));
    assert_eq!(loaded.handled.len(), HANDLED_KEPT);
}

#[test]
fn reaction_claims_are_taken_once() {
    let mut state = AdapterState::default();
    let claim = ReactionClaim {
        reaction_event_id: "$r".into(),
        sender: "@a:b".into(),
        room: "!r:b".into(),
        items: vec![ItemId(1)],
    };
    state.record_reaction_claim(claim.clone());
    assert_eq!(state.take_reaction_claim("$r"), Some(claim));
    assert_eq!(state.take_reaction_claim("$r"), None);
}

/// Every file under `dir` (recursively) that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if std::fs::read(&path)
            .expect("read")
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            found.push(path);
        }
    }
    found
}

fn claim(reaction_event_id: &str, sender: &str) -> ReactionClaim {
    ReactionClaim {
        reaction_event_id: reaction_event_id.into(),
        sender: sender.into(),
        room: "!r:b".into(),
        items: vec![ItemId(1)],
    }
}

#[test]
fn issue14_a_forgotten_sender_leaves_nothing_in_the_state_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = "@quirinus-q7x:example.org";
    let mut state = AdapterState::load(dir.path()).expect("load");
    state.next_batch = Some("s1".into());
    state.mark_handled("$a");
    state.record_push(push("$p"));
    for n in 0..5 {
        state.record_reaction_claim(claim(&format!("$q{n}"), marker));
        state.record_reaction_claim(claim(&format!("$b{n}"), "@bob:b"));
    }
    state.save().expect("save");
    assert!(!files_holding(dir.path(), marker).is_empty(), "the claims are on disk");

    assert_eq!(state.forget_sender(marker), 5);
    state.save().expect("save");
    assert_eq!(files_holding(dir.path(), marker), Vec::<PathBuf>::new());
    let loaded = AdapterState::load(dir.path()).expect("load");
    assert_eq!(loaded.posts.reaction_claims.len(), 5, "the others' claims stay");
    assert!(loaded.push("$p").is_some() && loaded.is_handled("$a"));
}
