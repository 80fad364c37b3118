//! The HTTP plumbing both clients share: URLs under the server's base URL, the
//! bearer token (never in a URL), JSON bodies, raw uploads and downloads, and
//! error answers decoded into [`ClientError`].

use std::time::Duration;

use banner_proto::http::{header, path};
use banner_proto::{AttachmentId, ConversationId, ErrorBody, Health, Uploaded};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::{RequestBuilder, Response, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ClientError;

/// RFC 3986's unreserved characters stay as they are; everything else in an
/// upload's file name is percent-encoded.
const FILENAME: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A downloaded attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// The media type the server established (`Content-Type`).
    pub media_type: Option<String>,
    /// The file's name (`Content-Disposition`), decoded.
    pub filename: Option<String>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// `GET /healthz`: whether a server is up, and which protocol it speaks.
pub async fn health(base_url: &str) -> Result<Health, ClientError> {
    let http = Http::new(base_url)?;
    let response = http.client.get(http.url(path::HEALTHZ)).send().await?;
    Ok(checked(response).await?.json().await?)
}

/// One server's base URL and a pooled HTTP client.
#[derive(Clone, Debug)]
pub(crate) struct Http {
    client: reqwest::Client,
    base: Url,
}

impl Http {
    pub(crate) fn new(base_url: &str) -> Result<Self, ClientError> {
        let bad = |reason: String| ClientError::Url {
            url: base_url.to_owned(),
            reason,
        };
        let base = Url::parse(base_url).map_err(|e| bad(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https".into()));
        }
        Ok(Http {
            client: reqwest::Client::new(),
            base,
        })
    }

    /// The base URL as given.
    pub(crate) fn base(&self) -> &str {
        self.base.as_str()
    }

    /// `path` under the base URL (a base with a path prefix keeps it).
    pub(crate) fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}{}", self.base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    /// The WebSocket URL of `path`: `ws://` for `http://`, `wss://` for `https://`.
    pub(crate) fn ws_url(&self, path: &str) -> Result<Url, ClientError> {
        let mut url = self.url(path);
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        url.set_scheme(scheme).map_err(|()| ClientError::Url {
            url: self.base.to_string(),
            reason: "cannot make a WebSocket URL of it".into(),
        })?;
        Ok(url)
    }

    fn authorized(&self, builder: RequestBuilder, token: Option<&str>) -> RequestBuilder {
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// `GET path?query` → JSON.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        query: &impl Serialize,
    ) -> Result<T, ClientError> {
        let request = self.client.get(self.url(path)).query(query);
        let response = self.authorized(request, Some(token)).send().await?;
        Ok(checked(response).await?.json().await?)
    }

    /// `POST path` with a JSON body → JSON.
    pub(crate) async fn post_json<T: DeserializeOwned>(
        &self,
        token: Option<&str>,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ClientError> {
        let request = self.client.post(self.url(path)).json(body);
        let response = self.authorized(request, token).send().await?;
        Ok(checked(response).await?.json().await?)
    }

    /// `POST path` without a body, answered without one.
    pub(crate) async fn post_empty(&self, token: &str, path: &str) -> Result<(), ClientError> {
        let request = self.client.post(self.url(path));
        let response = self.authorized(request, Some(token)).send().await?;
        checked(response).await?;
        Ok(())
    }

    /// `POST /v1/conversations/{id}/attachments` with the raw file.
    pub(crate) async fn upload(
        &self,
        token: &str,
        conversation: ConversationId,
        filename: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Uploaded, ClientError> {
        let url = self.url(&path::with_id(path::CONVERSATION_ATTACHMENTS, conversation));
        let request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .header(
                header::FILENAME,
                utf8_percent_encode(filename, FILENAME).to_string(),
            )
            .body(bytes);
        let response = self.authorized(request, Some(token)).send().await?;
        Ok(checked(response).await?.json().await?)
    }

    /// `GET /v1/attachments/{id}`: the file's bytes.
    pub(crate) async fn download(
        &self,
        token: &str,
        attachment: AttachmentId,
    ) -> Result<Download, ClientError> {
        let url = self.url(&path::with_id(path::ATTACHMENT, attachment));
        let request = self.client.get(url);
        let response = checked(self.authorized(request, Some(token)).send().await?).await?;
        let text_header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let media_type = text_header(reqwest::header::CONTENT_TYPE);
        let filename = text_header(reqwest::header::CONTENT_DISPOSITION)
            .as_deref()
            .and_then(disposition_filename);
        let bytes = response.bytes().await?.to_vec();
        Ok(Download {
            media_type,
            filename,
            bytes,
        })
    }
}

/// The response if it succeeded; its error body (or status) otherwise.
async fn checked(response: Response) -> Result<Response, ClientError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after_secs);
    let body = response.text().await.unwrap_or_default();
    Err(match serde_json::from_str::<ErrorBody>(&body) {
        Ok(error) => ClientError::from_body(error, status.as_u16(), retry_after),
        Err(_) => ClientError::Status {
            status: status.as_u16(),
            body,
        },
    })
}

/// A `Retry-After` header in seconds (the protocol's form; an HTTP date is
/// not used by the server and is ignored).
fn retry_after_secs(value: &str) -> Option<Duration> {
    value.trim().parse().ok().map(Duration::from_secs)
}

/// The file name of a `Content-Disposition` header: `filename*=UTF-8''…`
/// (percent-encoded), else a plain `filename="…"`.
fn disposition_filename(value: &str) -> Option<String> {
    let params = value.split(';').map(str::trim);
    let mut plain = None;
    for param in params {
        if let Some(encoded) = param.strip_prefix("filename*=") {
            let encoded = encoded.strip_prefix("UTF-8''").unwrap_or(encoded);
            return percent_decode_str(encoded)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned());
        }
        if let Some(name) = param.strip_prefix("filename=") {
            plain = Some(name.trim_matches('"').to_owned());
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_socket_urls_keep_the_base() {
        let http = Http::new("https://chat.example/banner/").unwrap();
        assert_eq!(
            http.url("/v1/pool").as_str(),
            "https://chat.example/banner/v1/pool"
        );
        assert_eq!(
            http.ws_url("/v1/ws").unwrap().as_str(),
            "wss://chat.example/banner/v1/ws"
        );
        let local = Http::new("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            local.ws_url("/v1/visitor/ws").unwrap().as_str(),
            "ws://127.0.0.1:8080/v1/visitor/ws"
        );
        assert!(Http::new("ftp://chat.example").is_err());
        assert!(Http::new("not a url").is_err());
    }

    #[test]
    fn file_names_are_percent_encoded_both_ways() {
        let encoded = utf8_percent_encode("facture mars é.pdf", FILENAME).to_string();
        assert_eq!(encoded, "facture%20mars%20%C3%A9.pdf");
        let header = format!("attachment; filename*=UTF-8''{encoded}");
        assert_eq!(
            disposition_filename(&header).as_deref(),
            Some("facture mars é.pdf")
        );
        assert_eq!(
            disposition_filename("attachment; filename=\"a.txt\"").as_deref(),
            Some("a.txt")
        );
        assert_eq!(disposition_filename("inline"), None);
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(retry_after_secs("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after_secs(" 10 "), Some(Duration::from_secs(10)));
        assert_eq!(retry_after_secs("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
