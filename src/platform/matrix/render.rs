//! Turns the core's light Markdown into a Matrix message body: safe HTML and a readable plain text.
//!
//! Texts may contain user input (post titles, display names): raw HTML in them is escaped, never
//! passed through. A single line break is a line break (`<br />`), as the core means it.

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
    Rendered {
        plain: plain_text(markdown),
        html: html_body(markdown),
    }
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
    for event in parser(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
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
            Event::End(TagEnd::List(_)) => out.push('\n'),
            Event::Rule => out.push_str("---\n\n"),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ];
        for (markdown, plain, html) in rows {
            let got = render(markdown);
            assert_eq!(got.plain, *plain, "plain of {markdown:?}");
            assert_eq!(got.html, *html, "html of {markdown:?}");
        }
    }
}
