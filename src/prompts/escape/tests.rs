//! Escaping, row by row and as properties checked with the CommonMark parser the Matrix adapter uses.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[test]
fn text_escapes_only_what_could_be_markup() {
    let rows: &[(&str, &str)] = &[
        ("Ana", "Ana"),
        ("Jean_Luc O'Brien-Smith", "Jean_Luc O'Brien-Smith"),
        ("a < b, c > d: 5 & 6!", "a < b, c > d: 5 & 6!"),
        ("#climate #rivers", "#climate #rivers"),
        ("Europe/Paris 18:30 c12 2026-W47", "Europe/Paris 18:30 c12 2026-W47"),
        ("**bold** _em_ ~~gone~~", "\\*\\*bold\\*\\* \\_em\\_ \\~\\~gone\\~\\~"),
        (
            "[Alice](https://phish.example/login)",
            "\\[Alice\\](https://phish.example/login)",
        ),
        ("![x](https://t.example/p.png)", "!\\[x\\](https://t.example/p.png)"),
        ("<b>Bob</b>", "\\<b>Bob\\</b>"),
        ("`code`", "\\`code\\`"),
        ("<@123> <#9> <@&7> <t:1:R>", "\\<@123> \\<#9> \\<@&7> \\<t:1:R>"),
        ("||spoiler|| a | b", "\\|\\|spoiler\\|\\| a | b"),
        ("# Title", "\\# Title"),
        ("## Title", "\\## Title"),
        ("-# small", "\\-# small"),
        ("> quote", "\\> quote"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("-5 °C", "-5 °C"),
        ("1. first", "1\\. first"),
        ("2026) then", "2026\\) then"),
        ("3.5 km", "3.5 km"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("a\nb\r\n\n  # c\n", "a\n b\n \\# c"),
        (
            "Join us!\nNote: - bring\n- gloves",
            "Join us!\n Note: - bring\n \\- gloves",
        ),
        ("  padded  ", "padded"),
        ("AT&amp;T &#60; &#x3C;", "AT\\&amp;T \\&#60; \\&#x3C;"),
        ("Tom & Jerry; a&b", "Tom & Jerry; a&b"),
        ("C:\\path\\to", "C:\\path\\to"),
        ("ends with \\", "ends with \\\\"),
        ("\\*", "\\\\\\*"),
        ("__init__ a_", "\\_\\_init\\_\\_ a\\_"),
        ("é_b_é", "é\\_b\\_é"),
    ];
    for (value, want) in rows {
        assert_eq!(text(value), *want, "{value:?}");
    }
}

#[test]
fn room_wide_mentions_are_defused_everywhere() {
    for (value, want) in [
        ("hi @room", "hi @\u{200B}room"),
        ("@Everyone and @HERE", "@\u{200B}Everyone and @\u{200B}HERE"),
        ("ana@example.org @ro", "ana@example.org @ro"),
    ] {
        assert_eq!(text(value), want, "{value:?}");
    }
    assert_eq!(code("@room"), "`@\u{200B}room`");
}

#[test]
fn code_spans_hold_any_text() {
    let rows: &[(&str, &str)] = &[
        ("Europe/Paris", "`Europe/Paris`"),
        ("a`b", "``a`b``"),
        ("Paris`[x](javascript:alert(1))", "``Paris`[x](javascript:alert(1))``"),
        ("``x```y", "```` ``x```y ````"),
        ("`x", "`` `x ``"),
        ("x`", "`` x` ``"),
        (" x ", "`  x  `"),
        ("   ", "`   `"),
        ("a\nb", "`a b`"),
        ("!a__b__c-_d_:x", "`!a__b__c-_d_:x`"),
        ("", "` `"),
    ];
    for (value, want) in rows {
        assert_eq!(code(value), *want, "{value:?}");
    }
}

/// Issue 17: a 3,000-character link pasted by mistake is not echoed back in full: a code span
/// shows its first [`MAX_ECHO_CHARS`] characters and an ellipsis.
#[test]
fn issue17_code_spans_shorten_long_values() {
    let long = format!("https://example.org/{}", "é".repeat(3000));
    let span = code(&long);
    let inside = span.trim_matches('`');
    assert_eq!(inside.chars().count(), MAX_ECHO_CHARS + 1, "{span}");
    assert!(
        inside.ends_with('…') && inside.starts_with("https://example.org/é"),
        "{span}"
    );
    let exact = "a".repeat(MAX_ECHO_CHARS);
    assert_eq!(code(&exact), format!("`{exact}`"));
}

#[test]
fn links_keep_their_destination_inside_the_parentheses() {
    let rows: &[(&str, &str, &str)] = &[
        (
            "X",
            "https://x.com/intent/post?text=a%20b&url=c",
            "[X](https://x.com/intent/post?text=a%20b&url=c)",
        ),
        (
            "X",
            "https://e.org/a b)(c<d>\\e`f",
            "[X](https://e.org/a%20b%29%28c%3Cd%3E%5Ce%60f)",
        ),
        ("X", "https://e.org/?a=1&amp;b", "[X](https://e.org/?a=1%26amp;b)"),
        ("X", "MAILTO:team@example.org", "[X](MAILTO:team@example.org)"),
        ("[x](y)", "https://e.org", "[\\[x\\](y)](https://e.org)"),
        ("", "https://e.org", "[https://e.org](https://e.org)"),
        ("Log in", "javascript:alert(1)", "Log in (javascript:alert(1))"),
        ("X", "/relative", "X (/relative)"),
        ("X", "data:text/html,<b>", "X (data:text/html,\\<b>)"),
    ];
    for (label, url, want) in rows {
        assert_eq!(link(label, url), *want, "{label:?} {url:?}");
    }
}

#[test]
fn markup_is_a_marked_object() {
    assert_eq!(markup("**x**"), json!({"$markup": "**x**"}));
}

/// Markdown that people could type: every character CommonMark or Discord reads, runs of them,
/// whole constructs, and any character at all.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(vec![
            "[", "]", "(", ")", "!", "<", ">", "`", "``", "*", "**", "_", "__", "~", "~~", "#", "# ", "-", "- ",
            "+ ", "=", "1. ", "2)", "|", "||", "\\", "&", "&amp;", "&#60;", "&#x5B;", ":", "@", "@room", "@here",
            " ", "  ", "\t", "\n", "\r\n", "\n\n", "    ", "https://e.org/a_b", "javascript:x", "<b>", "</b>",
            "<img src=x>", "<https://e.org>", "<a@b.c>", "![x](y)", "[x](https://e.org)", "[x]: https://e.org",
            "a", "b", "é", "1", "---", "===", ">", "-#", "<@1>", "<#2>", "<t:3>",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|pieces| pieces.concat())
}

