//! Registered agents: which handlers each has (the turn's handler selection depends on it) and their order
//! in discover.

use std::collections::HashMap;

use serde_json::{Value, json};

/// Which optional handlers an agent has (`onMessage` is always there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Handlers {
    pub on_action: bool,
    pub on_reaction: bool,
    pub on_resolve: bool,
    pub on_tool_approval: bool,
    pub on_error: bool,
    /// The approval handler is the framework's own (an AI integration), not the user's: the framework then
    /// shows typing and deletes the approval card before calling it (upstream's `userOnToolApproval: false`).
    pub framework_owns_approval: bool,
}

/// An agent as the protocol sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentDefinition {
    pub id: String,
    pub handlers: Handlers,
}

/// Agents by id. Registering an id again replaces its handlers and keeps its first position (upstream's
/// map semantics, agents-protocol.md §1.3).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    agents: Vec<AgentDefinition>,
    index: HashMap<String, usize>,
}

impl Registry {
    /// Fails when an agent id is empty (`agent() requires a non-empty agentId`).
    pub fn new(agents: impl IntoIterator<Item = AgentDefinition>) -> Result<Registry, String> {
        let mut registry = Registry::default();
        for agent in agents {
            registry.add(agent)?;
        }
        Ok(registry)
    }

    pub fn add(&mut self, agent: AgentDefinition) -> Result<(), String> {
        if agent.id.is_empty() {
            return Err("agent() requires a non-empty agentId".into());
        }
        match self.index.get(&agent.id) {
            Some(&i) => self.agents[i] = agent,
            None => {
                self.index.insert(agent.id.clone(), self.agents.len());
                self.agents.push(agent);
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&AgentDefinition> {
        self.index.get(id).map(|&i| &self.agents[i])
    }

    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Discover's `agents` list: `[{"agentId": ...}]` in registration order.
    pub fn discover_entries(&self) -> Vec<Value> {
        self.agents.iter().map(|a| json!({"agentId": a.id})).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, on_action: bool) -> AgentDefinition {
        AgentDefinition { id: id.into(), handlers: Handlers { on_action, ..Handlers::default() } }
    }

    #[test]
    fn last_registration_wins_and_keeps_the_first_position() {
        let r = Registry::new([agent("a", false), agent("b", false), agent("a", true)]).unwrap();
        assert_eq!(r.discover_entries(), vec![json!({"agentId": "a"}), json!({"agentId": "b"})]);
        assert!(r.get("a").unwrap().handlers.on_action);
        assert_eq!(r.len(), 2);
        assert!(r.get("c").is_none());
    }

    #[test]
    fn empty_ids_are_refused() {
        assert_eq!(Registry::new([agent("", false)]).unwrap_err(), "agent() requires a non-empty agentId");
    }
}
