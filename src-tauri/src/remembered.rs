//! The remembered login: the server's URL and the user name, kept in
//! `login.json` in the app's data dir after each successful login and offered
//! on the next start. Never the password.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What the login form is filled with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The server's base URL.
    pub server: String,
    /// The user name.
    pub username: String,
}

/// The file in `data_dir`.
pub fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("login.json")
}

/// What was remembered, if anything readable was.
pub fn load(data_dir: &Path) -> Option<Remembered> {
    let text = std::fs::read(file(data_dir)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Remembers `login` (creating the data dir if needed).
pub fn save(data_dir: &Path, login: &Remembered) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let json = serde_json::to_vec_pretty(login).map_err(std::io::Error::other)?;
    std::fs::write(file(data_dir), json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_login_comes_back_without_any_password() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data");
        assert_eq!(load(&dir), None);
        let login = Remembered {
            server: "http://127.0.0.1:8080".into(),
            username: "ada".into(),
        };
        save(&dir, &login).unwrap();
        assert_eq!(load(&dir), Some(login));
        let text = std::fs::read_to_string(file(&dir)).unwrap();
        assert!(!text.contains("password"), "{text}");
    }
}
