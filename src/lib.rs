//! csdeck: a keyboard-driven terminal dashboard over a CSM's book of business in one SQLite file.
//!
//! Layers, kept apart: `domain` (pure types and rules), `storage` (all SQL), `state` (the
//! dashboard's state and update function), `views` (ratatui drawing), `app` (the terminal loop)
//! and `cli` (subcommands).

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod keymap;
pub mod state;
pub mod storage;
pub mod views;
