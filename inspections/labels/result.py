"""Result types returned by the checker; the JSON form is a public interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMPLIANT = "compliant"
NONCOMPLIANT = "noncompliant"
NOT_FOUND = "not_found"
INCONCLUSIVE = "inconclusive"
VERDICTS = (COMPLIANT, NONCOMPLIANT, NOT_FOUND, INCONCLUSIVE)


@dataclass
class Site:
    """One place in the file that carries (or seems to carry) an AIGC label.

    ``standard`` is False for places GB 45438 and the TC260 guides do not
    name (IMP-06). ``parsed`` holds a value already decoded by the carrier
    (YAML front matter), and ``decode_error`` why the carrier could not
    decode it; otherwise ``raw`` is decoded as JSON.
    """

    location: str
    raw: str
    standard: bool = True
    parsed: dict[str, Any] | None = field(default=None, repr=False)
    decode_error: str | None = field(default=None, repr=False)

    def to_json_dict(self) -> dict[str, str]:
        """Return the site in the CLI's JSON schema."""
        return {"location": self.location, "raw": self.raw}


@dataclass
class Finding:
    """
    A rule the file breaks, with a message that names the site (English,
    the CLI's) and the same facts as a message kind and its parameters, so
    that an application can say it in its reader's language.
    """

    rule: str
    message: str
    kind: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, str]:
        """Return the finding in the CLI's JSON schema."""
        return {"rule": self.rule, "message": self.message}

    def to_record_dict(self) -> dict[str, Any]:
        """The CLI's fields plus the kind and parameters (stored by the application)."""
        return {**self.to_json_dict(), "kind": self.kind, "params": dict(self.params)}


@dataclass
class CheckResult:
    """Everything the checker concluded about one file."""

    path: str
    format: str | None
    verdict: str
    label: dict[str, Any] | None = None
    sites: list[Site] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    elapsed_ms: float = 0.0
    reason: str | None = None

    @property
    def rules(self) -> list[str]:
        """Return the distinct rule ids of the findings, in order."""
        return list(dict.fromkeys(finding.rule for finding in self.findings))

    def to_json_dict(self) -> dict[str, Any]:
        """Return exactly the keys of the ``checklabels --json`` schema."""
        return {
            "path": self.path,
            "format": self.format,
            "verdict": self.verdict,
            "label": self.label,
            "sites": [site.to_json_dict() for site in self.sites],
            "findings": [finding.to_json_dict() for finding in self.findings],
            "elapsed_ms": round(self.elapsed_ms, 3),
        }
