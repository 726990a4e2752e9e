//! Tests of watchlist matching: case, French and Catalan accents, word boundaries, hashtags.

use super::*;
use crate::domain::Platform;

fn list(terms: &[&str]) -> Watchlist {
    let mut list = Watchlist::default();
    for t in terms {
        assert!(list.add(Term::parse(t).expect("a valid term")), "{t} added once");
    }
    list
}

fn shown(found: Vec<&Term>) -> Vec<&str> {
    found.into_iter().map(Term::shown).collect()
}

#[test]
fn keywords_match_without_regard_to_case_or_accents_on_word_boundaries() {
    // (watched term, title, summary, found?)
    let rows = [
        ("élection", "Les ELECTIONS approchent", "", false),
        ("élection", "L'Élection de dimanche", "", true),
        ("election", "", "après l'élection, le bilan", true),
        ("élection", "Election day", "", true),
        ("Çà", "ca alors", "", true),
        ("col·lectiu", "El collectiu veïnal", "", true),
        ("collectiu", "El COL·LECTIU veïnal", "", true),
        ("coŀlectiu", "el col·lectiu", "", true),
        ("eau", "Le réseau d'eau potable", "", true),
        ("eau", "Le réseau potable", "", false),
        ("climat", "#Climat : la marche", "", true),
        ("changement climatique", "Le changement   climatique, enfin", "", true),
        ("changement climatique", "changement", "climatique", false),
        ("changement climatique", "climatique changement", "", false),
        ("São Paulo", "sao paulo em festa", "", true),
    ];
    for (term, title, summary, expected) in rows {
        let list = list(&[term]);
        assert_eq!(
            !list.matches(title, summary).is_empty(),
            expected,
            "{term} in {title:?} / {summary:?}"
        );
    }
}

#[test]
fn a_hashtag_matches_only_a_hashtag() {
    let list = list(&["#COP30"]);
    assert_eq!(shown(list.matches("Vers la #cop30 à Belém", "")), ["#COP30"]);
    assert!(list.matches("Vers la COP30 à Belém", "").is_empty());
    assert!(list.matches("#COP300", "").is_empty());
    let accented = list_one("#Élection");
    assert!(!accented.matches("", "#election2026 #ELECTION").is_empty());
}

fn list_one(term: &str) -> Watchlist {
    list(&[term])
}

#[test]
fn each_term_is_found_once_and_in_order_of_its_folded_form() {
    let list = list(&["zèbre", "Abeille", "#abeille"]);
    let found = shown(list.matches("abeille ABEILLE #abeille zebre", "zèbre"));
    assert_eq!(found, ["#abeille", "Abeille", "zèbre"]);
}

#[test]
fn spellings_that_fold_alike_are_one_term() {
    let mut list = list(&["Élection"]);
    assert!(!list.add(Term::parse("ELECTION").expect("valid")));
    assert_eq!(list.terms().count(), 1);
    let removed = list.remove(&Term::parse("election").expect("valid"));
    assert_eq!(removed.map(|t| t.shown().to_owned()), Some("Élection".to_owned()));
    assert_eq!(list.terms().count(), 0);
}

#[test]
fn bad_terms_are_refused_with_a_reason() {
    let long = "a".repeat(MAX_CHARS + 1);
    let rows = [
        ("", TermError::Empty),
        ("  ", TermError::Empty),
        ("#", TermError::Empty),
        ("!!", TermError::Empty),
        ("#deux mots", TermError::HashtagNotOneWord),
        ("#cop-30", TermError::HashtagNotOneWord),
        ("un deux trois quatre cinq six sept", TermError::TooManyWords),
        (long.as_str(), TermError::TooLong),
    ];
    for (text, error) in rows {
        assert_eq!(Term::parse(text), Err(error), "{text:?}");
    }
}

#[test]
fn each_room_gets_its_own_matches() {
    let mut rooms = RoomWatchlists::default();
    let (team, other) = (
        RoomRef::new(Platform::Matrix, "!team"),
        RoomRef::new(Platform::Matrix, "!other"),
    );
    rooms.room_mut(&team).add(Term::parse("forêt").expect("valid"));
    rooms.room_mut(&other).add(Term::parse("#rivière").expect("valid"));
    let found = rooms.matches("La FORET brûle", "");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, &team);
    assert_eq!(shown(found[0].1.clone()), ["forêt"]);
    assert!(rooms.matches("rien", "à voir").is_empty());
}
