//! What ships (docs, README, sources, the example config) cites files by their place in
//! the project, never by a path on somebody's machine that a reader cannot open.

use std::path::{Path, PathBuf};

/// Prefixes of home and work directories on a development machine. Built at run time
/// so that this file does not match itself.
fn machine_prefixes() -> Vec<String> {
    ["work", "root", "home", "Users"]
        .iter()
        .map(|dir| format!("/{dir}/"))
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_shipped_file_names_a_path_on_a_development_machine() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md"), root.join("config.example.toml")];
    for dir in ["docs", "src"] {
        files_under(&root.join(dir), &mut files);
    }
    let prefixes = machine_prefixes();
    let mut found = Vec::new();
    for file in &files {
        // Binary files and snapshots of the simulator hold no citations.
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if prefixes.iter().any(|p| line.contains(p.as_str())) {
                let shown = file.strip_prefix(root).unwrap_or(file);
                found.push(format!("{}:{}: {line}", shown.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "machine paths:\n{}", found.join("\n"));
}
