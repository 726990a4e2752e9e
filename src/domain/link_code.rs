//! `link` codes: the one-time codes that join a person's chat accounts into one profile, and the
//! limits that make guessing one useless.
//!
//! A code is 12 characters (`K7QX-M2PA-9RTW`) from 32 that cannot be mistaken for one another,
//! made from secure random bytes (the caller draws them from the operating system). Its first 4
//! characters name it (the store's key), the other 8 are its secret (40 bits). A wrong secret counts
//! against the code, which is cancelled after [`MAX_FAILURES_PER_CODE`]; every wrong code counts
//! against the person who typed it, who may type [`MAX_FAILURES_PER_PERSON`] in
//! [`FAILURE_WINDOW_MINUTES`]. Whatever is wrong, the answer is the same.

/// The characters of a code: no `0`/`O`, no `1`/`I`.
pub const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters that name a code.
pub const ID_CHARS: usize = 4;
/// Characters of a code's secret.
pub const SECRET_CHARS: usize = 8;
/// Random bytes a code is made from: one per character.
pub const RANDOM_BYTES: usize = ID_CHARS + SECRET_CHARS;
/// Wrong secrets a code survives; the next one cancels it.
pub const MAX_FAILURES_PER_CODE: u32 = 3;
/// Wrong codes one person may type in [`FAILURE_WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_PERSON: usize = 5;
/// The window of the per-person limit.
pub const FAILURE_WINDOW_MINUTES: i64 = 60;

/// A code: the part that names it and its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub id: String,
    pub secret: String,
}

impl Code {
    /// The code made from random bytes. Each byte's low 5 bits choose a character (256 is a
    /// multiple of 32, so every character is equally likely).
    pub fn from_random(bytes: [u8; RANDOM_BYTES]) -> Code {
        let text: String = bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect();
        let (id, secret) = text.split_at(ID_CHARS);
        Code {
            id: id.to_string(),
            secret: secret.to_string(),
        }
    }

    /// Reads a typed code: case, dashes and spaces do not matter. `None` when it cannot be a code.
    pub fn parse(text: &str) -> Option<Code> {
        let chars: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = chars.len() == RANDOM_BYTES && chars.bytes().all(|b| ALPHABET.contains(&b));
        valid.then(|| {
            let (id, secret) = chars.split_at(ID_CHARS);
            Code {
                id: id.to_string(),
                secret: secret.to_string(),
            }
        })
    }

    /// Whether `secret` is this code's secret (compared in constant time).
    pub fn secret_is(&self, secret: &str) -> bool {
        let (a, b) = (self.secret.as_bytes(), secret.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

impl std::fmt::Display for Code {
    /// `K7QX-M2PA-9RTW`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (middle, last) = self.secret.split_at(SECRET_CHARS / 2);
        write!(f, "{}-{middle}-{last}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_read_back_however_they_are_typed() {
        let code = Code::from_random([0, 1, 2, 3, 31, 32, 33, 63, 64, 200, 255, 7]);
        assert_eq!(code.to_string(), "ABCD-9AB9-AJ9H");
        for typed in ["ABCD-9AB9-AJ9H", "abcd9ab9aj9h", "abcd 9ab9 aj9h", "Abcd-9ab9-Aj9h"] {
            assert_eq!(Code::parse(typed), Some(code.clone()), "{typed}");
        }
        for typed in [
            "ABCD-9AB9-AJ9",
            "ABCD-9AB9-AJ9HH",
            "ABCD-9AB9-AJ0H",
            "ABCD-9AB9-AJIH",
            "",
            "K7QX-M2PA",
            "ÀBCD-9AB9-AJ9H",
        ] {
            assert_eq!(Code::parse(typed), None, "{typed}");
        }
    }

    #[test]
    fn every_character_is_equally_likely() {
        let mut seen = [0u32; 32];
        for byte in 0..=255u8 {
            let code = Code::from_random([byte; RANDOM_BYTES]);
            let first = code.id.as_bytes()[0];
            seen[ALPHABET.iter().position(|c| *c == first).expect("in the alphabet")] += 1;
        }
        assert!(seen.iter().all(|n| *n == 8), "{seen:?}");
    }

    #[test]
    fn only_the_exact_secret_matches() {
        let code = Code::parse("ABCD-EFGH-JKLM").expect("a code");
        assert!(code.secret_is("EFGHJKLM"));
        for wrong in ["EFGHJKLN", "EFGHJKL", "EFGHJKLMN", "", "efghjklm"] {
            assert!(!code.secret_is(wrong), "{wrong}");
        }
    }
}
