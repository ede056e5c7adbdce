from django import template

from core.tones import tone as tone_of

register = template.Library()


@register.filter
def tone(value, kind: str = "") -> str:
    """`{{ finding.status|tone }}`: the tone class of a state (core.tones)."""
    return tone_of(value, kind)
