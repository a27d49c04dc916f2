//! Tests of the form logic.
