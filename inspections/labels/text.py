"""Text and Markdown: YAML front matter key ``AIGC`` with the 7 fields.

There is no YAML dependency: the front matter is read with a small parser
that handles the two shapes seen in practice, an inline JSON object
(``AIGC: {"Label":"1",...}``) and an indented block of ``Key: value``
lines. Plain YAML scalars keep YAML's typing, so ``Label: 1`` is a number.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .evidence import Evidence, extract_json_object, looks_like_label
from .source import BoundedReader

MAX_FRONT_MATTER = 64 * 1024
MAX_TEXT_SCAN = 256 * 1024
_KEY_LINE = re.compile(r"^(\s*)([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*$")
_YAML_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")


def _yaml_scalar(text: str) -> Any:
    """Decode a YAML scalar: quoted strings, numbers, booleans, plain text."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return json.loads(text)
        except ValueError:
            return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if " #" in text:
        text = text.split(" #", 1)[0].rstrip()
    if _YAML_INT.match(text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    return text


def parse_front_matter(evidence: Evidence, text: str) -> bool:
    """Record the AIGC entry of YAML front matter; return True if present."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return False
    block: list[str] = []
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            break
        block.append(line)
    else:
        evidence.add_warning("text: front matter is not closed")
    for index, line in enumerate(block):
        match = _KEY_LINE.match(line)
        if not match or match.group(1) or match.group(2) != "AIGC":
            continue
        inline = match.group(3)
        if inline:
            value = _yaml_scalar(inline) if inline[0] in "\"'" else inline
            evidence.add_site("text:front-matter:AIGC", str(value))
            return True
        fields: dict[str, Any] = {}
        raw_lines = [line]
        for child in block[index + 1 :]:
            child_match = _KEY_LINE.match(child)
            if not child_match or not child_match.group(1):
                break
            raw_lines.append(child)
            key = child_match.group(2)
            if key in fields:
                evidence.add_site(
                    "text:front-matter:AIGC",
                    "\n".join(raw_lines),
                    decode_error=f"duplicate key {key!r} in front matter",
                )
                return True
            fields[key] = _yaml_scalar(child_match.group(3))
        evidence.add_site("text:front-matter:AIGC", "\n".join(raw_lines), parsed=fields)
        return True
    return False


def parse_text(evidence: Evidence, reader: BoundedReader) -> None:
    """Collect label sites from Markdown front matter or free text."""
    evidence.format = "text"
    head = reader.read_upto(0, MAX_TEXT_SCAN).decode("utf-8", errors="replace")
    head = head.lstrip("\ufeff")
    if head.startswith("---"):
        evidence.format = "markdown"
        if parse_front_matter(evidence, head[:MAX_FRONT_MATTER]):
            return
    if looks_like_label(head):
        # A label pasted into the body is not a metadata label (IMP-06).
        blob = extract_json_object(head)
        if blob:
            evidence.add_site("text:body", blob, standard=False)
