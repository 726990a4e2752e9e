//! The text of the bits of HTML that reach Relais (Matrix message bodies, feed entries): without
//! its tags, with its entities decoded.

/// The text of an HTML fragment without its tags; `gap` stands where a tag was (a space keeps
/// the words of `<p>a</p><p>b</p>` apart).
pub fn strip_tags(html: &str, gap: Option<char>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.extend(gap);
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes the entities HTML bodies use (`&amp;`, `&lt;`, `&#39;`, `&#x27;`…).
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_entities_are_decoded() {
        let cases = [
            ("<p>a</p><p>b</p>", None, "ab"),
            ("<p>a</p><p>b</p>", Some(' '), " a  b "),
            ("1 > 0 <b>yes</b>", None, "1 > 0 yes"),
        ];
        for (html, gap, text) in cases {
            assert_eq!(strip_tags(html, gap), text, "{html} with {gap:?}");
        }
        assert_eq!(
            decode_entities("&lt;b&gt; &amp; &#233;&#xE9; &bogus; &"),
            "<b> & éé &bogus; &"
        );
    }
}
