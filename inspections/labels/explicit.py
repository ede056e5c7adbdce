"""Explicit labels in text samples (GB 45438 clause 5, rule EXP-03).

A text prompt must hold an "AI" or "人工智能" element and a "生成" or
"合成" element. Inspectors paste the start or end of a sample, so both
elements are looked for within the first or the last ~64 characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .result import Finding

WINDOW_CHARS = 64
# "AI" as its own token: not the tail of a Latin word such as "MAIL".
_AI_ELEMENT = re.compile(r"(?<![A-Za-z])AI|人工智能")
_SYNTHESIS_ELEMENT = re.compile(r"生成|合成")


@dataclass
class ExplicitTextResult:
    """Whether a text sample carries a conforming explicit label, and where."""

    passed: bool
    position: str | None  # "start", "end" or None
    findings: list[Finding] = field(default_factory=list)


def _has_both_elements(window: str) -> bool:
    return bool(_AI_ELEMENT.search(window) and _SYNTHESIS_ELEMENT.search(window))


def check_explicit_text(text: str) -> ExplicitTextResult:
    """Check a text sample for an explicit AIGC prompt at its start or end."""
    # NFKC folds full-width "ＡＩ" and compatibility forms to plain text.
    normalized = unicodedata.normalize("NFKC", text or "").strip()
    if _has_both_elements(normalized[:WINDOW_CHARS]):
        return ExplicitTextResult(True, "start")
    if _has_both_elements(normalized[-WINDOW_CHARS:]):
        return ExplicitTextResult(True, "end")
    if not normalized:
        message = "The text sample is empty, so no explicit label can be seen"
        kind = "text_empty"
    else:
        missing = []
        if not _AI_ELEMENT.search(normalized):
            missing.append('"AI" or "人工智能"')
        if not _SYNTHESIS_ELEMENT.search(normalized):
            missing.append('"生成" or "合成"')
        if missing:
            message = "The explicit label lacks " + " and ".join(missing)
            kind = ("lacks_both" if len(missing) == 2
                    else "lacks_ai" if missing[0].startswith('"AI"') else "lacks_synthesis")
        else:
            message = (
                "The AI and 生成/合成 elements are not together within the first "
                f"or last {WINDOW_CHARS} characters"
            )
            kind = "not_together"
    return ExplicitTextResult(
        False, None, [Finding("EXP-03", message, kind, {"window": WINDOW_CHARS})]
    )
