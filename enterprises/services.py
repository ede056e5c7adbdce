"""
Writes to the enterprise registry. Every path (forms, bulk import, demo data,
later the API) goes through these functions, so the rules live here once:
full_clean before save, provider codes agree with the USCC, one audit event
per changed object and none when nothing changed.

An enterprise is written as a *record*: its own fields plus, optionally, the
complete list of each kind of child object. A child list replaces what is
stored: children are matched by `id` when given (forms) or else by their
natural key (import), updated when different, created when new and deleted
when absent.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record, snapshot

from . import identifiers
from .models import (
    AlgorithmFiling,
    Contact,
    Enterprise,
    GenAIFiling,
    ProviderCode,
    Service,
)

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "district",
    "address",
    "legal_representative",
    "is_generation_provider",
    "is_dissemination_platform",
    "is_app_store",
    "is_technical_supporter",
    "user_agreement_url",
    "risk_tier",
    "risk_score",
    "status",
    "internal_notes",
)
RISK_SCORE_MAX = 100


@dataclass(frozen=True)
class ChildKind:
    """How one kind of child object is keyed and which fields it carries."""

    model: type[models.Model]
    fields: tuple[str, ...]
    key: str


CHILD_KINDS: dict[str, ChildKind] = {
    "services": ChildKind(
        Service,
        (
            "name",
            "kind",
            "url",
            "has_text",
            "has_image",
            "has_audio",
            "has_video",
            "has_virtual_scene",
            "monthly_aigc_volume",
        ),
        key="name",
    ),
    "algorithm_filings": ChildKind(
        AlgorithmFiling, ("number", "algorithm_name", "filed_on"), key="number"
    ),
    "genai_filings": ChildKind(
        GenAIFiling, ("kind", "number", "model_name", "filed_on"), key="number"
    ),
    "provider_codes": ChildKind(ProviderCode, ("code",), key="code"),
    "contacts": ChildKind(
        Contact, ("name", "title", "phone", "email", "is_primary"), key="name"
    ),
}

Children = Mapping[str, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class UpsertResult:
    enterprise: Enterprise
    created: bool
    changed: bool


def _label(obj: models.Model) -> str:
    return obj._meta.model_name or ""


def _enterprise_clean(enterprise: Enterprise) -> None:
    enterprise.full_clean()
    if enterprise.risk_score > RISK_SCORE_MAX:
        raise ValidationError(
            {"risk_score": _("The risk score runs from 0 to %(max)s.") % {"max": RISK_SCORE_MAX}}
        )


def _check_provider_codes(enterprise: Enterprise) -> None:
    """Refuse any provider code whose embedded USCC is not the enterprise's."""
    for code in ProviderCode.objects.filter(enterprise=enterprise).values_list("code", flat=True):
        embedded = identifiers.provider_code_embedded_uscc(code)
        if embedded != enterprise.uscc:
            raise ValidationError(
                {
                    "provider_codes": _(
                        "Provider code %(code)s embeds %(embedded)s, not the USCC %(uscc)s."
                    )
                    % {"code": code, "embedded": embedded or "-", "uscc": enterprise.uscc}
                }
            )


