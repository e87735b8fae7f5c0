//! The recently opened district files, most recent first, kept in a small JSON file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many files the list remembers.
pub const KEEP: usize = 8;

/// The list stored at `list`, without files that no longer exist; empty if unreadable.
pub fn load(list: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(list) else { return Vec::new() };
    let paths: Vec<PathBuf> = serde_json::from_str(&text).unwrap_or_default();
    paths.into_iter().filter(|p| p.exists()).collect()
}

/// Puts `opened` first in the list at `list` and writes it back.
pub fn remember(list: &Path, opened: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = load(list);
    paths.retain(|p| p != opened);
    paths.insert(0, opened.to_path_buf());
    paths.truncate(KEEP);
    let io = |e| Error::Io { path: list.to_path_buf(), source: e };
    if let Some(dir) = list.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let text = serde_json::to_string_pretty(&paths).map_err(|e| Error::Usage(e.to_string()))?;
    std::fs::write(list, text).map_err(io)?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remember_moves_a_file_to_the_front_once_and_drops_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("cfg/recent.json");
        let (a, b) = (dir.path().join("a.fulcrum"), dir.path().join("b.fulcrum"));
        std::fs::write(&a, "").unwrap();
        std::fs::write(&b, "").unwrap();
        remember(&list, &a).unwrap();
        remember(&list, &b).unwrap();
        assert_eq!(remember(&list, &a).unwrap(), vec![a.clone(), b.clone()], "a again goes first, listed once");
        std::fs::remove_file(&b).unwrap();
        assert_eq!(load(&list), vec![a], "a deleted file drops out");
    }
}
