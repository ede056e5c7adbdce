"""What the explicit-label checker returns; the JSON form is a public interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..result import Finding

FOUND = "found"
MISSING = "missing"
INCONCLUSIVE = "inconclusive"
NOT_APPLICABLE = "not_applicable"
STATUSES = (FOUND, MISSING, INCONCLUSIVE, NOT_APPLICABLE)

TEXT, IMAGE, VIDEO, AUDIO = "text", "image", "video", "audio"
MODALITIES = (TEXT, IMAGE, VIDEO, AUDIO)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


@dataclass
class Mark:
    """One visible or audible label: a text prompt, the 短长短短 rhythm or speech.

    ``where`` is "start", "middle" or "end" in time or text, or the corner
    of an image ("top-left" … "bottom-right", "center"). ``box`` is the
    label's pixel box (x0, y0, x1, y1) in the image or frame.
    """

    kind: str
    text: str | None = None
    where: str | None = None
    height_ratio: float | None = None
    contrast: float | None = None
    start_s: float | None = None
    end_s: float | None = None
    box: tuple[int, int, int, int] | None = None
    conforming: bool = True

    def to_json_dict(self) -> dict[str, Any]:
        """Return the mark in the ``checklabels --explicit`` schema."""
        return {
            "kind": self.kind,
            "text": self.text,
            "where": self.where,
            "height_ratio": _round(self.height_ratio, 4),
            "contrast": _round(self.contrast, 2),
            "start_s": _round(self.start_s, 3),
            "end_s": _round(self.end_s, 3),
        }


@dataclass
class EvidenceFile:
    """A file an inspector can cite: a crop, a frame, a waveform or an excerpt."""

    name: str  # a short file name, unique within one result
    media_type: str  # "image/png", "audio/wav"
    caption: str  # English, machine text; the app shows its own words
    data: bytes = field(repr=False, default=b"")


@dataclass
class ExplicitResult:
    """Everything the explicit-label checker concluded about one sample."""

    modality: str | None
    status: str
    marks: list[Mark] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    evidence: list[EvidenceFile] = field(default_factory=list)
    reason: str | None = None
    elapsed_ms: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rules(self) -> list[str]:
        """Return the distinct rule ids of the findings, in order."""
        return list(dict.fromkeys(finding.rule for finding in self.findings))

    def to_json_dict(self) -> dict[str, Any]:
        """Return the ``explicit`` object of ``checklabels --json --explicit``."""
        return {
            "status": self.status,
            "modality": self.modality,
            "marks": [mark.to_json_dict() for mark in self.marks],
            "reason": self.reason,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }

    def to_record(self) -> dict[str, Any]:
        """Return the JSON stored on a sampled item (with findings and evidence names)."""
        return {
            **self.to_json_dict(),
            "marks": [
                {**mark.to_json_dict(), "box": list(mark.box) if mark.box else None,
                 "conforming": mark.conforming}
                for mark in self.marks
            ],
            "findings": [finding.to_record_dict() for finding in self.findings],
            "evidence": [
                {"name": item.name, "media_type": item.media_type, "caption": item.caption}
                for item in self.evidence
            ],
            "details": self.details,
        }
