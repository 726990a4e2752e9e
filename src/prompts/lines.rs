//! Line numbers: from a byte offset in a TOML file, and from a line of a template back to its file line.

/// The 1-based line of `text` on which byte `offset` lies (offsets past the end count as the last line).
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
}

/// For each line of the decoded string written as `literal` (the raw TOML text, quotes included), the
/// 1-based file line on which it starts; `first_line` is the file line of the opening quotes.
///
/// Accounts for what TOML does between the file and the string: the newline right after `"""` or `'''`
/// is trimmed, `\n` escapes add a line without a file line, and a line-ending backslash joins file lines.
pub(crate) fn template_lines(literal: &str, first_line: usize) -> Vec<usize> {
    let (delimiter, escapes) = if literal.starts_with("\"\"\"") {
        ("\"\"\"", true)
    } else if literal.starts_with("'''") {
        ("'''", false)
    } else if literal.starts_with('"') {
        ("\"", true)
    } else {
        ("'", false)
    };
    let mut body = literal.get(delimiter.len()..).unwrap_or("");
    let mut file_line = first_line;
    if delimiter.len() == 3 {
        if let Some(rest) = body.strip_prefix("\r\n").or_else(|| body.strip_prefix('\n')) {
            body = rest;
            file_line += 1;
        }
    }
    let mut lines = vec![file_line];
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                file_line += 1;
                lines.push(file_line);
            }
            '\\' if escapes => match chars.peek().copied() {
                Some('n') => {
                    chars.next();
                    lines.push(file_line);
                }
                Some(' ' | '\t' | '\r' | '\n') => {
                    while let Some(&space @ (' ' | '\t' | '\r' | '\n')) = chars.peek() {
                        file_line += usize::from(space == '\n');
                        chars.next();
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let text = "a\nbc\n\nd";
        for (offset, want) in [(0, 1), (1, 1), (2, 2), (4, 2), (5, 3), (6, 4), (99, 4)] {
            assert_eq!(line_at(text, offset), want, "offset {offset}");
        }
    }

    #[test]
    fn template_lines_follow_toml_string_rules() {
        let rows: &[(&str, usize, &[usize])] = &[
            ("\"one line\"", 7, &[7]),
            ("'literal \\n stays'", 7, &[7]),
            ("\"a\\nb\\nc\"", 7, &[7, 7, 7]),
            ("\"\"\"\nfirst\nsecond\"\"\"", 3, &[4, 5]),
            ("\"\"\"\r\nfirst\r\nsecond\"\"\"", 3, &[4, 5]),
            ("\"\"\"first\nsecond\"\"\"", 3, &[3, 4]),
            ("'''\nfirst\nsecond\n'''", 10, &[11, 12, 13]),
            ("\"\"\"\nfirst \\\n   still first\nsecond\"\"\"", 1, &[2, 4]),
            ("\"\"\"\na \\\\\nb\"\"\"", 1, &[2, 3]),
            ("\"\"\"\na\\tb\\nc\nd\"\"\"", 1, &[2, 2, 3]),
        ];
        for (literal, first_line, want) in rows {
            assert_eq!(
                template_lines(literal, *first_line),
                *want,
                "{literal:?} from line {first_line}"
            );
        }
    }
}
