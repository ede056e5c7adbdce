"""
An enterprise's timeline (registry page and portal): rectification reads
its own records, and higher apps add theirs through sources registered in
their AppConfig.ready(), as the demo steps do, so no app imports upward.

A source is called as source(viewer=..., enterprise_id=..., limit=...) and
returns TimelineEntry objects read through the source app's own selectors,
so they are scoped to the viewer like every other read.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class TimelineEntry:
    when: datetime.datetime
    kind: str  # escalation, report, extension, notice
    title: str
    detail: str
    url: str
    css: str = ""  # the tag's tone class (core.tones)


TimelineSource = Callable[..., Iterable[TimelineEntry]]
TIMELINE_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)
