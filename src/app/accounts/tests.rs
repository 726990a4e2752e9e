//! Tests of `link` through the app (issue 14 §6): codes from the secure random source, one answer
//! for every wrong code, guessing cut off per person and per code. (That a restart keeps the
//! per-person limit is tested on both on-disk stores in `tests/support/disk_store.rs`.)

use crate::app::{App, Effect, Incoming, Settings};
use crate::domain::link_code::{Code, MAX_FAILURES_PER_CODE, MAX_FAILURES_PER_PERSON};
use crate::domain::{Identity, Platform, RoomRef};
use crate::prompts::Prompts;
use crate::store::{MemoryStore, Store};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn prompts() -> Prompts {
    Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts
}

/// Codes valid for two hours, so that they outlive the per-person window.
fn settings() -> Settings {
    Settings {
        link_code_minutes: 120,
        ..Settings::default()
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time")
}

fn alice() -> Identity {
    Identity::new(Platform::Matrix, "@alice:example.org")
}

/// A Discord account (a stranger unless it links).
fn discord(id: &str) -> Identity {
    Identity::new(Platform::Discord, id)
}

fn say(app: &App, from: &Identity, text: &str, at: DateTime<Utc>) -> Vec<Effect> {
    let msg = Incoming {
        from: from.clone(),
        display_name: from.user.clone(),
        room: RoomRef::new(from.platform, "team"),
        direct: false,
        text: text.into(),
    };
    app.handle(&msg, at)
}

/// The last reply's text.
fn reply(effects: &[Effect]) -> String {
    let last = effects.iter().rev().find_map(|e| match e {
        Effect::Reply { text, .. } => Some(text.clone()),
        _ => None,
    });
    last.unwrap_or_default()
}

/// Alice asks for a code; returns it as sent to her privately.
fn code_of_alice(app: &App, at: DateTime<Utc>) -> String {
    let effects = say(app, &alice(), "!link", at);
    let dm = effects.iter().find_map(|e| match e {
        Effect::Dm { text, .. } => Some(text.clone()),
        _ => None,
    });
    let dm = dm.expect("the code by direct message");
    dm.split("**").nth(1).expect("a bold code").to_string()
}

/// Whether `account` was joined to Alice's profile.
fn linked_to_alice(store: &dyn Store, account: &Identity) -> bool {
    let profile = |i: &Identity| store.ambassador_by_identity(i).expect("store").map(|a| a.id);
    profile(account).is_some() && profile(account) == profile(&alice())
}

/// `code` with another secret (same name): its first secret character changed, `n` choosing how.
fn wrong_secret(code: &str, n: usize) -> String {
    let parsed = Code::parse(code).expect("a code");
    let first = parsed.secret.chars().next().expect("a secret");
    let other = "QRSTUV"
        .chars()
        .filter(|c| *c != first)
        .nth(n % 5)
        .expect("a character");
    format!("{}{other}{}", parsed.id, &parsed.secret[1..])
}

#[test]
fn r14_two_runs_with_the_same_clock_give_different_codes() {
    let (prompts, settings) = (prompts(), settings());
    let codes: Vec<String> = (0..2)
        .map(|_| {
            let store = MemoryStore::new();
            code_of_alice(&App::new(&settings, &prompts, &store), now())
        })
        .collect();
    assert_ne!(codes[0], codes[1], "same clock, same person, fresh stores");
    for code in &codes {
        assert_eq!(Code::parse(code).map(|c| c.to_string()).as_ref(), Some(code), "{code}");
    }
}

#[test]
fn r14_a_wrong_code_gets_one_answer_whatever_is_wrong() {
    let (prompts, settings, store) = (prompts(), settings(), MemoryStore::new());
    let app = App::new(&settings, &prompts, &store);
    let code = code_of_alice(&app, now());
    let bob = Identity::new(Platform::Matrix, "@bob:example.org");
    let bobs = {
        let effects = say(&app, &bob, "!link", now());
        let dm = effects.iter().find_map(|e| match e {
            Effect::Dm { text, .. } => Some(text.clone()),
            _ => None,
        });
        dm.expect("bob's code").split("**").nth(1).expect("bold").to_string()
    };
    let later = now() + Duration::minutes(121);
    let rows = [
        ("a code no one has", "2345-6789-ABCD".to_string(), now()),
        ("someone else's code, wrong secret", wrong_secret(&code, 0), now()),
        ("an expired code", bobs, later),
        ("a code of the old kind", "K7QX-M2PA".to_string(), now()),
        ("not a code at all", "hello".to_string(), now()),
    ];
    let mut answers = Vec::new();
    for (n, (case, typed, at)) in rows.into_iter().enumerate() {
        let stranger = discord(&format!("90{n}"));
        let answer = reply(&say(&app, &stranger, &format!("!link {typed}"), at));
        assert!(!linked_to_alice(&store, &stranger), "{case}");
        answers.push((case, answer.replace(&typed.to_uppercase(), "CODE")));
    }
    for (case, answer) in &answers {
        assert_eq!(answer, &answers[0].1, "{case} is answered like {}", answers[0].0);
    }
    assert!(answers[0].1.contains("doesn't work"), "{}", answers[0].1);
}

#[test]
fn r14_guessing_is_cut_off_per_person() {
    let (prompts, settings, store) = (prompts(), settings(), MemoryStore::new());
    let app = App::new(&settings, &prompts, &store);
    let code = code_of_alice(&app, now());
    let mallory = discord("666");
    for n in 0..MAX_FAILURES_PER_PERSON {
        let at = now() + Duration::minutes(n as i64);
        let answer = reply(&say(&app, &mallory, &format!("!link 2345-6789-ABC{n}"), at));
        assert!(answer.contains("doesn't work"), "guess {n}: {answer}");
    }
    // Even the right code is not read now.
    let refused = reply(&say(
        &app,
        &mallory,
        &format!("!link {code}"),
        now() + Duration::minutes(10),
    ));
    assert!(refused.contains("Too many wrong codes"), "{refused}");
    assert!(!linked_to_alice(&store, &mallory));
    // An hour after the first wrong code, one more try is allowed.
    let back = reply(&say(
        &app,
        &mallory,
        &format!("!link {code}"),
        now() + Duration::minutes(61),
    ));
    assert!(back.contains("Linked"), "{back}");
    assert!(linked_to_alice(&store, &mallory));
}

#[test]
fn r14_guessing_is_cut_off_per_code() {
    let (prompts, settings, store) = (prompts(), settings(), MemoryStore::new());
    let app = App::new(&settings, &prompts, &store);
    let code = code_of_alice(&app, now());
    let mut notes = Vec::new();
    for n in 0..MAX_FAILURES_PER_CODE as usize {
        // Each guess from another account: no per-person limit is reached.
        let effects = say(
            &app,
            &discord(&format!("70{n}")),
            &format!("!link {}", wrong_secret(&code, n)),
            now(),
        );
        assert!(reply(&effects).contains("doesn't work"));
        notes.extend(effects.into_iter().filter(|e| matches!(e, Effect::Dm { .. })));
    }
    let alice_id = store
        .ambassador_by_identity(&alice())
        .expect("store")
        .expect("alice")
        .id;
    assert!(
        matches!(notes.as_slice(), [Effect::Dm { to, text, .. }] if *to == alice_id && text.contains("cancelled")),
        "Alice is told once that her code was cancelled: {notes:?}"
    );
    let late = discord("799");
    let answer = reply(&say(&app, &late, &format!("!link {code}"), now()));
    assert!(answer.contains("doesn't work"), "the cancelled code is dead: {answer}");
    assert!(!linked_to_alice(&store, &late));
}

#[test]
fn r14_a_wrong_secret_short_of_the_limit_leaves_the_code_usable() {
    let (prompts, settings, store) = (prompts(), settings(), MemoryStore::new());
    let app = App::new(&settings, &prompts, &store);
    let code = code_of_alice(&app, now());
    let mine = discord("123");
    say(&app, &mine, &format!("!link {}", wrong_secret(&code, 0)), now());
    let typed = code.to_lowercase().replace('-', "");
    let done = reply(&say(&app, &mine, &format!("!link {typed}"), now()));
    assert!(done.contains("Linked"), "{done}");
    assert!(linked_to_alice(&store, &mine));
}

#[test]
fn my_data_shows_the_wrong_codes_kept_about_a_person() {
    let (prompts, settings, store) = (prompts(), settings(), MemoryStore::new());
    let app = App::new(&settings, &prompts, &store);
    let mallory = discord("666");
    let my_data = |app: &App| {
        let effects = say(app, &mallory, "!my-data", now());
        let dm = effects.into_iter().find_map(|e| match e {
            Effect::Dm { text, .. } => Some(text),
            _ => None,
        });
        dm.expect("my-data by direct message")
    };
    say(&app, &mallory, "!me", now());
    assert!(!my_data(&app).contains("Wrong linking codes"));
    say(&app, &mallory, "!link 2345-6789-ABCD", now());
    let shown = my_data(&app);
    assert!(
        shown.contains("Wrong linking codes you typed") && shown.contains("2026-11-23"),
        "{shown}"
    );
}
