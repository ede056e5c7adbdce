from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("risk/_enterprise_panel.html")
def risk_panel(enterprise):
    """The enterprise's risk score, how each measured factor contributes, and its history."""
    score = selectors.latest_score(enterprise_id=enterprise.pk)
    return {
        "enterprise": enterprise,
        "score": score,
        "rows": selectors.factor_rows(score) if score else [],
        "history": selectors.score_history(enterprise_id=enterprise.pk) if score else [],
        "high": score.thresholds.get("high_from") if score else None,
        "low": score.thresholds.get("low_below") if score else None,
    }
