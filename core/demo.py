"""
Demo data steps. Each app registers its seeding function in its
AppConfig.ready(), so `seed_demo` (in enterprises) runs every app's step in
order without importing apps above it.

A step is called as step(ctx) where ctx is a dict shared by all steps:
ctx["rng"] (random.Random seeded from --seed), ctx["today"] (datetime.date),
and whatever earlier steps put there (ctx["enterprises"], ctx["users"], ...).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[dict], None]


DEMO_STEPS: list[DemoStep] = []


def register_demo_step(order: int, name: str, run: Callable[[dict], None]) -> None:
    if all(step.name != name for step in DEMO_STEPS):
        DEMO_STEPS.append(DemoStep(order, name, run))
        DEMO_STEPS.sort(key=lambda step: step.order)
