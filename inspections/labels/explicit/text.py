"""Explicit labels in text (GB 45438 clause 5.1; rules EXP-01 and EXP-03).

A text prompt must hold an AI element ("AI" or "人工智能") and a generation
element ("生成" or "合成"), and may stand at the start, at the end or in
the middle of the text. Both elements must be close together (one prompt,
not two words far apart), and, away from the start and end, the prompt
must look like one: in brackets, on a short line of its own, or with a
labelling word (由, 本, 此, 以上, 标识, 提示…), so that a sentence in the
body about "生成式人工智能" is not taken for a label. Full-width letters
are folded (NFKC); spaces, line breaks, punctuation and brackets between
the characters of an element are tolerated ("A.I.", "人 工 智 能").

No prompt at all is EXP-01; a prompt with only one element is EXP-03.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..result import Finding

WINDOW_CHARS = 64
MAX_GAP_CHARS = 16
MAX_PROMPT_CHARS = 40
SHORT_LINE_CHARS = 40
AI_ELEMENT = "ai"
SYNTHESIS_ELEMENT = "synthesis"

# Up to three separators (spaces, line breaks, punctuation, brackets)
# between the characters of one element.
_SEP = r"(?:[^\w]|_){0,3}"
# "AI" as its own Latin token ("MAIL" is not it), in either case, with dots
# or spaces between the letters; "AIGC" counts as well.
_AI = re.compile(
    r"(?<![A-Za-z])[Aa][.\s·・]{0,2}[Ii]\.?(?:GC|gc)?(?![A-Za-z])"
    rf"|人{_SEP}工{_SEP}智{_SEP}能"
)
_SYNTHESIS = re.compile(rf"生{_SEP}成|合{_SEP}成")
_CUE = re.compile(r"由|本|该|此|以上|以下|标识|提示|声明|注[:：]|AIGC|[Ll]abel")
_SEGMENT_BREAK = re.compile(r"[。！？!?；;\n]+")
_OPENING = "(（[【「『《〈<{"
_CLOSING = ")）]】」』》〉>}"


@dataclass
class ExplicitTextResult:
    """Whether a text carries a conforming explicit label, where and what it says.

    ``position`` is "start", "middle" or "end"; ``label`` the prompt as
    written; ``missing`` the elements a near-prompt lacks (EXP-03).
    """

    passed: bool
    position: str | None
    findings: list[Finding] = field(default_factory=list)
    label: str | None = None
    missing: tuple[str, ...] = ()
    empty: bool = False


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC) and unify line breaks."""
    folded = unicodedata.normalize("NFKC", text or "")
    return folded.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")


