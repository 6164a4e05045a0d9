//! Two people edit the same form: what the second sent is merged with what the first
//! saved, field by field, from the values both started from. A field only one of them
//! changed takes that change; a field both changed to different values is a conflict,
//! shown with the value it had, theirs and mine, for the second person to decide.

/// One field as both people left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    /// What both started from.
    pub was: String,
    /// What was saved first.
    pub theirs: String,
    /// What the second person sent.
    pub mine: String,
}

/// The outcome of a merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Every field's value after the merge (a conflicting field keeps theirs).
    pub values: Vec<(String, String)>,
    /// Fields both changed, differently.
    pub conflicts: Vec<FieldChange>,
    /// Fields only the first person changed, now part of the values.
    pub theirs: Vec<FieldChange>,
}

/// Merges `mine` into `theirs` from `base`, for each of `fields`.
pub fn merge<'a>(
    fields: &[&str],
    base: impl Fn(&str) -> &'a str,
    theirs: impl Fn(&str) -> &'a str,
    mine: impl Fn(&str) -> &'a str,
) -> Merged {
    let mut out = Merged::default();
    for f in fields {
        let (b, t, m) = (base(f).trim(), theirs(f).trim(), mine(f).trim());
        let change = || FieldChange {
            field: (*f).to_owned(),
            was: b.to_owned(),
            theirs: t.to_owned(),
            mine: m.to_owned(),
        };
        let value = if t == b || t == m {
            m
        } else if m == b {
            out.theirs.push(change());
            t
        } else {
            out.conflicts.push(change());
            t
        };
        out.values.push(((*f).to_owned(), value.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> &'a str {
        move |f| pairs.iter().find(|(k, _)| *k == f).map_or("", |(_, v)| v)
    }

    #[test]
    fn different_fields_merge_and_the_same_field_conflicts() {
        let fields = ["phone", "place", "name"];
        let base = [("phone", "1"), ("place", "Tropojë"), ("name", "Gent")];
        let theirs = [("phone", "2"), ("place", "Tropojë"), ("name", "Gent")];
        let mine = [("phone", "1"), ("place", "Bajram Curri"), ("name", "Gent")];
        let m = merge(&fields, get(&base), get(&theirs), get(&mine));
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.values,
            [
                ("phone".into(), "2".into()),
                ("place".into(), "Bajram Curri".into()),
                ("name".into(), "Gent".into())
            ]
        );
        assert_eq!(m.theirs.len(), 1);
        let mine = [("phone", "3"), ("place", "Tropojë"), ("name", "Gent")];
        let m = merge(&fields, get(&base), get(&theirs), get(&mine));
        assert_eq!(
            m.conflicts,
            [FieldChange {
                field: "phone".into(),
                was: "1".into(),
                theirs: "2".into(),
                mine: "3".into()
            }]
        );
        assert_eq!(
            m.values[0].1, "2",
            "theirs stands until the second person decides"
        );
    }

    #[test]
    fn the_same_change_twice_is_no_conflict() {
        let base = [("phone", "1")];
        let both = [("phone", "2")];
        let m = merge(&["phone"], get(&base), get(&both), get(&both));
        assert!(m.conflicts.is_empty() && m.theirs.is_empty());
        assert_eq!(m.values[0].1, "2");
    }
}
