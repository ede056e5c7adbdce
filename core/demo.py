"""
Demo data steps. Each app registers its seeding function in its
AppConfig.ready(), so `seed_demo` (in enterprises) runs every app's step in
order without importing apps above it.

A step is called as step(ctx) where ctx is a dict shared by all steps:
ctx["rng"] (random.Random seeded from --seed), ctx["today"] (datetime.date),
and whatever earlier steps put there (ctx["enterprises"], ctx["users"], ...).
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    # A dotted path, imported when the demo is seeded: the demo modules (and
    # the factories they use) stay out of every process that only serves.
    path: str

    def run(self, ctx: dict) -> None:
        import_string(self.path)(ctx)


DEMO_STEPS: list[DemoStep] = []


def register_demo_step(order: int, name: str, path: str) -> None:
    """Run the function at `path` (e.g. "cases.demo.seed_cases") as step `order` of seed_demo."""
    if all(step.name != name for step in DEMO_STEPS):
        DEMO_STEPS.append(DemoStep(order, name, path))
        DEMO_STEPS.sort(key=lambda step: step.order)