def _segment(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or line around ``start..end`` (bounded by breaks)."""
    left = max((m.end() for m in _SEGMENT_BREAK.finditer(text, 0, start)), default=0)
    following = _SEGMENT_BREAK.search(text, end)
    right = following.start() if following else len(text)
    return left, right


def _brackets(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the brackets around ``start..end`` on its line, if any."""
    base = max(0, start - MAX_PROMPT_CHARS)
    before = text[base:start]
    after = text[end : end + MAX_PROMPT_CHARS]
    opened = max(before.rfind(c) for c in _OPENING)
    closed_before = max(before.rfind(c) for c in _CLOSING)
    if opened < 0 or closed_before > opened or "\n" in before[opened:]:
        return None
    closing = [after.find(c) for c in _CLOSING if after.find(c) >= 0]
    if not closing or "\n" in after[: min(closing)]:
        return None
    return base + opened, end + min(closing) + 1


def _bracketed(text: str, start: int, end: int) -> bool:
    """True when ``start..end`` sits inside a pair of brackets on its line."""
    return _brackets(text, start, end) is not None


def _short_line(text: str, start: int, end: int) -> bool:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return len(text[left:right].strip()) <= SHORT_LINE_CHARS


def _position(text: str, start: int, end: int) -> str:
    length = len(text)
    if start < WINDOW_CHARS or end <= length * 0.2:
        return "start"
    if end > length - WINDOW_CHARS or start >= length * 0.8:
        return "end"
    return "middle"


def _looks_like_prompt(text: str, start: int, end: int) -> bool:
    """A prompt: at the start or end, bracketed, a short line, or with a cue word."""
    if start < WINDOW_CHARS or end > len(text) - WINDOW_CHARS:
        return True
    left, right = _segment(text, start, end)
    return (
        _bracketed(text, start, end)
        or _short_line(text, start, end)
        or bool(_CUE.search(text, left, right))
    )


def _excerpt(text: str, start: int, end: int) -> str:
    """The prompt as written: its brackets or sentence, trimmed to a readable length."""
    left, right = _brackets(text, start, end) or _segment(text, start, end)
    left = max(left, start - MAX_PROMPT_CHARS // 2)
    right = min(right, end + MAX_PROMPT_CHARS // 2)
    return " ".join(text[left:right].split())


def find_prompts(text: str) -> list[tuple[int, int]]:
    """Spans of prompts holding both elements close together, in order."""
    ai = [(m.start(), m.end()) for m in _AI.finditer(text)]
    synthesis = [(m.start(), m.end()) for m in _SYNTHESIS.finditer(text)]
    spans: list[tuple[int, int]] = []
    for a_start, a_end in ai:
        for s_start, s_end in synthesis:
            gap = max(s_start - a_end, a_start - s_end, 0)
            if gap <= MAX_GAP_CHARS:
                start, end = min(a_start, s_start), max(a_end, s_end)
                if _looks_like_prompt(text, start, end):
                    spans.append((start, end))
    return sorted(set(spans))


def _near_prompt(text: str) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """A short prompt-like segment holding only one of the two elements."""
    for pattern, missing in ((_AI, SYNTHESIS_ELEMENT), (_SYNTHESIS, AI_ELEMENT)):
        for match in pattern.finditer(text):
            left, right = (_brackets(text, match.start(), match.end())
                           or _segment(text, match.start(), match.end()))
            short = len(text[left:right].strip()) <= MAX_PROMPT_CHARS
            if short and _looks_like_prompt(text, match.start(), match.end()):
                return (match.start(), match.end()), (missing,)
    return None


_ELEMENT_NAMES = {AI_ELEMENT: '"AI" or "人工智能"', SYNTHESIS_ELEMENT: '"生成" or "合成"'}


def check_explicit_text(text: str) -> ExplicitTextResult:
    """Check a text for an explicit AIGC prompt at its start, middle or end."""
    normalized = normalize(text).strip()
    if not normalized:
        return ExplicitTextResult(
            False, None,
            [Finding("EXP-01", "The text is empty, so no explicit label can be seen",
                     "text_empty", {})],
            empty=True,
        )
    prompts = find_prompts(normalized)
    if prompts:
        # Prefer the start, then the end, then the middle.
        order = {"start": 0, "end": 1, "middle": 2}
        start, end = min(prompts, key=lambda span: (order[_position(normalized, *span)], span))
        return ExplicitTextResult(
            True, _position(normalized, start, end), label=_excerpt(normalized, start, end)
        )
    near = _near_prompt(normalized)
    if near is not None:
        (start, end), missing = near
        excerpt = _excerpt(normalized, start, end)
        names = " and ".join(_ELEMENT_NAMES[name] for name in missing)
        kind = "lacks_ai" if missing == (AI_ELEMENT,) else "lacks_synthesis"
        return ExplicitTextResult(
            False, _position(normalized, start, end),
            [Finding("EXP-03", f'The explicit label "{excerpt}" lacks {names}', kind,
                     {"label": excerpt})],
            label=excerpt, missing=missing,
        )
    return ExplicitTextResult(
        False, None,
        [Finding("EXP-01", 'No explicit label: no prompt with "AI"/"人工智能" and '
                           '"生成"/"合成" at the start, in the middle or at the end',
                 "no_text_label", {})],
    )


_OCR_AI = re.compile(r"(?<![A-Za-z])A[l1|Iі](?![A-Za-z])")


def ocr_elements(text: str) -> tuple[bool, bool, bool]:
    """For a line read by OCR: (has the AI element, has 生成/合成, both close together).

    OCR often reads "AI" as "Al" or "A1"; those are taken for "AI". On an
    image any line can be the prompt, so no labelling word is needed.
    """
    normalized = _OCR_AI.sub("AI", normalize(text))
    ai = [(m.start(), m.end()) for m in _AI.finditer(normalized)]
    synthesis = [(m.start(), m.end()) for m in _SYNTHESIS.finditer(normalized)]
    paired = any(
        max(s_start - a_end, a_start - s_end, 0) <= MAX_GAP_CHARS
        for a_start, a_end in ai
        for s_start, s_end in synthesis
    )
    return bool(ai), bool(synthesis), paired
