//! Benchmark of the coordinator report: a week with 100,000 reshares by 2,000 ambassadors of 50
//! items (in the in-memory store), timing the load, the text, the CSV, the PNG chart and the whole
//! weekly post, and printing a table. Target: the whole report in under 1 s.
//!
//! `cargo bench --bench report` (add `-- --quick` for fewer rounds).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use relais::app::report::{report_effects, WeekData};
use relais::app::{App, CampaignGoal, RoomSettings, Settings};
use relais::domain::reshare::AmbassadorStats;
use relais::domain::{
    Ambassador, AmbassadorId, Identity, Intent, Item, ItemId, ItemKind, ItemStatus, Lang, Network, Platform, Prefs,
    Reshare, ReshareSource, Role, RoomRef, WeekKey,
};
use relais::prompts::Prompts;
use relais::store::{MemoryStore, Store};
use std::collections::BTreeMap;
use std::time::{Duration as Elapsed, Instant};

const RESHARES: u64 = 100_000;
const AMBASSADORS: u64 = 2_000;
const ITEMS: u32 = 50;
const CAMPAIGNS: [&str; 5] = ["Clean banks", "Loire water plan", "Wetlands", "Salmon", "Volunteers"];

fn week() -> WeekKey {
    WeekKey { year: 2026, week: 47 }
}

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 15, 23, 0, 0)
        .single()
        .expect("Monday 00:00 in Paris")
}

fn settings() -> Settings {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
    Settings {
        org_tz: chrono_tz::Europe::Paris,
        rooms: vec![RoomSettings {
            room: RoomRef::new(Platform::Console, "coord"),
            lang: Lang::En,
            push_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
            coordinators_room: true,
        }],
        campaigns: CAMPAIGNS
            .iter()
            .map(|name| CampaignGoal {
                name: (*name).into(),
                start: day(11, 1),
                goal_reshares: 30_000,
                goal_date: day(12, 31),
            })
            .collect(),
        ..Settings::default()
    }
}

fn fill(store: &MemoryStore) {
    for n in 0..AMBASSADORS {
        let id = store.next_ambassador_id().expect("id");
        let who = Ambassador {
            id,
            code: format!("code{n}"),
            display_name: format!("Ambassador {n:04}, \"the {}\"", n % 7),
            identities: vec![Identity::new(Platform::Matrix, format!("@a{n}:example.org"))],
            lang: Lang::En,
            tz: "Europe/Paris".into(),
            role: Role::Ambassador,
            prefs: Prefs::default(),
            joined_at: monday() - Duration::days(60),
        };
        store.put_ambassador(&who).expect("ambassador");
    }
    for n in 0..ITEMS {
        let id = store.next_item_id().expect("item id");
        let item = Item {
            id,
            title: format!("Post number {n}, about rivers"),
            link: format!("https://rivers.example.org/{n}"),
            texts: BTreeMap::from([(Lang::En, "Share this".to_string())]),
            captions: Vec::new(),
            hashtags: Vec::new(),
            campaign: CAMPAIGNS.get(n as usize % 6).map(|c| (*c).to_string()),
            intent: Intent::ALL[n as usize % 4],
            kind: ItemKind::Evergreen,
            publish: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            status: ItemStatus::Approved,
            created_by: AmbassadorId(1),
            created_at: monday() - Duration::days(30),
        };
        store.put_item(&item).expect("item");
    }
    let stats = AmbassadorStats::default();
    let step = Duration::seconds(7 * 24 * 3600) / RESHARES as i32;
    for n in 0..RESHARES {
        let network = Network::ALL[(n % 7) as usize];
        let url = format!("https://{}.example.net/p/{n}", network.key());
        let at = monday() + step * n as i32;
        let reshare = Reshare {
            id: 0,
            ambassador: AmbassadorId(1 + n % AMBASSADORS),
            item: Some(ItemId(1 + (n % u64::from(ITEMS)) as u32)),
            network,
            url: Some(url.clone()),
            dedup_key: url,
            keys: Vec::new(),
            source: ReshareSource::Command,
            at,
            points: 10,
            week: week(),
        };
        store.record_reshare(reshare, &stats).expect("reshare");
    }
}

/// The median time of `rounds` runs of `f`, and what the last run gave (as `size` describes it).
fn time<T>(rounds: usize, mut f: impl FnMut() -> T, size: impl Fn(&T) -> String) -> (Elapsed, String) {
    let mut times = Vec::with_capacity(rounds);
    let mut bytes = String::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let out = f();
        times.push(started.elapsed());
        bytes = size(&out);
    }
    times.sort();
    (times.get(rounds / 2).copied().unwrap_or_default(), bytes)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 3 } else { 11 };
    let prompts = Prompts::for_tests();
    let settings = settings();
    let store = MemoryStore::new();
    let started = Instant::now();
    fill(&store);
    eprintln!("filled the store in {:.1?}", started.elapsed());
    let app = App::new(&settings, &prompts, &store);
    let data = WeekData::load(&app, week()).expect("load");
    assert_eq!(data.reshares().len() as u64, RESHARES, "every reshare is in the week");
    let room = RoomRef::new(Platform::Console, "coord");
    let labels = data.chart_labels(&app, Lang::En);
    let load = || WeekData::load(&app, week()).expect("load");
    let rows = [
        (
            "load (3 store calls)",
            time(rounds, load, |d| format!("{} reshares", d.reshares().len())),
        ),
        (
            "text (figures + template)",
            time(
                rounds,
                || data.text(&app, Lang::En, &[]),
                |t| format!("{} chars", t.len()),
            ),
        ),
        ("CSV", time(rounds, || data.csv(), |b| format!("{} bytes", b.len()))),
        (
            "PNG chart",
            time(
                rounds,
                || data.chart_png(&labels).expect("chart"),
                |b| format!("{} bytes", b.len()),
            ),
        ),
        (
            "whole weekly post (load + text + PNG + CSV)",
            time(
                rounds,
                || report_effects(&app, week(), &room, &[]).expect("effects"),
                |e| format!("{} effects", e.len()),
            ),
        ),
    ];
    println!(
        "\nReport of one week: {RESHARES} reshares, {AMBASSADORS} ambassadors, {ITEMS} items (median of {rounds})\n"
    );
    println!("| step | median time | output |");
    println!("| --- | ---: | ---: |");
    for (name, (elapsed, size)) in &rows {
        println!("| {name} | {:.1} ms | {size} |", elapsed.as_secs_f64() * 1000.0);
    }
    let chart = std::env::temp_dir().join("relais-report-bench.png");
    if std::fs::write(&chart, data.chart_png(&labels).expect("chart")).is_ok() {
        println!("\nThe chart is in {}.", chart.display());
    }
    let total = rows.last().map(|(_, (elapsed, _))| *elapsed).unwrap_or_default();
    let verdict = if total < Elapsed::from_secs(1) { "under" } else { "OVER" };
    println!(
        "\nWhole report: {:.0} ms, {verdict} the 1 s target.",
        total.as_secs_f64() * 1000.0
    );
}
