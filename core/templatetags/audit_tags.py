"""
Template helpers for rendering audit events (core/_audit_history.html, the
audit log): the object's and fields' names as the models call them, and
the stored values as people read them. Events store raw JSON (field names,
ISO timestamps in UTC, booleans); nothing here changes what is stored.
"""

import datetime
import re

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User

register = template.Library()

# The verbs of audit actions ("notice.issue" → 签发), in their own context so
# that they never borrow another string's translation. Actions not listed
# here are shown with their underscores as spaces.
VERBS = {
    "create": pgettext_lazy("audit action", "created"),
    "update": pgettext_lazy("audit action", "changed"),
    "edit": pgettext_lazy("audit action", "edited"),
    "delete": pgettext_lazy("audit action", "removed"),
    "remove": pgettext_lazy("audit action", "removed"),
    "add": pgettext_lazy("audit action", "added"),
    "draft": pgettext_lazy("audit action", "drafted"),
    "approve": pgettext_lazy("audit action", "approved"),
    "approved": pgettext_lazy("audit action", "approved"),
    "return": pgettext_lazy("audit action", "returned to draft"),
    "issue": pgettext_lazy("audit action", "issued"),
    "serve": pgettext_lazy("audit action", "served"),
    "acknowledge": pgettext_lazy("audit action", "acknowledged"),
    "submitted": pgettext_lazy("audit action", "submitted"),
    "submit": pgettext_lazy("audit action", "submitted for approval"),
    "withdrawn": pgettext_lazy("audit action", "withdrawn"),
    "closed": pgettext_lazy("audit action", "closed"),
    "overdue": pgettext_lazy("audit action", "turned overdue"),
    "deadline": pgettext_lazy("audit action", "deadline set"),
    "checks": pgettext_lazy("audit action", "checks recorded"),
    "label_check": pgettext_lazy("audit action", "label checked"),
    "labels_recheck": pgettext_lazy("audit action", "labels re-checked"),
    "produce_id_check": pgettext_lazy("audit action", "ProduceID compared"),
    "team_add": pgettext_lazy("audit action", "officers added to the team"),
    "results_publish": pgettext_lazy("audit action", "results published"),
    "results_withdraw": pgettext_lazy("audit action", "results withdrawn"),
    "draw": pgettext_lazy("audit action", "drawn"),
    "verify": pgettext_lazy("audit action", "verified"),
    "assign": pgettext_lazy("audit action", "assigned"),
    "link": pgettext_lazy("audit action", "linked to an enterprise"),
    "merge": pgettext_lazy("audit action", "merged"),
    "convert": pgettext_lazy("audit action", "converted"),
    "risk": pgettext_lazy("audit action", "risk ranking recomputed"),
    "recompute": pgettext_lazy("audit action", "recomputed"),
    "start": pgettext_lazy("audit action", "started"),
    "batch_start": pgettext_lazy("audit action", "batch started"),
    "batch_resume": pgettext_lazy("audit action", "batch resumed"),
    "batch_done": pgettext_lazy("audit action", "batch done"),
    "launch": pgettext_lazy("audit action", "launched"),
    "remind": pgettext_lazy("audit action", "reminders sent"),
    "reminded": pgettext_lazy("audit action", "reminded"),
    "comment": pgettext_lazy("audit action", "commented"),
    "contradiction": pgettext_lazy("audit action", "contradiction found"),
    "reply_reminder": pgettext_lazy("audit action", "reply reminder sent"),
    "read": pgettext_lazy("audit action", "opened"),
    "served": pgettext_lazy("audit action", "served"),
    "confirmed": pgettext_lazy("audit action", "confirmed"),
    "decided": pgettext_lazy("audit action", "decided"),
    "preserved": pgettext_lazy("audit action", "registered for preservation"),
    "party": pgettext_lazy("audit action", "party's response recorded"),
    "record": pgettext_lazy("audit action", "service recorded"),
    "consent": pgettext_lazy("audit action", "consent given"),
    "consent_withdraw": pgettext_lazy("audit action", "consent withdrawn"),
    "prior_notice_served": pgettext_lazy("audit action", "prior notice served"),
}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
MAX_TEXT = 160
EMPTY = "—"
# Stored for the machine (bookkeeping, hashes of internals, keys that repeat
# the object itself): never shown as a change.
HIDDEN_KEYS = frozenset({"id", "pk", "created_at", "updated_at", "enterprise", "enterprise_id",
                         "search_text", "stem", "storage_name"})
