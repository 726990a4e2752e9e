//! Turns the core's light Markdown into a Matrix message body: safe HTML and a readable plain text.
//!
//! The core escapes what people typed before it reaches a text; this is the second line of
//! defence: raw HTML is escaped, never passed through; links are emitted only for `https`, `http`
//! (`matrix.to` included) and `mailto` destinations, and images never (both are left as the text
//! they were written as). A single line break is a line break (`<br />`), as the core means it, and
//! a line right after a list ends the list (Markdown would glue it to the last item).

use crate::prompts::escape::has_link_scheme;
use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// A message body in both forms Matrix carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// `body`: plain text, links written out as `label (url)`.
    pub plain: String,
    /// `formatted_body` with `format: org.matrix.custom.html`.
    pub html: String,
}

/// Renders `markdown` to plain text and HTML.
pub fn render(markdown: &str) -> Rendered {
    let markdown = end_lists(markdown);
    Rendered {
        plain: plain_text(&markdown),
        html: html_body(&markdown),
    }
}

/// Whether `line` is a list item (`- x`, `* x`, `+ x`, `12. x`, `3) x`).
fn is_list_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    if digits > 0 {
        rest.starts_with(". ") || rest.starts_with(") ")
    } else {
        ["- ", "* ", "+ "].iter().any(|marker| line.starts_with(marker))
    }
}

/// Puts an empty line between a list item (with its indented continuation lines) and a following
/// line that is not an item (nor indented), so that the line starts a paragraph of its own instead
/// of continuing the item.
fn end_lists(markdown: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut in_item = false;
    for (i, line) in markdown.split('\n').enumerate() {
        let blank = line.trim().is_empty();
        let indented = line.starts_with([' ', '\t']);
        let item = is_list_item(line);
        if i > 0 {
            out.push('\n');
            if in_item && !blank && !indented && !item {
                out.push('\n');
            }
        }
        out.push_str(line);
        in_item = item || (in_item && indented && !blank);
    }
    if out.len() == markdown.len() {
        markdown.into()
    } else {
        out.into()
    }
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH)
}

/// The Markdown events of `markdown`, each image and each link to another scheme replaced by the
/// text it was written as.
fn events(markdown: &str) -> impl Iterator<Item = Event<'_>> {
    let mut parsed = parser(markdown).into_offset_iter();
    std::iter::from_fn(move || {
        let (event, range) = parsed.next()?;
        let end = match &event {
            Event::Start(Tag::Image { .. }) => TagEnd::Image,
            Event::Start(Tag::Link {
                link_type, dest_url, ..
            }) if *link_type != LinkType::Email && !has_link_scheme(dest_url) => TagEnd::Link,
            _ => return Some(event),
        };
        // Skip what it holds, up to its own end (an image may hold images and links).
        let mut depth = 0usize;
        for (inner, _) in parsed.by_ref() {
            match inner {
                Event::Start(tag) if tag.to_end() == end => depth += 1,
                Event::End(tag) if tag == end => match depth.checked_sub(1) {
                    Some(outer) => depth = outer,
                    None => break,
                },
                _ => {}
            }
        }
        Some(Event::Text(markdown[range].into()))
    })
}

