//! The calls the diagram and its text alternative draw: the trace with each wait line folded
//! into one mark (`crate::diagram::fold_waits`), or the whole trace when "show polling" is on.

use super::Ctx;
use crate::diagram::fold_waits;
use crate::model::trace::Call;
use leptos::prelude::*;
use std::borrow::Cow;

/// The folded calls when folding changes anything and polling is hidden; `None` draws the
/// session's trace as it is (no copy).
#[derive(Clone, Copy)]
pub struct Drawn(Memo<Option<Vec<Call>>>);

impl Drawn {
    /// The memo over `ctx.session` and `ctx.show_polling`.
    pub fn new(ctx: Ctx) -> Drawn {
        Drawn(Memo::new(move |_| {
            let raw = ctx.show_polling.get();
            ctx.session
                .with(|s| match fold_waits(s.calls(), s.entries()) {
                    Cow::Owned(v) if !raw => Some(v),
                    _ => None,
                })
        }))
    }

    /// Runs `f` over the drawn calls (tracked).
    pub fn with<R>(self, ctx: Ctx, f: impl FnOnce(&[Call]) -> R) -> R {
        self.0.with(|o| match o {
            Some(v) => f(v),
            None => ctx.session.with(|s| f(s.calls())),
        })
    }

    /// Runs `f` over the drawn calls without tracking.
    pub fn with_untracked<R>(self, ctx: Ctx, f: impl FnOnce(&[Call]) -> R) -> R {
        untrack(|| self.with(ctx, f))
    }
}
