"""
The provisions a notice cites: each finding's issue code resolved at the
date of its conduct (legal.law), binding provisions as violated, guides
only as technical references (参照).
"""

import re

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from inspections.record import conduct_days
from legal.citations import join_citations
from legal.law import Basis, bases_at


def _clause_key(clause: str) -> tuple:
    if clause.startswith("附录"):
        return (999, clause)
    numbers = tuple(int(n) for n in re.findall(r"\d+", clause))
    return numbers or (998,)


def _ordered(provisions: list) -> list:
    """Each provision once, grouped by document in order of first mention, then by number."""
    first: dict[int, int] = {}
    unique: dict[int, object] = {}
    for provision in provisions:
        first.setdefault(provision.document_id, len(first))
        unique.setdefault(provision.pk, provision)
    return sorted(unique.values(), key=lambda p: (
        first[p.document_id], p.article or 0, p.paragraph or 0, p.item or 0, _clause_key(p.clause),
        p.topic))


def notice_bases(findings) -> dict[int, Basis]:
    """Each finding's basis at the date of its conduct (evidence, inspection and items loaded)."""
    days = conduct_days(findings)
    bases = bases_at(pairs=[(f.issue_code_id, days[f.pk]) for f in findings])
    return {f.pk: bases[(f.issue_code_id, days[f.pk])] for f in findings}


def refuse_unorderable(bases: dict[int, Basis]) -> None:
    """A finding whose conduct no binding provision in force covered cannot be ordered."""
    problems = list(dict.fromkeys(b.refusal() for b in bases.values() if not b.can_order))
    if problems:
        raise ApplicationError(
            _("These findings cannot go into a rectification notice: %s") % " ".join(problems))


def _with_rule(citations: str) -> str:
    """“…第五条的规定”; a list ending in a topic citation (“关于…的规定”) says it once."""
    return citations if citations.endswith("的规定") else f"{citations}的规定"


def violations_text(bases: dict[int, Basis]) -> tuple[str, list]:
    """The “上述行为违反了…的规定” paragraph and the provisions it cites."""
    violated = _ordered([p for b in bases.values() for p in b.violated])
    references = _ordered([p for b in bases.values() for p in b.references])
    text = f"上述行为违反了{_with_rule(join_citations(violated))}。"
    if references:
        text += f"相关技术要求参照{join_citations(references)}。"
    return text, violated + references
