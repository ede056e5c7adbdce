"""Rules for GB 45438 implicit labels (Annex E) and the file's verdict.

Rule ids follow the IMP codes of the inspection taxonomy; the messages are
shown to inspectors and copied into findings.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from .provider_code import is_uscc_bound_code, provider_code_problems
from .result import (
    COMPLIANT,
    INCONCLUSIVE,
    NONCOMPLIANT,
    NOT_FOUND,
    Finding,
    Site,
)

RULES: dict[str, str] = {
    "IMP-01": "No implicit AIGC label in the file metadata",
    "IMP-02": "The label is not well-formed JSON of the Annex E shape",
    "IMP-03": "A required label field is missing or empty",
    "IMP-04": 'Label is not the string "1", "2" or "3"',
    "IMP-05": "A label field has characters outside the Annex E set",
    "IMP-06": "The label is in a non-standard place",
    "IMP-07": "Several labels in the file disagree",
    "IMP-08": "A provider code's embedded USCC is invalid or not the enterprise's",
}

LABEL_FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
REQUIRED_FIELDS = ("Label", "ContentProducer", "ProduceID")
LABEL_VALUES = ("1", "2", "3")
# GB 18030 single-byte printable, without space, '"' (0x22) and '\' (0x5C).
_ALLOWED_CHARS = frozenset([0x21, *range(0x23, 0x5C), *range(0x5D, 0x7F)])


class DuplicateKeyError(ValueError):
    """Raised by the strict JSON decoder when an object repeats a key."""

    key: str = ""


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            error = DuplicateKeyError(f"duplicate key {key!r}")
            error.key = key
            raise error
        result[key] = value
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON constant {name}")


def strict_json_loads(text: str) -> Any:
    """Decode JSON, refusing duplicate keys, NaN and Infinity."""
    return json.loads(
        text,
        object_pairs_hook=_reject_duplicate_keys,
        parse_constant=_reject_constant,
    )


@dataclass
class DecodedLabel:
    """The inner 7-field object of one site, or why it could not be had."""

    fields: dict[str, Any] | None
    error: str | None = None
    # The error as a message kind and parameters (see result.Finding).
    error_kind: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


def decode_label(site: Site) -> DecodedLabel:
    """Decode a site's value into the inner label object (bare or wrapped)."""
    if site.decode_error:
        return DecodedLabel(None, site.decode_error, "site_undecodable")
    if site.parsed is not None:
        value: Any = site.parsed
    else:
        text = site.raw.strip().strip("\x00")
        if text.startswith("{&quot;") or text.startswith("{&#"):
            text = html.unescape(text)
        try:
            value = strict_json_loads(text)
        except DuplicateKeyError as error:
            return DecodedLabel(None, f"invalid JSON: {error}", "duplicate_key",
                                {"key": str(getattr(error, "key", ""))})
        except (ValueError, RecursionError) as error:
            return DecodedLabel(None, f"invalid JSON: {str(error)[:120]}", "invalid_json")
    if isinstance(value, str):
        return DecodedLabel(None, *_double_encoding_error(value))
    if not isinstance(value, dict):
        return DecodedLabel(None, f"JSON {type(value).__name__}, not an object", "not_object",
                            {"type": type(value).__name__})
    if "AIGC" in value:
        if len(value) != 1:
            extra = sorted(key for key in value if key != "AIGC")
            return DecodedLabel(None, f"unexpected keys beside AIGC: {extra}", "keys_beside_aigc",
                                {"keys": extra})
        inner = value["AIGC"]
        if isinstance(inner, str):
            return DecodedLabel(None, *_double_encoding_error(inner))
        if not isinstance(inner, dict):
            return DecodedLabel(None, "AIGC holds a JSON " + type(inner).__name__, "not_object",
                                {"type": type(inner).__name__})
        value = inner
    unknown = sorted(key for key in value if key not in LABEL_FIELDS)
    if unknown:
        return DecodedLabel(value, f"unknown keys {unknown}", "unknown_keys", {"keys": unknown})
    return DecodedLabel(value)


def _double_encoding_error(text: str) -> tuple[str, str]:
    """Explain a JSON string value, naming double encoding when it is that (message, kind)."""
    try:
        strict_json_loads(text)
    except (ValueError, RecursionError):
        return "the label is a JSON string, not an object", "json_string"
    return "double-encoded JSON (a JSON object serialised inside a string)", "double_encoded"


def _charset_violations(value: str) -> str:
    """Return the distinct characters of ``value`` outside the Annex E set."""
    bad = dict.fromkeys(char for char in value if ord(char) not in _ALLOWED_CHARS)
    return "".join(bad)


# How each provider-code problem reads in the CLI (pages say it by kind).
_PROVIDER_CODE_TEXT = {
    "uscc_check_character": "{where}: {name} {code} embeds {embedded}, "
                            "which fails the USCC check character",
    "uscc_not_enterprise": "{where}: {name} {code} embeds USCC {embedded}, "
                           "not the enterprise's {expected}",
    "service_type": "{where}: {name} {code} has service type {value!r}, expected 0, 1 or 2",
}


