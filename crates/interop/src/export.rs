//! Exporting the projects a catalogue search matches, in any of the formats, for the
//! command line and the catalogue's download links alike.

use crate::{csv_io, hxl, iati, xlsx_io};
use homeward_domain::catalogue::CatalogueQuery;
use homeward_store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Iati,
    Hxl,
    Csv,
    Xlsx,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Csv, Format::Xlsx, Format::Iati, Format::Hxl];

    pub fn code(&self) -> &'static str {
        match self {
            Format::Iati => "iati",
            Format::Hxl => "hxl",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.code() == s)
    }

    pub fn media_type(&self) -> &'static str {
        match self {
            Format::Iati => "application/xml; charset=utf-8",
            Format::Hxl | Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn file_name(&self) -> &'static str {
        match self {
            Format::Iati => "homeward-projects-iati.xml",
            Format::Hxl => "homeward-projects-hxl.csv",
            Format::Csv => "homeward-projects.csv",
            Format::Xlsx => "homeward-projects.xlsx",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the file could not be written: {0}")]
    Write(String),
    #[error("the search matches {found} projects; at most {limit} can be downloaded at once")]
    TooMany { found: usize, limit: usize },
}

/// The projects `q` matches (every page, in its order) as a file.
pub fn export(
    store: &Store,
    q: &CatalogueQuery,
    format: Format,
    limit: Option<usize>,
) -> Result<Vec<u8>, ExportError> {
    let ids = store.search_ids(q)?;
    if let Some(limit) = limit
        && ids.len() > limit
    {
        return Err(ExportError::TooMany {
            found: ids.len(),
            limit,
        });
    }
    let stored = store.projects_by_ids(&ids)?;
    let write = |e: std::io::Error| ExportError::Write(e.to_string());
    Ok(match format {
        Format::Iati => {
            let pairs: Vec<_> = stored
                .into_iter()
                .map(|s| (s.project, s.updated_at))
                .collect();
            iati::write_iati(&pairs, &homeward_store::utc_now(), homeward_store::today())
                .into_bytes()
        }
        Format::Csv => {
            let projects: Vec<_> = stored.into_iter().map(|s| s.project).collect();
            let mut out = Vec::new();
            csv_io::write_csv(&mut out, &projects).map_err(write)?;
            out
        }
        Format::Hxl => {
            let projects: Vec<_> = stored.into_iter().map(|s| s.project).collect();
            let mut out = Vec::new();
            hxl::write_hxl(&mut out, &projects).map_err(write)?;
            out
        }
        Format::Xlsx => {
            let projects: Vec<_> = stored.into_iter().map(|s| s.project).collect();
            xlsx_io::write_xlsx(&projects).map_err(|e| ExportError::Write(e.to_string()))?
        }
    })
}
