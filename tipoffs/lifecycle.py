"""The tip-off lifecycle: one transition table, checked by core.lifecycle.check_transition."""

from .models import TipStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.UNDER_REVIEW, S.INVALID, S.MERGED, S.CLOSED},
    S.UNDER_REVIEW: {S.VALID, S.INVALID, S.MERGED},
    S.VALID: {S.CONVERTED, S.CLOSED},
    S.CONVERTED: {S.CLOSED},
    S.INVALID: {S.CLOSED},
    S.MERGED: set(),
    S.CLOSED: set(),
}
# Decisions that must say why.
NEEDS_REASON = {S.VALID, S.INVALID, S.MERGED, S.CLOSED}
CONCLUDED = {S.INVALID, S.CLOSED, S.MERGED}

