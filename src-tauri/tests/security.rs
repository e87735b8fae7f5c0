//! The app's security policy, pinned: a loosened CSP or an extra permission fails here.

use serde_json::Value;

fn read(path: &str) -> Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))).expect("valid JSON")
}

/// The app's commands as build.rs declares them.
fn declared_commands() -> Vec<String> {
    let build = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/build.rs")).unwrap();
    let list = build.split("const COMMANDS").nth(1).unwrap().split("];").next().unwrap();
    list.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// `directive → sources` of the configured CSP.
fn csp() -> std::collections::BTreeMap<String, Vec<String>> {
    let conf = read("tauri.conf.json");
    let text = conf["app"]["security"]["csp"].as_str().expect("the CSP is one string in tauri.conf.json");
    text.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_string);
            (parts.next().unwrap(), parts.collect())
        })
        .collect()
}

#[test]
fn the_csp_allows_only_the_apps_own_files_and_its_ipc() {
    let expected: &[(&str, &[&str])] = &[
        ("default-src", &["'self'"]),
        ("script-src", &["'self'"]),
        ("style-src", &["'self'"]),
        ("img-src", &["'self'", "data:"]),
        ("font-src", &["'self'"]),
        ("connect-src", &["ipc:", "http://ipc.localhost"]),
        ("object-src", &["'none'"]),
        ("base-uri", &["'none'"]),
        ("form-action", &["'none'"]),
        ("frame-ancestors", &["'none'"]),
    ];
    let actual = csp();
    let expected: std::collections::BTreeMap<String, Vec<String>> =
        expected.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect();
    assert_eq!(actual, expected, "the CSP changed: no inline scripts, no eval, no remote hosts");
    for sources in actual.values() {
        for s in sources {
            assert!(!s.contains("unsafe") && !s.contains('*') && !s.starts_with("https:"), "{s} loosens the CSP");
        }
    }
}

#[test]
fn the_csp_is_not_disabled_or_modified_elsewhere() {
    let conf = read("tauri.conf.json");
    let security = &conf["app"]["security"];
    assert!(security.get("dangerousDisableAssetCspModification").is_none(), "Tauri must keep adding hashes for its own scripts");
    assert!(security.get("devCsp").is_none(), "one CSP for every build");
    assert!(conf["build"].get("devUrl").is_none(), "the UI is always the embedded ui/ folder, never a dev server");
    assert_eq!(conf["build"]["frontendDist"], "../ui");
    assert_eq!(security["capabilities"], serde_json::json!(["main"]), "one capability file, main");
}

#[test]
fn the_capability_grants_exactly_the_apps_commands_and_no_plugin_the_ui_could_call_directly() {
    let cap = read("capabilities/main.json");
    let mut granted: Vec<String> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().expect("plain permission names").to_string()).collect();
    granted.sort();
    let mut expected: Vec<String> = declared_commands().iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    // The file dialogs run inside the app's choose_* commands, so that a path reaches
    // a command only as a dialog returned it: the UI gets no dialog permission of its own.
    expected.sort();
    assert_eq!(granted, expected, "a permission was added or removed");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap.get("remote").is_none(), "no remote origin may call the app");
}

#[test]
fn no_other_capability_files_exist() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities");
    let files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(files, vec!["main.json".to_string()]);
}

#[test]
fn no_shell_http_or_fs_plugin_is_a_dependency() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    for plugin in ["tauri-plugin-shell", "tauri-plugin-http", "tauri-plugin-fs", "tauri-plugin-opener"] {
        assert!(!manifest.contains(plugin), "{plugin} must not be used");
    }
}

#[test]
fn the_ui_loads_nothing_from_the_network_and_builds_no_html_from_strings() {
    let ui = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui");
    let mut stack = vec![std::path::PathBuf::from(ui)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("vendor") {
                    stack.push(path);
                }
                continue;
            }
            let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
            if !["js", "html", "css"].contains(&ext) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for banned in ["http://", "https://", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                assert!(!text.contains(banned), "{} contains {banned}", path.display());
            }
            if ext == "js" && !path.ends_with("api.js") {
                assert!(!text.contains("__TAURI__") && !text.contains("invoke("), "{}: only ui/api.js talks to Tauri", path.display());
            }
        }
    }
}
