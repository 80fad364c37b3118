//! Attachments' bytes on disk: `<data dir>/attachments/<random name>`.
//!
//! Names are 32 random hex digits, never derived from what the uploader sent,
//! so no upload can choose or guess a path. An upload is written to a
//! temporary file beside its final place, flushed to disk, then renamed, and
//! the directory is flushed too: a file that has its name is complete and
//! durable before the store records it. An upload that is refused or
//! abandoned (the client went away) loses its temporary file.

use std::io;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::Stream;
use rand::Rng;
use tokio::fs::{self, File};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The directory under the data dir.
pub const DIR: &str = "attachments";

/// How much of a file one read of a download takes.
const READ_CHUNK: usize = 64 * 1024;

/// Where attachments live.
#[derive(Clone, Debug)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    /// The attachments of the data dir `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Files {
            dir: data_dir.join(DIR),
        }
    }

    /// Starts a new upload in a temporary file.
    pub async fn create(&self) -> io::Result<Upload> {
        fs::create_dir_all(&self.dir).await?;
        let name = random_name();
        let temp = self.dir.join(format!("{name}.part"));
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&temp)
            .await?;
        Ok(Upload {
            file,
            dir: self.dir.clone(),
            name,
            temp: Some(temp),
        })
    }

    /// The bytes of a stored file, as a stream of chunks.
    pub async fn read(
        &self,
        stored_name: &str,
    ) -> io::Result<impl Stream<Item = io::Result<Bytes>> + use<>> {
        let file = File::open(self.dir.join(stored_name)).await?;
        Ok(futures_util::stream::unfold(
            Some(file),
            |file| async move {
                let mut file = file?;
                let mut buf = vec![0; READ_CHUNK];
                match file.read(&mut buf).await {
                    Ok(0) => None,
                    Ok(n) => {
                        buf.truncate(n);
                        Some((Ok(Bytes::from(buf)), Some(file)))
                    }
                    // One error ends the stream (and the response with it).
                    Err(e) => Some((Err(e), None)),
                }
            },
        ))
    }

    /// Removes a stored file (its metadata could not be recorded).
    pub async fn remove(&self, stored_name: &str) {
        let _ = fs::remove_file(self.dir.join(stored_name)).await;
    }
}

/// A file being uploaded. Dropped without [`Upload::keep`], it is deleted.
#[derive(Debug)]
pub struct Upload {
    file: File,
    dir: PathBuf,
    name: String,
    /// Set until the file is kept.
    temp: Option<PathBuf>,
}

impl Upload {
    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk).await
    }

    /// Makes the file durable under its random name and returns that name.
    pub async fn keep(mut self) -> io::Result<String> {
        self.file.sync_all().await?;
        let temp = self.temp.take().unwrap_or_default();
        if let Err(e) = fs::rename(&temp, self.dir.join(&self.name)).await {
            let _ = fs::remove_file(&temp).await;
            return Err(e);
        }
        sync_dir(&self.dir).await?;
        Ok(std::mem::take(&mut self.name))
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            // Unlinking is quick; doing it here also covers a cancelled request.
            let _ = std::fs::remove_file(temp);
        }
    }
}

fn random_name() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Flushes a directory's entries, so that a rename survives a power loss.
async fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).await?.sync_all().await
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a directory as a file; NTFS journals renames.
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn a_kept_upload_reads_back_and_a_dropped_one_leaves_nothing() {
        let data = tempfile::tempdir().unwrap();
        let files = Files::new(data.path());
        let mut upload = files.create().await.unwrap();
        upload.write(b"hello ").await.unwrap();
        upload.write(&vec![b'x'; 200_000]).await.unwrap();
        let name = upload.keep().await.unwrap();
        assert_eq!(name.len(), 32);
        assert!(name.bytes().all(|b| b.is_ascii_hexdigit()));

        let mut read = Vec::new();
        let mut stream = std::pin::pin!(files.read(&name).await.unwrap());
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(read.len(), 200_006);
        assert!(read.starts_with(b"hello x"));

        let mut dropped = files.create().await.unwrap();
        dropped.write(b"<html>").await.unwrap();
        drop(dropped);
        let mut left = std::fs::read_dir(data.path().join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect::<Vec<_>>();
        left.sort();
        assert_eq!(left, [name], "only the kept file remains");
    }
}