/// What a reader should see of `value` printed as text: its non-blank lines, trimmed, room-wide
/// mentions defused.
fn seen(value: &str) -> String {
    let lines: Vec<&str> = value
        .split(LINE_BREAKS)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    defused(&lines.join("\n"))
}

fn defused(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if c == '@' && room_mention_at(&chars[i + 1..]) {
            out.push(DEFUSE);
        }
    }
    out
}

/// The events of `markdown` (CommonMark with strikethrough, as the Matrix adapter reads it),
/// written out: text as is, a line break as `\n`, anything else as `{Start(..)}` / `{End(..)}`.
fn events(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak => out.push('\n'),
            Event::Code(t) => out.push_str(&format!("{{Code({t})}}")),
            Event::Start(Tag::Link { dest_url, .. }) => out.push_str(&format!("{{Link({dest_url})}}")),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            other => out.push_str(&format!("{{{other:?}}}")),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Escaped text reads as typed wherever a template puts it: alone, mid-line, in a list item,
    /// in bold, in a link label; it never adds a link, an image, HTML or formatting.
    #[test]
    fn escaped_text_is_only_text(value in typed()) {
        let escaped = text(&value);
        let shown = seen(&value);
        prop_assume!(!shown.is_empty());
        for (template, want) in [
            ("{}", "{}".to_string()),
            ("a {} b", "a {} b".to_string()),
            ("- {}\nafter", "{Start(List(None))}{Start(Item)}{}\nafter{End(Item)}{End(List(false))}".to_string()),
            ("**{}**", "{Start(Strong)}{}{End(Strong)}".to_string()),
            ("[{}](https://e.org)", "{Link(https://e.org)}{}{End(Link)}".to_string()),
        ] {
            let got = events(&template.replace("{}", &escaped));
            prop_assert_eq!(got, want.replace("{}", &shown), "{:?} in {:?}", escaped, template);
        }
    }

    /// A code span holds any text whole, backticks included.
    #[test]
    fn code_spans_hold_anything(value in typed()) {
        let content = defused(&shorten(&one_line(&value)));
        let want = if content.is_empty() { " ".to_string() } else { content };
        let got = events(&format!("see {} now", code(&value)));
        prop_assert_eq!(got, format!("see {{Code({want})}} now"), "{:?}", code(&value));
    }

    /// A link built by the core has exactly its label and a destination that is the URL, spaces,
    /// parentheses and the like percent-encoded.
    #[test]
    fn links_are_one_link_to_the_url(label in typed(), path in typed()) {
        let url = format!("https://e.org/{path}");
        let shown = seen(&label);
        prop_assume!(!shown.is_empty());
        let got = events(&format!("go {} now", link(&label, &url)));
        let destination = got.strip_prefix("go {Link(").and_then(|rest| rest.split_once(")}"));
        let Some((destination, rest)) = destination else {
            return Err(TestCaseError::fail(format!("no link first in {got:?}")));
        };
        prop_assert_eq!(rest, format!("{shown}{{End(Link)}} now"));
        prop_assert!(!destination.contains([' ', '(', ')', '<', '>', '\\', '\n']), "{}", destination);
        prop_assert_eq!(percent_decoded(destination), percent_decoded(url.trim()));
    }
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
