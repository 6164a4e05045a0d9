//! The site's own routes: the front page, the liveness and readiness checks, the language switch and the
//! embedded assets, all public.

use super::{health, home, lang};
use crate::auth::access::Access as A;
use crate::routes::Routes;

pub fn add(r: Routes) -> Routes {
    r.get("/", A::Public, home::redirect)
        .get("/healthz", A::Public, health::healthz)
        .get("/readyz", A::Public, health::readyz)
        .get("/lang/{code}", A::Public, lang::switch)
        .get("/static/{file}", A::Public, crate::assets::serve)
}
