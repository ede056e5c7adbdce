"""The AIGC provider code rule (TC260 PG-20252A), in one place.

A provider code is 27 characters: ``00`` (the format), a 20-character
subject code and a 5-character service extension. An organisation's
subject code is ``1`` (organisation) ``1`` (bound to its USCC) and the
18-character USCC; the extension starts with the service type, ``1`` for
a generation service, ``2`` for a dissemination service, or is ``00000``
when not used. The label checker applies this rule to the codes it reads
in labels (IMP-08) and the registry applies it to the codes enterprises
register, so a registered code is never one the checker cites.

Plain Python: the enterprise registry imports it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .uscc import uscc_is_valid

PROVIDER_CODE_SHAPE = re.compile(r"^00[0-9A-Z]{25}$")
SUBJECT_BOUND_TO_USCC = "11"
SERVICE_TYPES = "012"


@dataclass(frozen=True)
class ProviderCodeProblem:
    """One way a code breaks the rule: a kind (stable, for messages) and its values."""

    kind: str
    params: dict[str, str] = field(default_factory=dict)


def is_uscc_bound_code(code: str) -> bool:
    """True when ``code`` has the provider-code shape and binds an organisation's USCC."""
    return bool(PROVIDER_CODE_SHAPE.match(code or "")) and code[2:4] == SUBJECT_BOUND_TO_USCC


def embedded_uscc(code: str) -> str | None:
    """The USCC inside a code bound to one (characters 5 to 22), else None."""
    return code[4:22] if is_uscc_bound_code(code) else None


def provider_code_problems(code: str, *, expected_uscc: str | None = None) -> list[ProviderCodeProblem]:
    """
    Every way ``code`` breaks PG-20252A for an organisation bound to its
    USCC: ``shape`` (not 00 and 25 digits or capital letters),
    ``not_uscc_bound`` (characters 3-4 are not 11), ``uscc_check_character``
    (the embedded USCC fails GB 32100's check), ``uscc_not_enterprise``
    (it is not ``expected_uscc``, when given) and ``service_type``
    (character 23 is not 0, 1 or 2). An empty list is a good code.
    """
    code = code or ""
    if not PROVIDER_CODE_SHAPE.match(code):
        return [ProviderCodeProblem("shape", {"code": code})]
    if code[2:4] != SUBJECT_BOUND_TO_USCC:
        return [ProviderCodeProblem("not_uscc_bound", {"code": code, "value": code[2:4]})]
    problems = []
    embedded = code[4:22]
    if not uscc_is_valid(embedded):
        problems.append(ProviderCodeProblem("uscc_check_character", {"code": code, "embedded": embedded}))
    elif expected_uscc and embedded != expected_uscc:
        problems.append(ProviderCodeProblem(
            "uscc_not_enterprise", {"code": code, "embedded": embedded, "expected": expected_uscc}))
    if code[22] not in SERVICE_TYPES:
        problems.append(ProviderCodeProblem("service_type", {"code": code, "value": code[22]}))
    return problems
