//! Synthetic district packages (placeholder, being written).
