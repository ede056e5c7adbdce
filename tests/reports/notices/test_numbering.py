"""Notice numbers: format, gapless, unique under concurrency, year roll-over."""

import datetime
import multiprocessing
import zoneinfo

import pytest
import time_machine
from django.db import connection

from reports import pdf
from reports.models import Notice
from reports.notices import numbering, services
from tests.reports.factories import make_notice

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_format_has_no_leading_zeros_and_hexagonal_brackets():
    assert numbering.format_number(prefix="京网信改", year=2026, serial=12) == "京网信改〔2026〕12号"
    assert numbering.format_number(prefix="京网信改", year=2026, serial=1) == "京网信改〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_taking_serials_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        numbering.take_serials(prefix="京网信改", year=2026, count=1)


@pytest.mark.django_db
def test_numbers_are_taken_only_at_issuance_and_are_gapless(inspector, supervisor):
    notices = [make_notice(author=inspector, approver=supervisor) for _ in range(3)]
    assert all(n.number == "" and n.serial is None for n in notices)
    issued = [services.notice_issue(notice=n, actor=supervisor) for n in reversed(notices)]
    year = issued[0].year
    assert [n.number for n in issued] == [f"京网信改〔{year}〕{i}号" for i in (1, 2, 3)]


@pytest.mark.django_db
def test_a_failed_issuance_gives_its_number_back(inspector, supervisor, monkeypatch):
    first, second = (make_notice(author=inspector, approver=supervisor) for _ in range(2))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(pdf, "render_notices", broken)
    with pytest.raises(RuntimeError):
        services.notice_issue(notice=first, actor=supervisor)
    monkeypatch.undo()
    assert services.notice_issue(notice=second, actor=supervisor).serial == 1
    assert services.notice_issue(notice=first, actor=supervisor).serial == 2


@pytest.mark.django_db
def test_year_rolls_over_on_1_january_shanghai_time(inspector, supervisor):
    notices = [make_notice(author=inspector, approver=supervisor) for _ in range(3)]
    # 23:59 on 31 December in Beijing is still 2026 ...
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI), tick=False):
        a = services.notice_issue(notice=notices[0], actor=supervisor)
    # ... 00:01 on 1 January Beijing time is 2027 although UTC is still 31 December.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI), tick=False):
        b = services.notice_issue(notice=notices[1], actor=supervisor)
        c = services.notice_issue(notice=notices[2], actor=supervisor)
    assert a.number == "京网信改〔2026〕1号"
    assert (b.number, c.number) == ("京网信改〔2027〕1号", "京网信改〔2027〕2号")
    assert b.issue_date == datetime.date(2027, 1, 1)


def _issue_in_child(notice_id: int, supervisor_id: int, queue) -> None:
    from django.db import connections

    # Never touch the parent's socket: open a fresh connection in this process.
    for conn in connections.all(initialized_only=True):
        conn.connection = None
    from accounts.models import User
    from reports.models import Notice as ChildNotice
    from reports.notices import services as child_services

    try:
        notice = child_services.notice_issue(
            notice=ChildNotice.objects.get(pk=notice_id), actor=User.objects.get(pk=supervisor_id)
        )
        queue.put(("ok", notice.serial))
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(("error", repr(exc)))
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_processes_take_unique_gapless_numbers_on_postgresql(inspector, supervisor):
    if connection.vendor != "postgresql":
        # Row locks are what is under test; CI's PostgreSQL pass runs this.
        pytest.skip("needs the PostgreSQL pass (DATABASE_URL=postgres://...)")
    notices = [make_notice(author=inspector, approver=supervisor, n=1) for _ in range(6)]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    connection.close()
    processes = [ctx.Process(target=_issue_in_child, args=(n.pk, supervisor.pk, queue)) for n in notices]
    for p in processes:
        p.start()
    results = [queue.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(serial for _, serial in results) == [1, 2, 3, 4, 5, 6]
    assert sorted(Notice.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]
