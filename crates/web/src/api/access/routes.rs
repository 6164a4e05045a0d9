//! The API's routes about the caller.

use super::me;
use crate::auth::access::Access as A;
use crate::routes::Routes;

pub fn add(r: Routes) -> Routes {
    r.api_get("/api/v1/me", A::Signed, me::get)
}
