//! A W3C WebDriver client over plain HTTP (reqwest + serde_json): just what
//! the desktop scenario needs — a session on the real app through
//! tauri-driver, finding elements by CSS, clicking, typing, reading text,
//! switching windows and taking screenshots. Every wait is bounded.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::Fail;

/// The key of an element reference in W3C answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a screenshot waits for the page to be painted.
const SETTLE: Duration = Duration::from_millis(500);
/// How often a wait looks again: short, because the desktop benchmark times
/// its cold start with these waits.
const POLL: Duration = Duration::from_millis(25);

/// A session on the app.
pub struct Session {
    http: reqwest::Client,
    url: String,
}

impl Session {
    /// Starts the app at `application` through the driver at `driver`.
    pub async fn start(driver: &str, application: &Path) -> Result<Session, Fail> {
        let http = reqwest::Client::new();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application},
        }}});
        let answer = send(
            &http,
            reqwest::Method::POST,
            &format!("{driver}/session"),
            Some(capabilities),
        )
        .await?;
        let id = answer["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {answer}"))?;
        Ok(Session {
            http,
            url: format!("{driver}/session/{id}"),
        })
    }

    async fn get(&self, path: &str) -> Result<Value, Fail> {
        send(
            &self.http,
            reqwest::Method::GET,
            &format!("{}{path}", self.url),
            None,
        )
        .await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, Fail> {
        send(
            &self.http,
            reqwest::Method::POST,
            &format!("{}{path}", self.url),
            Some(body),
        )
        .await
    }

    /// The elements matching `css`, now.
    pub async fn find_all(&self, css: &str) -> Result<Vec<String>, Fail> {
        let found = self
            .post("/elements", json!({"using": "css selector", "value": css}))
            .await?;
        Ok(found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT].as_str().map(str::to_owned))
            .collect())
    }

    /// The first element matching `css`, waiting up to `timeout` for it.
    pub async fn wait(&self, css: &str, timeout: Duration) -> Result<String, Fail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(first) = self.find_all(css).await?.into_iter().next() {
                return Ok(first);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("no {css:?} within {} s", timeout.as_secs()).into());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits up to `timeout` until some element matching `css` has a text
    /// containing `text`.
    pub async fn wait_text(&self, css: &str, text: &str, timeout: Duration) -> Result<(), Fail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            for element in self.find_all(css).await? {
                // The element may go away between the two requests.
                if let Ok(seen) = self.text(&element).await
                    && seen.contains(text)
                {
                    return Ok(());
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(
                    format!("no {css:?} showing {text:?} within {} s", timeout.as_secs()).into(),
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// An element's rendered text.
    pub async fn text(&self, element: &str) -> Result<String, Fail> {
        let text = self.get(&format!("/element/{element}/text")).await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// A DOM property of an element, as text (`textContent` holds text the
    /// layout hides, which the rendered text leaves out).
    pub async fn property(&self, element: &str, name: &str) -> Result<String, Fail> {
        let value = self
            .get(&format!("/element/{element}/property/{name}"))
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Clicks an element.
    pub async fn click(&self, element: &str) -> Result<(), Fail> {
        self.post(&format!("/element/{element}/click"), json!({}))
            .await?;
        Ok(())
    }

    /// Empties a field and types `text` into it.
    pub async fn fill(&self, element: &str, text: &str) -> Result<(), Fail> {
        self.post(&format!("/element/{element}/clear"), json!({}))
            .await?;
        self.post(&format!("/element/{element}/value"), json!({"text": text}))
            .await?;
        Ok(())
    }

    /// Runs `script` (a function body) in the page; answers what it returns.
    pub async fn execute(&self, script: &str) -> Result<Value, Fail> {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// Runs `script` (a function body) in the page with `args`, and answers
    /// what it passes to the callback WebDriver adds as its last argument.
    pub async fn execute_async(&self, script: &str, args: Value) -> Result<Value, Fail> {
        self.post("/execute/async", json!({"script": script, "args": args}))
            .await
    }

    /// The handles of the app's windows.
    pub async fn windows(&self) -> Result<Vec<String>, Fail> {
        let handles = self.get("/window/handles").await?;
        Ok(handles
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h.as_str().map(str::to_owned))
            .collect())
    }

    /// The handle of the window commands go to.
    pub async fn window(&self) -> Result<String, Fail> {
        let handle = self.get("/window").await?;
        Ok(handle.as_str().unwrap_or_default().to_owned())
    }

    /// Sends the next commands to the window `handle`.
    pub async fn switch_to(&self, handle: &str) -> Result<(), Fail> {
        self.post("/window", json!({"handle": handle})).await?;
        Ok(())
    }

    /// Saves a PNG of the current window to `path`, after a short settle:
    /// a capture right after a DOM change can show the previous frame.
    pub async fn screenshot(&self, path: &Path) -> Result<(), Fail> {
        tokio::time::sleep(SETTLE).await;
        let shot = self.get("/screenshot").await?;
        let base64 = shot.as_str().ok_or("no screenshot in the answer")?;
        std::fs::write(path, decode_base64(base64)?)?;
        Ok(())
    }

    /// Ends the session (the driver closes the app).
    pub async fn end(self) -> Result<(), Fail> {
        send(&self.http, reqwest::Method::DELETE, &self.url, None).await?;
        Ok(())
    }
}

async fn send(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, Fail> {
    let request = http.request(method, url).timeout(Duration::from_secs(60));
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    let response = request.send().await?;
    let status = response.status();
    let answer: Value = response.json().await?;
    if !status.is_success() {
        return Err(format!("WebDriver {url}: {status} {}", answer["value"]).into());
    }
    Ok(answer["value"].clone())
}

/// Standard base64 (screenshots), without a dependency for it.
fn decode_base64(text: &str) -> Result<Vec<u8>, Fail> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("not base64: {c}").into()),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(bytes)
}
