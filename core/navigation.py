"""
Sections of the staff navigation. Each app appends its own section here in
its AppConfig.ready(), so a section exists only once its pages exist.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise  # a lazy translation
    url_name: str
    order: int
    roles: frozenset | None = None  # None: every staff role
    # The roles that land on this section after logging in (their home).
    home_roles: frozenset = frozenset()


SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if all(s.key != section.key for s in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda s: s.order)


def home_section(role: str) -> Section | None:
    """The section a user of `role` starts from: their own home, else the first they may open."""
    for section in SECTIONS:
        if role in section.home_roles:
            return section
    for section in SECTIONS:
        if section.roles is None or role in section.roles:
            return section
    return None