# Notes that mark where a row came from for the machine, not a person's words.
HIDDEN_NOTES = frozenset({"seed_demo"})


def _model(event):
    try:
        return apps.get_model(event.object_type) if "." in event.object_type else None
    except LookupError:
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key.removesuffix("_id"))
    except FieldDoesNotExist:
        return None


def _choice_label(model, value) -> str | None:
    """The label of `value` among the choices of any of the model's fields (a status, a kind)."""
    if model is None or not isinstance(value, str):
        return None
    for field in model._meta.get_fields():
        for choice, label in getattr(field, "choices", None) or ():
            if choice == value:
                return str(label)
    return None


# Keys some events store beside the model's fields (counts, summaries).
EXTRA_KEYS = {
    "issue_code": pgettext_lazy("audit field", "issue code"),
    "declared_at": pgettext_lazy("audit field", "declared at"),
    "weights": pgettext_lazy("audit field", "weights"),
    "enterprises": pgettext_lazy("audit field", "enterprises"),
    "team": pgettext_lazy("audit field", "team"),
    "officers": pgettext_lazy("audit field", "officers"),
    "ip": pgettext_lazy("audit field", "IP address"),
    "files": pgettext_lazy("audit field", "files"),
    "outcomes": pgettext_lazy("audit field", "outcomes"),
    "recipients": pgettext_lazy("audit field", "recipients"),
    "findings": pgettext_lazy("audit field", "findings"),
    "named": pgettext_lazy("audit field", "named enterprises"),
    "checks": pgettext_lazy("audit field", "checks"),
    "draw": pgettext_lazy("audit field", "draw"),
    "entries": pgettext_lazy("audit field", "entries"),
    "inspections": pgettext_lazy("audit field", "inspections"),
}


def _field_label(model, key: str) -> str:
    try:
        field = model._meta.get_field(key.removesuffix("_id")) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    if field is not None:
        # A reverse relation (a campaign's "inspections") is named by the model it reaches.
        return str(field.related_model._meta.verbose_name_plural)
    return str(EXTRA_KEYS.get(key, key))


# Words for the keys of mappings stored in the events of one model (a
# ranking's weights by factor, a campaign's published counts by outcome),
# registered by the apps that know them (in their AppConfig.ready()). By
# model, since one key means different things in two models ("overdue").
VALUE_KEYS: dict[str, dict] = {}


def register_value_keys(model_label: str, labels) -> None:
    """In events of `model_label` ("app.model"), show these keys of stored mappings as their labels."""
    VALUE_KEYS.setdefault(model_label, {}).update(dict(labels))


