//! The report's files: the CSV of the week's reshares (read back with an RFC 4180 reader) and the
//! PNG chart (decoded and inspected pixel by pixel).

#[path = "report/fixture.rs"]
mod fixture;

use fixture::{utc, w47, Org};
use relais::app::report::{WeekData, CSV_HEADER};
use relais::domain::{Intent, Lang, Network, WeekKey};

/// Reads RFC 4180 text: CRLF-separated records, fields quoted with `"` and quotes doubled.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR only before LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        record.is_empty() && field.is_empty() && !quoted,
        "the text ends with a CRLF"
    );
    records
}

fn csv_org() -> Org {
    let org = Org::new(Vec::new());
    let alice = org.person("Alice Moreau", utc(10, 1, 9, 0));
    let bob = org.person("García, \"Bob\"", utc(10, 1, 9, 0));
    let mallory = org.person("=HYPERLINK(\"https://evil.example\")", utc(10, 1, 9, 0));
    let c1 = org.item("Rivers, \"alive\"", Some("Clean banks"), Intent::Action);
    org.reshare(alice, Some(c1), Network::X, utc(11, 15, 23, 30));
    org.reshare(bob, None, Network::Other, utc(11, 18, 12, 5));
    org.reshare(mallory, Some(c1), Network::Bluesky, utc(11, 22, 22, 59));
    org.reshare(alice, Some(c1), Network::LinkedIn, utc(11, 22, 23, 0)); // Monday in Paris: not this week
    org
}

#[test]
fn the_csv_has_a_header_and_one_row_per_reshare_of_the_week() {
    let org = csv_org();
    let bytes = WeekData::load(&org.app(), w47()).expect("data").csv();
    let text = String::from_utf8(bytes).expect("UTF-8");
    let records = read_csv(&text);
    let expected: [[&str; 10]; 4] = [
        CSV_HEADER,
        [
            "2026-11-16T00:30:00+01:00",
            "Alice Moreau",
            "X",
            "c1",
            "Rivers, \"alive\"",
            "Clean banks",
            "action",
            "https://x.example.net/post/1",
            "10",
            "command",
        ],
        [
            "2026-11-18T13:05:00+01:00",
            "García, \"Bob\"",
            "web",
            "",
            "",
            "",
            "",
            "https://other.example.net/post/2",
            "10",
            "command",
        ],
        [
            "2026-11-22T23:59:00+01:00",
            "'=HYPERLINK(\"https://evil.example\")",
            "Bluesky",
            "c1",
            "Rivers, \"alive\"",
            "Clean banks",
            "action",
            "https://bluesky.example.net/post/3",
            "10",
            "command",
        ],
    ];
    assert_eq!(records, expected.map(|row| row.map(String::from).to_vec()));
    assert!(
        !text.contains(":example.org") && !text.contains("matrix"),
        "no chat ids:\n{text}"
    );
    let empty = WeekData::load(&org.app(), WeekKey { year: 2026, week: 40 })
        .expect("data")
        .csv();
    assert_eq!(
        String::from_utf8(empty).expect("UTF-8"),
        format!("{}\r\n", CSV_HEADER.join(","))
    );
}

/// The decoded chart: width, height and RGB pixels.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buffer).expect("a frame");
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    let pixels = buffer
        .get(..frame.buffer_size())
        .unwrap_or_default()
        .chunks(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (frame.width, frame.height, pixels)
}

fn chart_of(org: &Org, week: WeekKey) -> (u32, u32, Vec<[u8; 3]>) {
    let app = org.app();
    let data = WeekData::load(&app, week).expect("data");
    decode(&data.chart_png(&data.chart_labels(&app, Lang::En)).expect("chart"))
}

const X_COLOUR: [u8; 3] = [78, 121, 167];
const BLUESKY_COLOUR: [u8; 3] = [89, 161, 79];
const LINKEDIN_COLOUR: [u8; 3] = [242, 142, 43];

#[test]
fn the_chart_is_800_by_400_with_a_bar_colour_per_network_and_text() {
    let org = csv_org();
    let (width, height, pixels) = chart_of(&org, w47());
    assert_eq!((width, height), (800, 400));
    let count = |colour: [u8; 3]| pixels.iter().filter(|p| **p == colour).count();
    assert!(
        count(X_COLOUR) > 1000 && count(BLUESKY_COLOUR) > 1000,
        "bars for X and Bluesky"
    );
    assert_eq!(count(LINKEDIN_COLOUR), 0, "LinkedIn's reshare is next week");
    let dark_in_rows = |rows: std::ops::Range<usize>, columns: std::ops::Range<usize>| {
        rows.flat_map(|y| columns.clone().map(move |x| y * 800 + x))
            .filter(|i| pixels.get(*i).is_some_and(|p| p.iter().all(|c| *c < 110)))
            .count()
    };
    assert!(dark_in_rows(8..40, 100..600) > 300, "a title");
    let days = dark_in_rows(360..380, 64..640);
    assert!(days > 150, "day names under the bars: {days}");
    let legend = dark_in_rows(50..100, 680..800);
    assert!(legend > 60, "a legend: {legend}");
}

#[test]
fn an_empty_week_still_has_a_chart_saying_so() {
    let org = csv_org();
    let (width, height, pixels) = chart_of(&org, WeekKey { year: 2026, week: 40 });
    assert_eq!((width, height), (800, 400));
    assert!(
        !pixels.iter().any(|p| *p == X_COLOUR || *p == BLUESKY_COLOUR),
        "no bars"
    );
    let dark_mid = (180..230)
        .flat_map(|y| (200..500).map(move |x| y * 800 + x))
        .filter(|i| pixels.get(*i).is_some_and(|p| p.iter().all(|c| *c < 110)))
        .count();
    assert!(dark_mid > 150, "the chart says there were no reshares");
}
