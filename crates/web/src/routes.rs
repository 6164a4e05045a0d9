//! Every route with its access rule, in one table. Each group of pages and of the API
//! adds its routes (its `routes.rs`); the router is built from the table, so a route cannot
//! exist without a rule, and the access-matrix test reads the same table to check each
//! route for each role.

use crate::AppState;
use crate::auth::access::Access;
use crate::auth::gate::{GateConfig, gate};
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};

/// One route of the table.
#[derive(Debug, Clone)]
pub struct RouteRule {
    pub method: Method,
    /// The path as declared, with `{placeholders}`.
    pub path: &'static str,
    pub access: Access,
    pub api: bool,
}

/// The router under construction and the rules added so far.
pub struct Routes {
    state: AppState,
    router: Router<AppState>,
    pub rules: Vec<RouteRule>,
}

impl Routes {
    pub fn new(state: AppState) -> Self {
        Routes {
            state,
            router: Router::new(),
            rules: Vec::new(),
        }
    }

    fn add<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        api: bool,
        h: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = if method == Method::POST {
            MethodFilter::POST
        } else {
            MethodFilter::GET
        };
        let gate_config = GateConfig {
            state: self.state.clone(),
            access,
            api,
        };
        let mr = on(filter, h).route_layer(axum::middleware::from_fn_with_state(gate_config, gate));
        self.router = self.router.route(path, mr);
        self.rules.push(RouteRule {
            method,
            path,
            access,
            api,
        });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::GET, path, access, false, h)
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::POST, path, access, false, h)
    }

    pub fn api_get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::GET, path, access, true, h)
    }

    pub fn api_post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::POST, path, access, true, h)
    }

    pub fn finish(self) -> (Router<AppState>, Vec<RouteRule>) {
        (self.router, self.rules)
    }
}
