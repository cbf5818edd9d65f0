//! Serving Rust workflows: requests in, responses out, for any HTTP server.

use std::collections::HashMap;

use novu_framework_core::config::ClientSettings;
use novu_framework_core::dispatch::{
    Bridge as CoreBridge, BridgeConfig, ConfigError, Dispatch, Request, Response, Route,
};
use novu_framework_core::engine::Run;

use crate::workflow::{Workflow, WorkflowFn, drive};

/// A request whose protocol work is done; finishing it runs user closures or calls the Novu API.
#[derive(Debug)]
pub struct Pending {
    dispatch: Dispatch,
    route: Route,
}

impl Pending {
    /// True when finishing makes a blocking HTTP call (`action=trigger`).
    pub fn blocks(&self) -> bool {
        matches!(self.dispatch, Dispatch::Trigger(_))
    }

    /// Which route the request came in on (how its errors are shaped).
    pub fn route(&self) -> Route {
        self.route
    }
}

/// A bridge serving a fixed set of workflows.
pub struct Bridge {
    core: CoreBridge,
    funcs: HashMap<String, WorkflowFn>,
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge").field("workflows", &self.funcs.len()).finish()
    }
}

impl Bridge {
    /// Builds a bridge; `server_name` is reported in the `novu-framework-server` header.
    pub fn new(workflows: Vec<Workflow>, settings: ClientSettings, server_name: &str) -> Result<Bridge, ConfigError> {
        let config = BridgeConfig {
            secret_key: settings.secret_key,
            strict_authentication: settings.strict_authentication,
            api_url: settings.api_url,
            server_name: server_name.to_string(),
            ..BridgeConfig::default()
        };
        Self::with_config(workflows, config)
    }

    pub fn with_config(workflows: Vec<Workflow>, config: BridgeConfig) -> Result<Bridge, ConfigError> {
        let definitions = workflows.iter().map(|w| w.definition.clone()).collect();
        let core = CoreBridge::new(definitions, config)?;
        let funcs = workflows.into_iter().map(|w| (w.definition.id.clone(), w.func)).collect();
        Ok(Bridge { core, funcs })
    }

    /// The static headers to send with every response.
    pub fn headers(&self) -> &[(&'static str, String)] {
        self.core.headers()
    }

    pub fn core(&self) -> &CoreBridge {
        &self.core
    }

    /// Answers a bridge request. A `trigger` action blocks on the Novu API: async servers use
    /// [`Bridge::prepare`] and finish blocking work on a blocking-capable thread.
    pub fn handle(&self, request: &Request<'_>) -> Response {
        self.finish(self.prepare(request))
    }

    /// Does the protocol work of a request that needs no user code or network; the rest is left to
    /// [`Bridge::finish`].
    pub fn prepare(&self, request: &Request<'_>) -> Pending {
        Pending { dispatch: self.core.dispatch(request), route: Route::Bridge }
    }

    /// [`Bridge::prepare`] for `POST {route}/workflows/<workflow_id>/execute`.
    pub fn prepare_local(&self, workflow_id: &str, request: &Request<'_>) -> Pending {
        Pending { dispatch: self.core.dispatch_local(workflow_id, request), route: Route::Local }
    }

    /// Runs the workflow closures or sends the trigger call a prepared request needs.
    pub fn finish(&self, pending: Pending) -> Response {
        self.complete(pending.dispatch, pending.route)
    }

    /// As [`Bridge::handle`] at a fixed clock (for tests and benchmarks with precomputed signatures).
    pub fn handle_at(&self, request: &Request<'_>, now_ms: f64) -> Response {
        self.complete(self.core.dispatch_at(request, now_ms), Route::Bridge)
    }

    /// Answers `POST {route}/workflows/<workflow_id>/execute`.
    pub fn handle_local(&self, workflow_id: &str, request: &Request<'_>) -> Response {
        self.finish(self.prepare_local(workflow_id, request))
    }

    fn complete(&self, dispatch: Dispatch, route: Route) -> Response {
        match dispatch {
            Dispatch::Respond(r) => r,
            Dispatch::Trigger(call) => call.send(),
            Dispatch::Run(mut run) => self.run(&mut run, route),
            // This API registers no agents, so the core never accepts an agent event for it.
            Dispatch::Agent(_) => self.core.internal_error(route, "agents are not served by the Rust API"),
        }
    }

    fn run(&self, run: &mut Run, route: Route) -> Response {
        let returned = match self.funcs.get(&run.workflow().id) {
            Some(func) => drive(func, run),
            None => Ok(()),
        };
        self.core.complete(run, returned, route)
    }
}
