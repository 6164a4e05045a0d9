//! Cases as pages: the caseload and its export, registering a returnee, the case page
//! (`show`: the case file, recorded as viewed) and the actions on it, one file per part of
//! the case, and the packages cases follow. Each action redirects back to the case on
//! success, or shows the case again with what was refused and why (for a concurrent edit:
//! what changed since).

pub mod act;
pub mod assistance;
pub mod bulk;
pub mod details;
pub mod documents;
pub mod erasure;
pub mod flow;
pub mod list;
pub mod my_work;
pub mod new;
pub mod notes;
pub mod notifications;
pub mod packages;
pub mod paper;
pub mod people;
pub mod plan;
pub mod record;
pub mod referrals;
pub mod routes;
pub mod searches;
pub mod show;
pub mod survey_section;
pub mod surveys;
pub mod tasks;

use crate::PageError;
use crate::auth::Signed;
use crate::form::Fields;
use homeward_domain::case::{DetailsForm, RegistrationForm};

/// Where on the case page a form sits (its section's anchor), with what was typed in it:
/// a refusal is shown beside that form with the typed values kept; a success comes back
/// to that section with a short confirmation.
#[derive(Debug, Clone, Default)]
pub struct At {
    pub anchor: String,
    pub typed: Vec<(String, String)>,
}

impl At {
    pub fn typed(anchor: impl Into<String>, f: &Fields) -> At {
        At {
            anchor: anchor.into(),
            typed: f
                .0
                .iter()
                .filter(|(k, _)| k != "_csrf" && k != "version")
                .cloned()
                .collect(),
        }
    }
}

/// A refusal to show on the case page: where, why, and what was typed.
#[derive(Debug, Clone, Default)]
pub struct Refused {
    pub at: At,
    pub lines: Vec<String>,
    /// For an edit someone else's came before: the fields both changed (label, what it
    /// was, theirs, mine, in words), and who saved first.
    pub conflicts: Vec<(String, String, String, String)>,
    pub saved_by: String,
}

/// Where on the case page a step is taken.
pub fn step_anchor(step: homeward_domain::reintegration::stage::NextStep) -> &'static str {
    use homeward_domain::reintegration::stage::NextStep;
    match step {
        NextStep::Counsel | NextStep::Depart | NextStep::Arrive => "stage",
        // Needs are assessed by drafting the plan: its first item marks the case assessed.
        NextStep::Assess | NextStep::DraftPlan => "plan",
        NextStep::DecidePlan => "decide",
        NextStep::GiveAssistance => "assistance",
        NextStep::FollowUp => "follow-up",
    }
}

/// What the case page says beside its forms: the refusal of the one just sent (with what
/// was typed in it) or the confirmation of what was just saved.
#[derive(Debug, Clone, Default)]
pub struct Said {
    pub refused: Option<Refused>,
    /// The section whose change was saved.
    pub done: Option<String>,
    /// Values a form opens with when nothing was refused (a payment started from its
    /// plan item's row: the item, its currency, what is left on it).
    pub proposed: Option<At>,
}

impl Said {
    /// Whether `anchor` names the section of `at` (a receipt's payment is in assistance).
    fn here(at: &str, anchor: &str) -> bool {
        at == anchor || (anchor == "assistance" && at.starts_with("payment-"))
    }

    /// The refusal's lines when it is about the form in section `anchor`.
    pub fn errors(&self, anchor: &str) -> Vec<String> {
        match &self.refused {
            Some(r) if Self::here(&r.at.anchor, anchor) => r.lines.clone(),
            _ => vec![],
        }
    }

    /// The fields both people changed, when the form of `anchor` met someone else's edit.
    pub fn conflicts(&self, anchor: &str) -> Vec<(String, String, String, String)> {
        match &self.refused {
            Some(r) if r.at.anchor == anchor => r.conflicts.clone(),
            _ => vec![],
        }
    }

    /// Who saved first, when the form of `anchor` met someone else's edit.
    pub fn saved_by(&self, anchor: &str) -> String {
        match &self.refused {
            Some(r) if r.at.anchor == anchor => r.saved_by.clone(),
            _ => String::new(),
        }
    }

    /// Whether the form of `anchor` was refused because of `field`.
    pub fn refused_for(&self, anchor: &str, field: &str) -> bool {
        let prefix = format!("{field}: ");
        self.errors(anchor).iter().any(|l| l.starts_with(&prefix))
    }

    /// Whether the form of `anchor` was refused (its disclosure is shown open).
    pub fn open(&self, anchor: &str) -> bool {
        self.refused
            .as_ref()
            .is_some_and(|r| Self::here(&r.at.anchor, anchor))
    }

    /// What was typed in field `name` of the refused form of `anchor`, or "".
    pub fn v(&self, anchor: &str, name: &str) -> String {
        self.v_or(anchor, name, "")
    }

    /// What was typed in field `name` of the refused form of `anchor`, or `default`.
    pub fn v_or(&self, anchor: &str, name: &str, default: &str) -> String {
        self.filled(anchor)
            .and_then(|at| at.typed.iter().find(|(k, _)| k == name))
            .map_or_else(|| default.to_owned(), |(_, v)| v.clone())
    }

