"""
The fuzz walk: every URL pattern (Django's own admin aside), as each role,
with hostile values in the path, the query string and the form fields.
Whatever is sent, the answer is never a server error.
"""

import re
import traceback
from collections import Counter

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from inspections.models import ItemCheck
from rectification import services as rectification_services
from tests.factories import CampaignFactory, EnterpriseUserFactory, SampledItemFactory, UserFactory
from tests.inspections.factories import make_frame, make_plan
from tests.otp import force_login_verified
from tests.rectification.factories import notified_finding, png
from tests.reports.factories import make_notice

HOSTILE = [
    "99999999999999999999", "-1", "\x00", "a\x00b", "\x1b[31m", "😀🇨🇳", "\u202e\u200fabc",
    "x" * 10_000, "2026-02-30", "99999-99-99", "1e309", "' OR 1=1 --", "<script>x</script>",
    "../../etc/passwd", "%", "",
]
# Path values for `int` slots: all digits, or the resolver already answers 404.
HOSTILE_INTS = ["99999999999999999999", "9223372036854775808", "0"]
# Query-string names sent to every page besides those of its own forms.
COMMON_KEYS = ["q", "page", "status", "campaign", "enterprise", "date_from", "date_to",
               "year", "sort", "next", "kind", "code", "fmt", "per_page"]
ROLES = ["anonymous", "enterprise", "inspector", "supervisor", "analyst", "admin"]
SKIP = {"accounts:logout"}
# Turns of rotated hostile values per page: the roles that reach every page
# get the most; the others mostly meet login redirects and 404s.
TURNS = {"supervisor": (3, 1), "admin": (3, 1), "inspector": (2, 1), "analyst": (1, 1),
         "enterprise": (1, 1), "anonymous": (1, 1)}


def _rotated(keys: list[str], turn: int) -> dict[str, str]:
    return {key: HOSTILE[(index * 5 + turn) % len(HOSTILE)] for index, key in enumerate(keys)}


def _patterns(patterns=None, prefix="", namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern),
                                 inner.strip(":"))
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}".strip(":"), prefix + str(entry.pattern)


_SLOT = re.compile(r"<(?:(\w+):)?(\w+)>")
_NAMES = re.compile(r"""name=["']([\w\-]+)["']""")


def _build(route: str, values: dict[str, str]) -> str:
    return "/" + _SLOT.sub(lambda m: values[m.group(2)], route)


def _world(users) -> dict[str, int]:
    """One object of each kind the URLs name, owned by the enterprise user's enterprise."""
    enterprise = users["enterprise"].enterprise
    inspector, supervisor = users["inspector"], users["supervisor"]
    frame = make_frame(high=1, medium=2, low=2)
    plan = make_plan(actor=supervisor, officers=[inspector, supervisor], random_n=2,
                     verification_n=0)
    finding = notified_finding(enterprise, officers=[inspector])
    inspection = finding.inspection
    item = SampledItemFactory(inspection=inspection)
    report = rectification_services.report_create(enterprise=enterprise,
                                                  actor=users["enterprise"], findings=[finding])
    evidence = rectification_services.evidence_add(response=report.responses.get(),
                                                   actor=users["enterprise"], uploaded=png())
    notice = make_notice(author=inspector, enterprise=enterprise,
                         campaign=inspection.campaign, n=1)
    check = ItemCheck.objects.first()
    del frame
    return {
        "campaign": inspection.campaign.pk, "plan": plan.pk, "inspection": inspection.pk,
        "item": item.pk, "finding": finding.pk, "report": report.pk,
        "response": report.responses.get().pk, "evidence": evidence.pk, "notice": notice.pk,
        "check": check.pk if check else 1, "enterprise": enterprise.pk,
        "campaign_alt": CampaignFactory().pk,
    }


# The object a URL's `pk` names, by the first word of its name that matches.
_KINDS = ["notice", "evidence", "response", "report", "check", "item", "plan", "campaign",
          "finding", "inspection", "enterprise", "scorecard"]


def _pk_for(name: str, slot: str, world: dict[str, int]) -> str:
    if slot == "campaign_pk":
        return str(world["campaign"])
    url_name = name.rsplit(":", 1)[-1]
    for kind in _KINDS:
        if kind in url_name:
            return str(world.get(kind, world["enterprise"]))
    if name.startswith(("enterprises:", "api:")) or "detail" in url_name:
        return str(world["enterprise"])
    return "1"


def _valid_values(name: str, route: str, world) -> dict[str, str]:
    values = {}
    for converter, slot in _SLOT.findall(route):
        if converter == "int":
            values[slot] = _pk_for(name, slot, world)
        elif slot == "fmt":
            values[slot] = "csv"
        elif slot == "slug":
            values[slot] = "overview"
        else:
            values[slot] = "file"
    return values


@pytest.fixture
def users(db, enterprise):
    made = {
        "enterprise": EnterpriseUserFactory(enterprise=enterprise),
        "inspector": UserFactory(role=Role.INSPECTOR),
        "supervisor": UserFactory(role=Role.SUPERVISOR),
        "analyst": UserFactory(role=Role.ANALYST),
        "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    return made


def _where(error: BaseException) -> str:
    """The exception and the last frame of project code it passed through."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
    frame = ours[-1]
    return f"{type(error).__name__}: {str(error)[:80]} at {frame.filename.rsplit('/', 2)[-2:]}:{frame.lineno}"


def _client(role: str, users) -> Client:
    client = Client()
    if role != "anonymous":
        force_login_verified(client, users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_value_anywhere_gets_a_server_error(role, users, capsys):
    world = _world(users)
    client = _client(role, users)
    sent, errors = 0, Counter()

    def send(method: str, url: str, data=None):
        nonlocal sent
        sent += 1
        try:
            response = getattr(client, method)(url, data or {})
        except Exception as error:  # noqa: BLE001 - each is a finding, reported below
            errors[f"{method.upper()} {url[:80]!r}: {_where(error)}"] += 1
            return None
        if response.status_code >= 500:
            errors[f"{method.upper()} {url[:80]!r}: {response.status_code}"] += 1
        return response

    for name, route in _patterns():
        if name in SKIP:
            continue
        valid = _valid_values(name, route, world)
        # Hostile values in each path slot.
        for converter, slot in _SLOT.findall(route):
            for value in HOSTILE_INTS if converter == "int" else HOSTILE[:8]:
                send("get", _build(route, valid | {slot: value}))
        url = _build(route, valid)
        page = send("get", url)
        html = "" if page is None or page.streaming else page.content.decode(errors="replace")
        keys = sorted(set(COMMON_KEYS) | set(_NAMES.findall(html)) - {"csrfmiddlewaretoken"})
        # Every query parameter and form field hostile at once, each with a
        # different value, rotated so that each value reaches many names.
        get_turns, post_turns = TURNS[role]
        for turn in range(get_turns):
            send("get", url, _rotated(keys, turn))
        for turn in range(post_turns):
            send("post", url, _rotated(keys, turn + get_turns))
    with capsys.disabled():
        print(f"\nfuzz walk as {role}: {sent} requests, {sum(errors.values())} server errors")
    assert not errors, "\n".join(f"{count}× {key}" for key, count in errors.most_common(30))