def _sync_children(
    *, enterprise: Enterprise, actor: User | None, kind_name: str, items: Sequence[Mapping[str, Any]], note: str
) -> int:
    """Make the stored children of one kind equal `items`; return changes made."""
    kind = CHILD_KINDS[kind_name]
    # Read from the database, not a prefetch cache that a form may have touched.
    existing = list(kind.model._default_manager.filter(enterprise=enterprise))
    by_id = {obj.pk: obj for obj in existing}
    unmatched = list(existing)
    pairs: list[tuple[models.Model | None, Mapping[str, Any]]] = []
    for item in items:
        if item.get("id"):
            obj = by_id.get(item["id"])
            if obj is None or obj not in unmatched:
                raise ValidationError(
                    {kind_name: _("That object does not belong to this enterprise.")}
                )
        else:
            # Prefer an identical child, then one with the same key.
            obj = next(
                (o for o in unmatched
                 if all(getattr(o, f) == item.get(f, getattr(o, f)) for f in kind.fields)),
                None,
            ) or next((o for o in unmatched if getattr(o, kind.key) == item.get(kind.key)), None)
        if obj is not None:
            unmatched.remove(obj)
        pairs.append((obj, item))

    changes = 0
    # Delete first, so that a removed child's unique number may be reused.
    for obj in unmatched:
        audit_record(
            actor=actor, action=f"{_label(obj)}.delete", obj=obj,
            before=snapshot(obj, list(kind.fields)), note=note,
        )
        try:
            obj.delete()
        except ProtectedError:
            raise ValidationError(
                {kind_name: _("%(object)s is still referenced elsewhere and cannot be removed.")
                 % {"object": obj}}
            )
        changes += 1
    for obj, item in pairs:
        if obj is None:
            obj = kind.model(enterprise=enterprise, **{f: item[f] for f in kind.fields if f in item})
            obj.full_clean()
            obj.save()
            audit_record(
                actor=actor, action=f"{_label(obj)}.create", obj=obj,
                after=snapshot(obj, list(kind.fields)), note=note,
            )
            changes += 1
            continue
        before = snapshot(obj, list(kind.fields))
        for field in kind.fields:
            if field in item:
                setattr(obj, field, item[field])
        obj.full_clean()
        after = snapshot(obj, list(kind.fields))
        if before != after:
            obj.save()
            audit_record(
                actor=actor, action=f"{_label(obj)}.update", obj=obj,
                before=before, after=after, note=note,
            )
            changes += 1
    return changes


def _apply_children(*, enterprise: Enterprise, actor: User | None, children: Children | None, note: str) -> int:
    changes = 0
    for kind_name, items in (children or {}).items():
        changes += _sync_children(
            enterprise=enterprise, actor=actor, kind_name=kind_name, items=items, note=note
        )
    _check_provider_codes(enterprise)
    return changes


@transaction.atomic
def enterprise_create(
    *, actor: User | None, fields: Mapping[str, Any], children: Children | None = None, note: str = ""
) -> Enterprise:
    """Create an enterprise with its child objects and audit every object."""
    enterprise = Enterprise(**{f: fields[f] for f in ENTERPRISE_FIELDS if f in fields})
    _enterprise_clean(enterprise)
    enterprise.save()
    audit_record(
        actor=actor, action="enterprise.create", obj=enterprise,
        after=snapshot(enterprise, list(ENTERPRISE_FIELDS)), enterprise_id=enterprise.pk,
        note=note,
    )
    _apply_children(enterprise=enterprise, actor=actor, children=children, note=note)
    return enterprise


def _enterprise_update(
    *, enterprise: Enterprise, actor: User | None, fields: Mapping[str, Any], children: Children | None,
    note: str,
) -> bool:
    # Compare with the stored row: a bound ModelForm may already have copied
    # the new values onto `enterprise`.
    stored = Enterprise.objects.get(pk=enterprise.pk)
    before = snapshot(stored, list(ENTERPRISE_FIELDS))
    for field in ENTERPRISE_FIELDS:
        if field in fields:
            setattr(enterprise, field, fields[field])
    _enterprise_clean(enterprise)
    after = snapshot(enterprise, list(ENTERPRISE_FIELDS))
    changed = before != after
    if changed:
        enterprise.save()
        audit_record(
            actor=actor, action="enterprise.update", obj=enterprise, before=before,
            after=after, enterprise_id=enterprise.pk, note=note,
        )
    changes = _apply_children(enterprise=enterprise, actor=actor, children=children, note=note)
    return changed or changes > 0


@transaction.atomic
def enterprise_update(
    *,
    enterprise: Enterprise,
    actor: User,
    fields: Mapping[str, Any],
    children: Children | None = None,
    note: str = "",
) -> Enterprise:
    """Change an enterprise and, when given, replace its child lists."""
    _enterprise_update(
        enterprise=enterprise, actor=actor, fields=fields, children=children, note=note
    )
    return enterprise


@transaction.atomic
def enterprise_upsert(
    *, actor: User | None, fields: Mapping[str, Any], children: Children | None = None, note: str = ""
) -> UpsertResult:
    """Create or update the enterprise with this USCC; change nothing if equal."""
    uscc = identifiers.normalize_uscc(fields["uscc"])
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        enterprise = enterprise_create(actor=actor, fields=fields, children=children, note=note)
        return UpsertResult(enterprise=enterprise, created=True, changed=True)
    changed = _enterprise_update(
        enterprise=enterprise, actor=actor, fields=fields, children=children, note=note
    )
    return UpsertResult(enterprise=enterprise, created=False, changed=changed)