def display_value(value, keys: dict | None = None) -> str:
    """A stored value as text: local times, yes/no, lists and mappings spelled out."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict):
        keys = keys or {}
        return "; ".join(f"{keys.get(key, key)}: {display_value(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(display_value(item) for item in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _person(user: User) -> str:
    return user.get_full_name() or user.username


# Keys that list people by user id, whatever the model calls its own relation
# (a case's "team" is its CaseOfficer rows; the event stores the officers' ids).
PEOPLE_KEYS = frozenset({"team", "officers"})


def _names_people(field, key: str, value) -> bool:
    """Whether `value` lists people by user id (a team, the officers of a record)."""
    if not isinstance(value, list) or not value or not all(isinstance(v, int) for v in value):
        return False
    return bool(getattr(field, "many_to_many", False) and field.related_model is User) or key in PEOPLE_KEYS


def _names_object(field, value) -> bool:
    """Whether `value` is the stored id of the object a foreign key points to."""
    return (getattr(field, "related_model", None) is not None and bool(getattr(field, "many_to_one", False))
            and isinstance(value, int))


def _name(obj) -> str:
    return _person(obj) if hasattr(obj, "get_full_name") else str(obj)


def prime_names(events) -> None:
    """
    Read, in one query per model, the people and objects that `events`'
    stored ids point to, and give every event the lookup (audit_changes
    reads it): a page of the trail, or a chunk of its export, then costs a
    few queries instead of one per value shown.
    """
    wanted: dict = {}
    for event in events:
        model = _model(event)
        for key, value in [*(event.before or {}).items(), *(event.after or {}).items()]:
            if key in HIDDEN_KEYS:
                continue
            field = _field(model, key)
            if _names_people(field, key, value):
                wanted.setdefault(User, set()).update(value)
            elif _names_object(field, value):
                wanted.setdefault(field.related_model, set()).add(value)
    # select_related(): a name often reads the object's own relations (an
    # inspection is named by its enterprise), which would be one query each.
    names = {(related, obj.pk): _name(obj) for related, ids in wanted.items()
             for obj in related._default_manager.select_related().filter(pk__in=ids)}
    for event in events:
        event.audit_names = names


def _lookup(event, related, pk: int) -> str | None:
    names = getattr(event, "audit_names", None)
    if names is not None:
        return names.get((related, pk))
    obj = related._default_manager.filter(pk=pk).first()
    return _name(obj) if obj is not None else None


def _people(event, field, key: str, value) -> str | None:
    """People listed by id (a team, the officers of a record), by full name."""
    if not _names_people(field, key, value):
        return None
    return ", ".join(_lookup(event, User, pk) or str(pk) for pk in value)


def _related_name(event, field, value) -> str | None:
    """The name of the object a foreign key's stored id points to (a person by full name)."""
    if not _names_object(field, value):
        return None
    return _lookup(event, field.related_model, value)


@register.filter
def audit_changes(event) -> list[tuple[str, str | None, str]]:
    """
    (field, before, after) of one audit event, named and written for people:
    field labels, choice labels, people and objects by name, "—" for empty;
    internal keys left out. Before is None when absent.
    """
    model = _model(event)
    before, after = event.before or {}, event.after or {}
    keys = [k for k in list(after) + [k for k in before if k not in after] if k not in HIDDEN_KEYS]

    def shown(key, value):
        field = _field(model, key)
        choices = dict(getattr(field, "choices", None) or ())
        if isinstance(value, str) and value in choices:
            return str(choices[value])
        return (_people(event, field, key, value) or _related_name(event, field, value)
                or display_value(value, VALUE_KEYS.get(event.object_type)))

    return [(_field_label(model, key), shown(key, before[key]) if key in before else None,
             shown(key, after.get(key))) for key in keys]


@register.filter
def audit_note(event) -> str:
    """The event's note, unless it is a marker for the machine (the demo's)."""
    return "" if event.note in HIDDEN_NOTES else event.note


@register.filter
def person(user: User | None) -> str:
    """A person by full name (login names are for logging in, not for reading)."""
    return _person(user) if user is not None else ""


@register.filter
def audit_action(event) -> str:
    """"Notice · issued" for "notice.issue" on a reports.notice; the verb is the last part
    ("case.document.served" → 案件文书 · 送达)."""
    model = _model(event)
    subject, _dot, verb = event.action.rpartition(".")
    if not subject:
        subject, verb = verb, ""
    name = str(model._meta.verbose_name) if model is not None else subject
    verb_text = (str(VERBS[verb]) if verb in VERBS
                 else _choice_label(model, verb) or verb.replace("_", " "))
    return f"{name} · {verb_text}" if verb else name