def _check_provider_code(
    where: str, name: str, code: str, expected_uscc: str | None
) -> list[Finding]:
    """Check a 27-char provider code bound to a USCC (PG-20252A, one rule with the registry)."""
    if not is_uscc_bound_code(code):
        # A name ("doubao") or another kind of subject: the USCC rule does not reach it.
        return []
    expected = expected_uscc if name == "ContentProducer" else None
    return [
        Finding(
            "IMP-08",
            _PROVIDER_CODE_TEXT[problem.kind].format(where=where, name=name, **problem.params),
            problem.kind,
            {"where": where, "field": name, **problem.params},
        )
        for problem in provider_code_problems(code, expected_uscc=expected)
    ]


def validate_fields(
    where: str, fields: dict[str, Any], expected_uscc: str | None
) -> list[Finding]:
    """Apply IMP-03/04/05/08 to one decoded inner label object."""
    findings = []
    for name in REQUIRED_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            findings.append(Finding("IMP-03", f"{where}: {name} is missing or empty",
                                    "field_missing", {"where": where, "field": name}))
    label = fields.get("Label")
    if label is not None and not (isinstance(label, str) and label in LABEL_VALUES):
        findings.append(
            Finding(
                "IMP-04",
                f"{where}: Label is {json.dumps(label, ensure_ascii=False)}, "
                'expected the string "1", "2" or "3"',
                "label_value",
                {"where": where, "value": json.dumps(label, ensure_ascii=False)},
            )
        )
    for name in LABEL_FIELDS:
        value = fields.get(name)
        if value is None or name == "Label" and not isinstance(value, str):
            continue
        if not isinstance(value, str):
            findings.append(
                Finding(
                    "IMP-02",
                    f"{where}: {name} is a JSON {type(value).__name__}, not a string",
                    "field_not_string",
                    {"where": where, "field": name, "type": type(value).__name__},
                )
            )
            continue
        bad = _charset_violations(value)
        if bad:
            findings.append(
                Finding(
                    "IMP-05",
                    f"{where}: {name} has characters outside 0x21, 0x23-0x5B, "
                    f"0x5D-0x7E: {json.dumps(bad, ensure_ascii=False)}",
                    "charset",
                    {"where": where, "field": name, "chars": json.dumps(bad, ensure_ascii=False)},
                )
            )
    for name in ("ContentProducer", "ContentPropagator"):
        value = fields.get(name)
        if isinstance(value, str):
            findings.extend(_check_provider_code(where, name, value, expected_uscc))
    return findings


@dataclass
class Evaluation:
    """The outcome of the rules over all sites of one file."""

    verdict: str
    label: dict[str, Any] | None
    findings: list[Finding]


def evaluate_sites(
    sites: list[Site],
    *,
    expected_uscc: str | None = None,
    problems: list[str] | None = None,
) -> Evaluation:
    """Apply every rule to the sites and derive the file's verdict."""
    if not sites:
        if problems:
            return Evaluation(INCONCLUSIVE, None, [])
        return Evaluation(NOT_FOUND, None, [Finding("IMP-01", RULES["IMP-01"], "no_label")])
    findings: list[Finding] = []
    label: dict[str, Any] | None = None
    label_standard = False
    comparable: list[tuple[str, Any]] = []
    for site in sites:
        decoded = decode_label(site)
        if not site.standard:
            findings.append(
                Finding(
                    "IMP-06",
                    f"{site.location}: label found outside the places GB 45438 "
                    "and the TC260 guides name for this format",
                    "nonstandard_place",
                    {"where": site.location},
                )
            )
        if decoded.error:
            findings.append(Finding("IMP-02", f"{site.location}: {decoded.error}",
                                    decoded.error_kind,
                                    {"where": site.location, **decoded.error_params}))
        if decoded.fields is not None:
            findings.extend(
                validate_fields(site.location, decoded.fields, expected_uscc)
            )
            if label is None or (site.standard and not label_standard):
                label, label_standard = decoded.fields, site.standard
            comparable.append((site.location, decoded.fields))
        else:
            comparable.append((site.location, site.raw.strip()))
    distinct = {json.dumps(value, sort_keys=True) for _, value in comparable}
    where = ", ".join(location for location, _ in comparable)
    if len(distinct) > 1:
        findings.append(
            Finding("IMP-07", f"{len(distinct)} different labels at {where}",
                    "labels_differ", {"count": len(distinct), "where": where})
        )
    elif len(comparable) > 1:
        # GB 45438 6.1 c): one implicit label per file, so even identical
        # copies (XMP and EXIF, say) are duplicates.
        findings.append(
            Finding(
                "IMP-07",
                f"{len(comparable)} copies of the label at {where}; "
                "GB 45438 6.1 c) allows one implicit label per file",
                "label_copies",
                {"count": len(comparable), "where": where},
            )
        )
    if problems:
        return Evaluation(INCONCLUSIVE, label, findings)
    return Evaluation(NONCOMPLIANT if findings else COMPLIANT, label, findings)
