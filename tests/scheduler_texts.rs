//! Reminder texts end to end: each person's own name and share code, in their language, even when
//! many people share one cached text, and when a template transforms the name (then every text is
//! rendered on its own).

mod sim;

use chrono::Duration;
use chrono_tz::Europe::Paris;
use relais::app::scheduler::Scheduler;
use relais::app::{App, Effect};
use relais::domain::{Lang, NudgePref};
use relais::prompts::Prompts;
use relais::store::{MemoryStore, Store};
use sim::{add, evergreen_post, run, settings, utc, FakePlatform};

/// Runs one day of reminders for alice, bob and zoë (French) with `prompts`; returns each
/// reminder's recipient name, code and text.
fn reminders(prompts: &Prompts) -> Vec<(String, String, String)> {
    let (settings, store) = (settings(), MemoryStore::new());
    let app = App::new(&settings, prompts, &store);
    let start = utc("2026-03-18T06:00:00Z");
    evergreen_post(&app, start - Duration::days(1));
    add(&store, "alice", Paris, NudgePref::On);
    add(&store, "bob", Paris, NudgePref::On);
    let mut zoe = add(&store, "Zoë", Paris, NudgePref::On);
    zoe.lang = Lang::Fr;
    store.put_ambassador(&zoe).expect("zoë in French");
    let mut scheduler = Scheduler::start(&app, start).expect("start");
    let mut platform = FakePlatform::default();
    run(
        &app,
        &mut scheduler,
        &mut platform,
        start,
        start + Duration::hours(14),
        Duration::minutes(1),
        |_, _, _| {},
    );
    platform
        .delivered
        .iter()
        .filter_map(|d| match &d.effect {
            Effect::Dm { to, text, .. } => {
                let who = store.ambassador(*to).ok().flatten()?;
                Some((who.display_name, who.code, text.clone()))
            }
            _ => None,
        })
        .filter(|(name, _, _)| name != "carla")
        .collect()
}

fn check_own_details(sent: &[(String, String, String)], greeting: impl Fn(&str) -> String) {
    assert_eq!(sent.len(), 3, "{sent:?}");
    for (name, code, text) in sent {
        assert!(text.contains(&greeting(name)), "{name}: {text}");
        assert!(
            text.contains(&format!("utm_content%3D{code}")),
            "{name}'s own code: {text}"
        );
        for (other, other_code, _) in sent.iter().filter(|(other, _, _)| other != name) {
            assert!(
                !text.contains(other_code.as_str()),
                "{name}'s reminder has {other}'s code"
            );
        }
        assert!(
            !text.contains('\u{E000}') && !text.contains("~~~~~"),
            "no placeholder left: {text}"
        );
    }
}

#[test]
fn every_reminder_carries_its_own_name_and_code() {
    let sent = reminders(&Prompts::for_tests());
    check_own_details(&sent, |name| {
        if name == "Zoë" {
            format!("Bonjour {name} !")
        } else {
            format!("Hi {name}!")
        }
    });
}

#[test]
fn a_template_that_transforms_the_name_still_gives_everyone_their_own_text() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for lang in Lang::ALL {
        let from = std::path::Path::new(relais::prompts::REPO_PROMPTS_DIR).join(lang.code());
        let to = dir.path().join(lang.code());
        std::fs::create_dir_all(&to).expect("folder");
        for file in std::fs::read_dir(&from).expect("a language folder").flatten() {
            let text = std::fs::read_to_string(file.path()).expect("prompts");
            let text = text.replace("Hi {{ name }}!", "Hi {{ name | upper }} ({{ name | length }})!");
            let text = text.replace("Bonjour {{ name }} !", "Bonjour {{ name[:2] }}… !");
            std::fs::write(to.join(file.file_name()), text).expect("write");
        }
    }
    let prompts = Prompts::load(dir.path())
        .unwrap_or_else(|problems| panic!("{problems:?}"))
        .prompts;
    let sent = reminders(&prompts);
    check_own_details(&sent, |name| match name {
        "Zoë" => "Bonjour Zo… !".to_string(),
        other => format!("Hi {} ({})!", other.to_uppercase(), other.chars().count()),
    });
}
