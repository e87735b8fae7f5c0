// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// `fulcrum-desktop [FILE.fulcrum]`: opens the app, on FILE when one is given.
fn main() {
    let file = std::env::args_os().nth(1).map(std::path::PathBuf::from);
    fulcrum_desktop::run(file);
}
