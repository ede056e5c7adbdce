"""Template helpers for rendering audit events (core/_audit_history.html)."""

from django import template

register = template.Library()


@register.filter
def audit_changes(event) -> list[tuple[str, object, object]]:
    """Return (field, before, after) triples of one audit event."""
    before, after = event.before or {}, event.after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [(key, before.get(key), after.get(key)) for key in keys]
