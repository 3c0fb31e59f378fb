//! # kco_validation
//!
//! Decides Klarna Checkout's validation callback for a WooCommerce shop. Klarna POSTs the whole order when the
//! shopper clicks "Place order"; the shop answers `200` to approve or `303 See Other` (or `400` with a JSON error)
//! to deny. This crate parses Klarna's order ([`klarna`]), reads a snapshot of the shop's state that the WordPress
//! plugin gathers ([`store`]), runs every check ([`checks`]) and returns a [`Verdict`] with every failure and the
//! exact HTTP answer ([`verdict`]).
//!
//! Only [`php`] (behind the default `php` feature) touches PHP: everything else is plain Rust, so
//! `cargo test --no-default-features` runs on a machine without PHP.
//!
//! ```
//! let body = std::fs::read("examples/order.json").unwrap();
//! let store = std::fs::read_to_string("examples/store.json").unwrap();
//! let order = kco_validation::parse_order(&body).unwrap();
//! let store = kco_validation::Store::from_json(&store).unwrap();
//! let verdict = kco_validation::validate(&order, &store).unwrap();
//! assert_eq!(verdict.response.status, 200);
//! ```

pub mod answer;
pub mod checks;
pub mod klarna;
pub mod money;
pub mod store;
pub mod verdict;

#[cfg(feature = "php")]
pub mod php;

pub use checks::validate;
pub use klarna::{parse_order, Order, PayloadError};
pub use store::{SnapshotError, Store};
pub use verdict::{Code, Failure, Verdict};
