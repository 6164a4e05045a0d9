//! Community and structural reintegration: projects that help returnees and the
//! communities they come back to (with shared asset pools such as tool libraries), and
//! capacity building for governments and service providers. Pure rules and forms; the
//! store keeps them and the pages show them.

pub mod activity;
pub mod capacity;
pub mod pool;
pub mod project;
