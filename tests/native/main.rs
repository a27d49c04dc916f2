//! The native integration tests, one test binary with a module per area (it links once).
//!
//! Run them all with `cargo test --test native`, one area with `cargo test --test native cli::`.
//! `regression` holds one test per bug found in this project's history, named after the bug.
//! The browser tests (`tests/web_*.rs`, wasm32 only) are separate binaries run in Chromium.

mod common;

mod aliyun_outcomes;
mod aliyun_props;
mod aliyun_rules;
mod aliyun_trace;
mod cli;
mod cloudtrail;
mod compare;
mod conformance;
mod crypto_vectors;
mod describe_filters;
mod diagram_layout;
mod diagram_waits;
mod embed_docs;
mod exam;
mod fidelity;
mod key_trouble;
mod outcomes;
mod policy;
mod predict;
mod properties;
mod rds_encryption;
mod regression;
mod runner;
mod runner_docs;
mod s3_encryption;
mod scenarios;
mod seeds;
mod sts_assume_role;
mod tags;
