//! The demo data set: the published seed projects, then as many synthetic ones as asked.

mod community;
mod offices;
mod people;
mod population;
mod returnees;
mod seed;
mod story;
mod surveys;
mod synthetic;

pub use community::{SAMGORI, SAMGORI_CENTRE, TBILISI};
pub use people::{DemoPeople, DemoUser, STORY_HOLD, demo_password, load_people};

pub use returnees::{ReturneesLoaded, load_returnees};
pub use seed::{albania, armenia_georgia, samoa, seed_projects};
pub use story::{VG_PACKAGE, avrr_norway};
pub use synthetic::synthetic_projects;

use homeward_store::{Store, StoreError};

/// What loading the demo data did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoaded {
    pub seed: usize,
    pub synthetic: usize,
}

/// Projects are written in batches of this many, each batch one transaction.
const BATCH: usize = 2_000;

/// Saves the seed projects and `synthetic` generated ones. Saving again updates rather than
/// duplicates, so the command can be repeated.
pub fn load_demo(store: &Store, synthetic: usize) -> Result<DemoLoaded, StoreError> {
    let seeds = seed_projects();
    store.save_projects(&seeds).map_err(|(_, e)| e)?;
    let mut batch = Vec::with_capacity(BATCH.min(synthetic));
    for p in synthetic_projects(synthetic) {
        batch.push(p);
        if batch.len() == BATCH {
            store.save_projects(&batch).map_err(|(_, e)| e)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.save_projects(&batch).map_err(|(_, e)| e)?;
    }
    Ok(DemoLoaded {
        seed: seeds.len(),
        synthetic,
    })
}
