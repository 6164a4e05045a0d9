//! Finding people by name when names are spelt many ways: "Elira Demokrati", "ELIRA
//! DEMOKRATİ", "Ellira Demokratti", "Elíra Dhemokrati". A name is folded to plain ASCII,
//! each word is reduced to a consonant skeleton that forgets vowels, doubled letters and
//! common transliteration variants, and the skeleton together with every way of dropping
//! one letter of it becomes a search key. Two words whose keys meet are at most one edit
//! apart on their skeletons (the symmetric-deletion method), so a database finds the
//! candidates with exact index lookups and [`similarity`] ranks them.

use deunicode::deunicode;

/// Lower-case ASCII words of a name: accents dropped, other scripts transliterated.
pub fn words(name: &str) -> Vec<String> {
    deunicode(name)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A place or name as lower-case ASCII words separated by one space, for matching by
/// prefix: "Shkodër" and "SHKODER" both give "shkoder".
pub fn fold(text: &str) -> String {
    words(text).join(" ")
}

/// Spellings of one sound in the transliterations returnees' names come in
/// (Albanian, Georgian, Armenian, Samoan, Cyrillic romanisations), longest first.
const SOUNDS: &[(&str, &str)] = &[
    ("dzh", "j"),
    ("tch", "c"),
    ("sch", "s"),
    ("xh", "j"),
    ("gj", "j"),
    ("dj", "j"),
    ("dz", "z"),
    ("zh", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("tc", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ks", "x"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
];

/// The consonant skeleton of one folded word: sounds unified, the first letter kept,
/// later vowels dropped, repeated letters collapsed, a final "h" after a vowel left
/// silent. "demokratti" and "dhemokrati" both give "dmkrt"; "fatimah" and "fatima" "ftm".
pub fn skeleton(word: &str) -> String {
    // A final "h" after a vowel is written or not in many romanisations; on a short name
    // it would otherwise be a whole consonant more than the skeleton can lose.
    let word = match word.strip_suffix('h') {
        Some(w) if w.len() > 1 && w.ends_with(['a', 'e', 'i', 'o', 'u']) => w,
        _ => word,
    };
    let mut unified = String::with_capacity(word.len());
    let mut rest = word;
    'outer: while !rest.is_empty() {
        for (from, to) in SOUNDS {
            if let Some(r) = rest.strip_prefix(from) {
                unified.push_str(to);
                rest = r;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            unified.push(c);
        }
        rest = chars.as_str();
    }
    let mut out = String::with_capacity(unified.len());
    for (i, c) in unified.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
        if i > 0 && vowel {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Skeletons shorter than this are looked up exactly: dropping a letter of "elr" would
/// match half the population.
const MIN_FOR_DELETIONS: usize = 4;

/// The search keys of one word: its skeleton, and for longer skeletons each skeleton
/// with one letter dropped. Sorted and without repeats.
pub fn word_keys(word: &str) -> Vec<String> {
    let sk = skeleton(word);
    let mut keys = vec![sk.clone()];
    let chars: Vec<char> = sk.chars().collect();
    if chars.len() >= MIN_FOR_DELETIONS {
        for i in 0..chars.len() {
            let k: String = chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c)
                .collect();
            keys.push(k);
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The first invisible control that reorders how text is shown (U+202A to U+202E,
/// U+2066 to U+2069), if any. In a name one can make it read as another name, so names
/// refuse them.
pub fn direction_control(s: &str) -> Option<char> {
    s.chars()
        .find(|c| matches!(*c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// The refusal for a name holding a [`direction_control`].
pub fn direction_refusal(c: char) -> String {
    format!(
        "must not contain the invisible text-direction control U+{:04X}",
        c as u32
    )
}

/// The words of a person's names in order, given names first, for the index.
pub fn name_words(given: &str, family: &str) -> Vec<String> {
    words(given).into_iter().chain(words(family)).collect()
}

/// Each unordered pair of a person's name words (the smaller first), without repeats: the
/// index answers a two-word query from these at once.
pub fn word_pairs<T: Ord + Clone>(words: &[T]) -> Vec<(T, T)> {
    let mut pairs = vec![];
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            pairs.push(if a <= b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            });
        }
    }
    pairs.sort();
    pairs.dedup();
    pairs
}

/// How alike a query is to a person's names, 0 to 1: each query word is compared to its
/// closest name word, and the average is taken.
pub fn similarity(query: &str, given: &str, family: &str) -> f64 {
    let q = words(query);
    let names: Vec<String> = words(given).into_iter().chain(words(family)).collect();
    if q.is_empty() || names.is_empty() {
        return 0.0;
    }
    let total: f64 = q
        .iter()
        .map(|w| {
            names
                .iter()
                .map(|n| {
                    let spelt = strsim::jaro_winkler(w, n);
                    let sounded = strsim::jaro_winkler(&skeleton(w), &skeleton(n));
                    spelt.max(sounded * 0.95)
                })
                .fold(0.0, f64::max)
        })
        .sum();
    total / q.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meet(a: &str, b: &str) -> bool {
        let ka = word_keys(a);
        word_keys(b).iter().any(|k| ka.contains(k))
    }

    #[test]
    fn a_person_is_indexed_by_each_pair_of_their_name_words() {
        assert_eq!(
            name_words("Elira Mara", "Demokrati"),
            ["elira", "mara", "demokrati"]
        );
        assert_eq!(
            word_pairs(&[3, 1, 2]),
            [(1, 2), (1, 3), (2, 3)],
            "unordered, the smaller first"
        );
        // The same word twice still pairs with itself, once.
        assert_eq!(word_pairs(&[5, 5, 5]), [(5, 5)]);
        assert!(word_pairs(&[7]).is_empty());
    }

    #[test]
    fn names_fold_to_ascii_words() {
        assert_eq!(
            words("Elira  DEMOKRATİ-Çela"),
            ["elira", "demokrati", "cela"]
        );
        assert_eq!(words("Ëndrit Ђорђе"), ["endrit", "djordje"]);
        assert!(words(" -- ").is_empty());
    }

    #[test]
    fn spelling_and_transliteration_variants_share_a_skeleton() {
        for (a, b) in [
            ("demokrati", "dhemokratti"),
            ("xhoni", "joni"),
            ("gjergj", "djerdj"),
            ("shehu", "sheehu"),
            ("tsiklauri", "ciklauri"),
            ("khachatryan", "hachatrian"),
            ("fatimah", "fatima"),
            ("gashih", "gashi"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
    }

    #[test]
    fn one_wrong_letter_still_meets_but_another_name_does_not() {
        assert!(meet("demokrati", "demokrazi"), "substitution");
        assert!(meet("demokrati", "demokati"), "deletion");
        assert!(meet("shembull", "shemmbbulll"), "doubling");
        assert!(meet("ilustrim", "ilustrin"));
        assert!(!meet("demokrati", "shembull"));
        assert!(!meet("elira", "arben"));
    }

    #[test]
    fn short_skeletons_are_not_widened() {
        assert_eq!(word_keys("elira"), ["elr"]);
        assert!(word_keys("demokrati").len() > 1);
    }

    #[test]
    fn the_closest_person_ranks_first() {
        let q = "Elirra Demokratti";
        let right = similarity(q, "Elira", "Demokrati");
        let wrong = similarity(q, "Drita", "Provë");
        assert!(right > 0.9, "{right}");
        assert!(right > wrong + 0.2, "{right} vs {wrong}");
        assert_eq!(similarity("", "Elira", "Demokrati"), 0.0);
    }
}
