//! Declares the app's commands, so the capability file can grant exactly them.

/// Every command of `src/lib.rs`; the capability test checks this list against the capability file.
const COMMANDS: &[&str] = &[
    "current_district",
    "open_district",
    "new_district",
    "cancel_import",
    "create_sample_district",
    "save_district_as",
    "recent_files",
    "put_scenario",
    "delete_scenario",
    "rename_scenario",
    "undo",
    "redo",
    "compare_scenarios",
    "preview_comparison",
    "explain_figure",
    "scenario_assumptions",
    "set_fullscreen",
    "scenario_history",
    "publish_scenario",
    "scenario_versions",
    "diff_versions",
    "set_display_name",
    "choose_district_to_open",
    "choose_package_folder",
    "choose_where_to_save",
    "import_budget",
    "choose_import_file",
    "choose_export_path",
    "export_comparison",
    "board_packet",
    "export_package",
    "departments",
    "save_department_template",
    "review_department_draft",
    "accept_department_draft",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script");
}