    /// Whether `value` was chosen in field `name` of the refused form of `anchor`.
    pub fn is(&self, anchor: &str, name: &str, value: &str) -> bool {
        self.filled(anchor)
            .is_some_and(|at| at.typed.iter().any(|(k, v)| k == name && v == value))
    }

    /// What the form of `anchor` is filled with: what was typed in it when it was
    /// refused, else what is proposed for it.
    fn filled(&self, anchor: &str) -> Option<&At> {
        match &self.refused {
            Some(r) if r.at.anchor == anchor => Some(&r.at),
            Some(_) => None,
            None => self.proposed.as_ref().filter(|p| p.anchor == anchor),
        }
    }

    /// The confirmation's message key when section `anchor` was just saved.
    pub fn done_at(&self, anchor: &str) -> Option<String> {
        self.done
            .as_deref()
            .filter(|d| Self::here(d, anchor) || (*d == "decide" && anchor == "plan"))
            .map(|d| {
                if d.starts_with("payment-") {
                    "done-receipt".to_owned()
                } else {
                    format!("done-{d}")
                }
            })
    }
}

/// An upload form: its fields, and its file (name as sent, bytes).
pub(crate) struct Upload {
    pub fields: Fields,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads an upload form (`multipart/form-data`) whose file is the field `file`.
pub(crate) async fn read_upload(
    form: &mut axum::extract::Multipart,
) -> Result<Upload, axum::extract::multipart::MultipartError> {
    let mut up = Upload {
        fields: Fields::default(),
        file: None,
    };
    while let Some(field) = form.next_field().await? {
        match field.name().map(str::to_owned) {
            Some(n) if n == "file" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                up.file = Some((name, field.bytes().await?.to_vec()));
            }
            Some(n) => up.fields.0.push((n, field.text().await?)),
            None => {}
        }
    }
    Ok(up)
}

/// The case's details as the form writes them (vulnerabilities as sorted codes).
pub fn form_values(c: &homeward_store::cases::CaseView) -> Vec<(String, String)> {
    let d = &c.details;
    let mut v: Vec<(&str, String)> = vec![
        ("given_name", c.given_name.clone()),
        ("family_name", c.family_name.clone()),
        ("sex", c.sex.clone()),
        ("birth_date", c.birth_date.clone().unwrap_or_default()),
        (
            "birth_date_estimated",
            if d.birth_date_estimated { "yes" } else { "" }.to_owned(),
        ),
        ("nationality", c.nationality.clone()),
        ("languages", d.languages.clone()),
        ("phone", d.phone.clone()),
        ("email", d.email.clone()),
        ("return_country", d.return_country.as_str().to_owned()),
        ("return_area", d.return_area.clone()),
        ("return_place", d.return_place.clone()),
    ];
    if let Some(x) = &c.sensitive {
        let mut codes: Vec<&str> = x.vulnerabilities.iter().map(|v| v.code()).collect();
        codes.sort_unstable();
        v.push(("vulnerabilities", codes.join(",")));
        v.push(("health_notes", x.health_notes.clone()));
    }
    v.into_iter().map(|(k, x)| (k.to_owned(), x)).collect()
}

/// The case's version a form was made from.
pub(crate) fn version(f: &crate::form::Fields) -> Result<i64, PageError> {
    f.int("version")
}

/// A date field, or today when left empty.
pub(crate) fn date_or_today(
    f: &crate::form::Fields,
    name: &str,
) -> Result<homeward_domain::date::Ymd, PageError> {
    match f.get(name).trim() {
        "" => Ok(homeward_store::today()),
        d => d.parse().map_err(|e: String| {
            PageError::BadRequest(vec![homeward_domain::FieldError::new(name, e)])
        }),
    }
}

/// The registration fields of a form (the new-case page, and the correction form on a
/// case). Without the permission, sensitive fields are neither shown nor taken.
pub(crate) fn registration_form<'a>(f: &'a Fields, s: &Signed) -> RegistrationForm<'a> {
    let sensitive = s
        .principal
        .can(homeward_domain::access::Permission::Sensitive);
    RegistrationForm {
        given_name: f.get("given_name"),
        family_name: f.get("family_name"),
        sex: f.get("sex"),
        birth_date: f.get("birth_date"),
        nationality: f.get("nationality"),
        origin_office: f.get("origin_office"),
        vulnerabilities: if sensitive {
            f.all("vulnerabilities")
        } else {
            vec![]
        },
        health_notes: if sensitive { f.get("health_notes") } else { "" },
        details: DetailsForm {
            birth_date_estimated: f.get("birth_date_estimated") == "yes",
            languages: f.get("languages"),
            phone: f.get("phone"),
            email: f.get("email"),
            return_country: f.get("return_country"),
            return_area: f.get("return_area"),
            return_place: f.get("return_place"),
        },
    }
}

/// The day of a stored instant (`2026-12-05T10:00:00Z` reads `2026-12-05`).
pub(crate) fn day_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}