fn html_body(markdown: &str) -> String {
    let events = events(markdown).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut link: Option<(CowStr<'_>, usize)> = None;
    // The next number of each open list (`None` for bullet lists).
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in events(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::Start(Tag::Item) => match lists.last_mut() {
                Some(Some(n)) => {
                    out.push_str(&format!("{n}. "));
                    *n += 1;
                }
                _ => out.push_str("- "),
            },
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url, out.len())),
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = link.take() {
                    if out.get(start..) != Some(url.as_ref()) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                out.push_str("\n\n")
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                out.push('\n')
            }
            Event::Rule => out.push_str("---\n\n"),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Room ids are opaque and may hold `_`, `*` or `-` runs that Markdown reads as emphasis: the
    /// prompts put them in code spans, which keep them whole.
    #[test]
    fn room_ids_in_code_spans_are_kept_whole() {
        for id in ["!ab_cd_ef:example.org", "!a__b__c-_d_:x", "!x*y*z:x", "#team_1:x"] {
            let rendered = render(&format!("Not posted in `{id}`, `#b:x`."));
            assert_eq!(rendered.plain, format!("Not posted in {id}, #b:x."), "{id}");
            assert!(
                rendered.html.contains(&format!("<code>{id}</code>")),
                "{id}: {}",
                rendered.html
            );
        }
    }

    /// Issue 14: a link goes out only to the web or to a mail address, an image never: both stay
    /// the text they were written as.
    #[test]
    fn issue14_links_only_to_web_and_mail_never_images() {
        let rows: &[(&str, &str, &str)] = &[
            (
                "[Log in](javascript:alert(1))",
                "[Log in](javascript:alert(1))",
                "<p>[Log in](javascript:alert(1))</p>",
            ),
            (
                "[x](JaVaScRiPt:alert(1)) [y](data:text/html,hi) [z](/relative) [w](vbscript:x)",
                "[x](JaVaScRiPt:alert(1)) [y](data:text/html,hi) [z](/relative) [w](vbscript:x)",
                "<p>[x](JaVaScRiPt:alert(1)) [y](data:text/html,hi) [z](/relative) [w](vbscript:x)</p>",
            ),
            (
                "<javascript:alert(1)>",
                "<javascript:alert(1)>",
                "<p>&lt;javascript:alert(1)&gt;</p>",
            ),
            (
                "![x](https://tracker.example/p.png)",
                "![x](https://tracker.example/p.png)",
                "<p>![x](https://tracker.example/p.png)</p>",
            ),
            (
                "[![x](https://t.example/p.png)](https://example.org)",
                "![x](https://t.example/p.png) (https://example.org)",
                "<p><a href=\"https://example.org\">![x](https://t.example/p.png)</a></p>",
            ),
            (
                "![a [l](https://e.org) ![b](c)](d) after",
                "![a [l](https://e.org) ![b](c)](d) after",
                "<p>![a [l](https://e.org) ![b](c)](d) after</p>",
            ),
            (
                "[room](https://matrix.to/#/#team:example.org) [mail](mailto:team@example.org) <team@example.org> [web](HTTP://example.org)",
                "room (https://matrix.to/#/#team:example.org) mail (mailto:team@example.org) team@example.org web (HTTP://example.org)",
                "<p><a href=\"https://matrix.to/#/#team:example.org\">room</a> <a href=\"mailto:team@example.org\">mail</a> <a href=\"mailto:team@example.org\">team@example.org</a> <a href=\"HTTP://example.org\">web</a></p>",
            ),
        ];
        for (markdown, plain, html) in rows {
            let got = render(markdown);
            assert_eq!(got.plain, *plain, "plain of {markdown:?}");
            assert_eq!(got.html, *html, "html of {markdown:?}");
        }
    }

    #[test]
    fn markdown_becomes_html_and_plain_text() {
        let rows: &[(&str, &str, &str)] = &[
            ("hello", "hello", "<p>hello</p>"),
            (
                "**5 points** now",
                "5 points now",
                "<p><strong>5 points</strong> now</p>",
            ),
            (
                "line one\nline two",
                "line one\nline two",
                "<p>line one<br />\nline two</p>",
            ),
            (
                "[share](https://x.com/intent?a=1&b=2)",
                "share (https://x.com/intent?a=1&b=2)",
                "<p><a href=\"https://x.com/intent?a=1&amp;b=2\">share</a></p>",
            ),
            (
                "<https://example.org>",
                "https://example.org",
                "<p><a href=\"https://example.org\">https://example.org</a></p>",
            ),
            (
                "- one\n- two",
                "- one\n- two",
                "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
            ),
            (
                "title <script>alert(1)</script>",
                "title <script>alert(1)</script>",
                "<p>title &lt;script&gt;alert(1)&lt;/script&gt;</p>",
            ),
            ("<b>bold?</b>", "<b>bold?</b>", "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"),
            (
                "<div onclick=x>\nblock\n</div>",
                "<div onclick=x>\nblock\n</div>",
                "&lt;div onclick=x&gt;\nblock\n&lt;/div&gt;",
            ),
            ("a\n\nb", "a\n\nb", "<p>a</p>\n<p>b</p>"),
            // Ranks stay numbers in the plain body; the line after the list is not in its last item.
            (
                "**Board**\n1. ana — 20 pts\n2. kai — 10 pts\nThanks!",
                "Board\n\n1. ana — 20 pts\n2. kai — 10 pts\n\nThanks!",
                "<p><strong>Board</strong></p>\n<ol>\n<li>ana — 20 pts</li>\n<li>kai — 10 pts</li>\n</ol>\n<p>Thanks!</p>",
            ),
            (
                "- one\nafter",
                "- one\n\nafter",
                "<ul>\n<li>one</li>\n</ul>\n<p>after</p>",
            ),
            ("- one\n  more", "- one\nmore", "<ul>\n<li>one<br />\nmore</li>\n</ul>"),
            (
                "- one\n more\nafter",
                "- one\nmore\n\nafter",
                "<ul>\n<li>one<br />\nmore</li>\n</ul>\n<p>after</p>",
            ),
        ];
        for (markdown, plain, html) in rows {
            let got = render(markdown);
            assert_eq!(got.plain, *plain, "plain of {markdown:?}");
            assert_eq!(got.html, *html, "html of {markdown:?}");
        }
    }
}
