//! What every visitor reaches: the front page, the health check for load balancers, the
//! language switch and the embedded assets.

pub mod health;
pub mod home;
pub mod lang;
pub mod routes;
