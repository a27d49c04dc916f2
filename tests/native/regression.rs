//! Regression tests: one test per bug found in this project's history, named after the bug.
