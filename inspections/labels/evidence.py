"""What the container parsers collect: label sites, information, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .result import Site

MAX_SITES = 64
MAX_RAW_CHARS = 64 * 1024


def looks_like_label(text: str) -> bool:
    """Return True if a free-form value seems to hold a GB 45438 label."""
    if "AIGC" in text:
        return True
    return "Label" in text and ("ContentProducer" in text or "ProduceID" in text)


def extract_json_object(text: str) -> str | None:
    """Return the first balanced ``{...}`` in free text, e.g. ``AIGC{...}``.

    Quotes and escapes are honoured so braces inside strings do not count.
    """
    anchor = text.find("AIGC")
    start = text.find("{", max(anchor - 2, 0)) if anchor >= 0 else text.find("{")
    if start < 0:
        return None
    depth = 0
    in_string = escaped = False
    for index in range(start, min(len(text), start + MAX_RAW_CHARS)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return None


@dataclass
class Evidence:
    """Accumulate label sites and side information while a file is walked."""

    deadline: float
    sites: list[Site] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    # Problems that stop a firm verdict without aborting the walk.
    problems: list[str] = field(default_factory=list)
    format: str | None = None

    def add_site(
        self,
        location: str,
        raw: str,
        *,
        standard: bool = True,
        parsed: dict[str, Any] | None = None,
        decode_error: str | None = None,
    ) -> None:
        """Record a label site, keeping the count and each value bounded."""
        if len(self.sites) >= MAX_SITES:
            self.add_problem(f"more than {MAX_SITES} label sites")
            return
        if len(raw) > MAX_RAW_CHARS:
            raw = raw[:MAX_RAW_CHARS]
        self.sites.append(Site(location, raw, standard, parsed, decode_error))

    def add_problem(self, reason: str) -> None:
        """Record a reason the verdict cannot be firm (kept once)."""
        if reason not in self.problems:
            self.problems.append(reason)

    def add_warning(self, message: str) -> None:
        """Record a harmless oddity for the information block."""
        warnings = self.info.setdefault("warnings", [])
        if message not in warnings and len(warnings) < 20:
            warnings.append(message)

    def add_text_candidate(self, location: str, text: str) -> None:
        """Record a free-form text value as a non-standard site if labelled.

        The value must hold a JSON object or label field names; a bare
        mention of "AIGC" (a namespace URI, a title) is not a label.
        """
        if not looks_like_label(text):
            return
        text = text.strip("\x00 \r\n\t")
        if not text.startswith("{"):
            blob = extract_json_object(text)
            if blob is None and "Label" not in text:
                return
            text = blob or text
        self.add_site(location, text, standard=False)

    def add_xmp(self, packet: bytes, location: str) -> None:
        """Parse an XMP packet and record its TC260 sites and information."""
        from .xmp import collect_xmp  # xmp imports this module

        collect_xmp(self, packet, location)
