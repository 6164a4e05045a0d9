//! What the API sends about people and cases. Sensitive fields are present only when the
//! caller may see them (`null` otherwise), exactly as on the pages.

use homeward_store::cases::CaseView;
use serde::Serialize;
use utoipa::ToSchema;

/// A returnee's case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDto {
    pub id: i64,
    /// `HW-000123`.
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    /// female, male, other or unknown.
    pub sex: String,
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    pub host_office_id: i64,
    pub origin_office_id: i64,
    pub owning_office_id: i64,
    pub assigned_user_id: Option<i64>,
    /// open or closed.
    pub status: String,
    /// Offices the case was shared with and why (handover, shared, referral).
    pub shares: Vec<ShareDto>,
    /// Only with the `sensitive` permission.
    pub sensitive: Option<SensitiveDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareDto {
    pub office_id: i64,
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SensitiveDto {
    pub vulnerabilities: Vec<String>,
    pub health_notes: String,
}

impl From<CaseView> for CaseDto {
    fn from(c: CaseView) -> Self {
        CaseDto {
            id: c.id,
            reference: c.reference,
            given_name: c.given_name,
            family_name: c.family_name,
            sex: c.sex,
            birth_date: c.birth_date,
            nationality: c.nationality,
            host_office_id: c.host_office_id,
            origin_office_id: c.origin_office_id,
            owning_office_id: c.owning_office_id,
            assigned_user_id: c.assigned_user_id,
            status: c.status,
            shares: c
                .shares
                .into_iter()
                .map(|s| ShareDto {
                    office_id: s.office_id,
                    kind: s.kind,
                })
                .collect(),
            sensitive: c.sensitive.map(|s| SensitiveDto {
                vulnerabilities: s
                    .vulnerabilities
                    .iter()
                    .map(|v| v.code().to_owned())
                    .collect(),
                health_notes: s.health_notes,
            }),
        }
    }
}
