"""Demo data: the ranking computed once from what the demo recorded (the nightly task does it later)."""


def seed_risk(ctx: dict) -> None:
    from .services import risk_recompute

    risk_recompute()
