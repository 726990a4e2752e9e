//! Turns the core's light Markdown into a Matrix message body: safe HTML and a readable plain text.
//!
//! Texts may contain user input (post titles, display names): raw HTML in them is escaped, never
//! passed through. A single line break is a line break (`<br />`), as the core means it, and a
//! line right after a list ends the list (Markdown would glue it to the last item).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

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

/// Puts an empty line between a list item and a following line that is not an item (nor
/// indented), so that the line starts a paragraph of its own instead of continuing the item.
fn end_lists(markdown: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = markdown.split('\n').collect();
    let glued = |pair: &[&str]| {
        is_list_item(pair[0])
            && !pair[1].trim().is_empty()
            && !pair[1].starts_with([' ', '\t'])
            && !is_list_item(pair[1])
    };
    if !lines.windows(2).any(glued) {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + 8);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            if glued(&[lines[i - 1], *line]) {
                out.push('\n');
            }
        }
        out.push_str(line);
    }
    out.into()
}

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH)
}

fn html_body(markdown: &str) -> String {
    let events = parser(markdown).map(|event| match event {
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
    for event in parser(markdown) {
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
        ];
        for (markdown, plain, html) in rows {
            let got = render(markdown);
            assert_eq!(got.plain, *plain, "plain of {markdown:?}");
            assert_eq!(got.html, *html, "html of {markdown:?}");
        }
    }
}
