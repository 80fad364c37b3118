//! The requests a browser test sends, each a JSON object with an `id`, an `op`
//! and the op's fields:
//!
//! - `login {agent}`: `agent` ("ada", "bob") logs in, opens a socket and
//!   becomes available. Answers `{}`.
//! - `command {agent, command}`: sends an `AgentCommand` (an `id` is made when
//!   it has none). Answers its `ack` or `error` frame — or `null` for `typing`,
//!   which has no answer.
//! - `cursor {agent}`: how many frames the agent has received so far.
//! - `wait {agent, match, from?, timeout_ms?}`: the first frame received at
//!   index `from` (default 0) or later that contains `match` (every field of
//!   `match` is in the frame, recursively). Answers `{index, frame}`.
//! - `get {agent, path}`: an HTTP `GET` with the agent's token. Answers
//!   `{status, content_type, size, sha256, json}` (`json` when the body is JSON).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use banner_proto::AgentCommand;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::agent::Agent;
use crate::floor::PASSWORD;

/// How long `wait` waits unless told.
const WAIT_MS: u64 = 10_000;

/// The agents a test plays, on one server.
pub struct Script {
    base: String,
    agents: Mutex<HashMap<String, Arc<Agent>>>,
}

impl Script {
    /// Requests against the server at `base`.
    pub fn new(base: String) -> Script {
        Script {
            base,
            agents: Mutex::default(),
        }
    }

    /// Answers one request.
    pub async fn run(&self, request: &Value) -> anyhow::Result<Value> {
        let op = request["op"].as_str().context("no op")?;
        let name = request["agent"].as_str().context("no agent")?;
        if op == "login" {
            let agent = Agent::login(&self.base, name, PASSWORD).await?;
            let available =
                json!({"type": "set_presence", "id": agent.new_id(), "presence": "available"});
            let answer = agent.command(&serde_json::from_value(available)?).await?;
            if answer["type"] != "ack" {
                bail!("{name} could not become available: {answer}");
            }
            self.agents
                .lock()
                .map_err(|_| anyhow!("poisoned"))?
                .insert(name.to_owned(), Arc::new(agent));
            return Ok(json!({}));
        }
        let agent = self
            .agents
            .lock()
            .map_err(|_| anyhow!("poisoned"))?
            .get(name)
            .cloned()
            .with_context(|| format!("{name} has not logged in"))?;
        match op {
            "command" => {
                let mut command = request["command"].clone();
                let answered = !matches!(command["type"].as_str(), Some("typing"));
                if answered && command.get("id").is_none() {
                    command["id"] = Value::String(agent.new_id());
                }
                let command: AgentCommand =
                    serde_json::from_value(command).context("not an AgentCommand")?;
                if answered {
                    agent.command(&command).await
                } else {
                    agent.send(&command).map(|()| Value::Null)
                }
            }
            "cursor" => Ok(json!(agent.frames.len())),
            "wait" => {
                let pattern = &request["match"];
                let from = request["from"].as_u64().unwrap_or(0) as usize;
                let timeout =
                    Duration::from_millis(request["timeout_ms"].as_u64().unwrap_or(WAIT_MS));
                let (index, frame) = agent
                    .frames
                    .wait(from, timeout, |f| contains(f, pattern))
                    .await
                    .with_context(|| format!("{name} waited for {pattern}"))?;
                Ok(json!({"index": index, "frame": frame}))
            }
            "get" => {
                self.get(&agent, request["path"].as_str().context("no path")?)
                    .await
            }
            other => bail!("unknown op {other}"),
        }
    }

    async fn get(&self, agent: &Agent, path: &str) -> anyhow::Result<Value> {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .bearer_auth(&agent.token)
            .send()
            .await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.bytes().await?;
        let parsed = if content_type.starts_with("application/json") {
            serde_json::from_slice(&body).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        Ok(json!({
            "status": status,
            "content_type": content_type,
            "size": body.len(),
            "sha256": hex::encode(Sha256::digest(&body)),
            "json": parsed,
        }))
    }

    /// Closes the agents' sockets.
    pub async fn close(&self) {
        if let Ok(mut agents) = self.agents.lock() {
            agents.clear();
        }
    }
}

/// Whether `actual` has every field of `pattern`, recursively; arrays match
/// element by element and must have the same length.
pub fn contains(actual: &Value, pattern: &Value) -> bool {
    match (actual, pattern) {
        (Value::Object(a), Value::Object(p)) => p
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| contains(av, v))),
        (Value::Array(a), Value::Array(p)) => {
            a.len() == p.len() && a.iter().zip(p).all(|(av, pv)| contains(av, pv))
        }
        _ => actual == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_frames_that_have_all_its_fields() {
        let frame = json!({"type": "event", "seq": 4, "event": {"type": "message", "text": "hi", "attachments": [{"id": 1, "media_type": "image/png"}]}});
        assert!(contains(&frame, &json!({"event": {"type": "message"}})));
        assert!(contains(
            &frame,
            &json!({"event": {"attachments": [{"media_type": "image/png"}]}})
        ));
        assert!(!contains(&frame, &json!({"event": {"text": "bye"}})));
        assert!(!contains(&frame, &json!({"event": {"attachments": []}})));
        assert!(!contains(&frame, &json!({"missing": null})));
    }
}
