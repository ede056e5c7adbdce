"""GB/T 2828.1 tables, the zero-acceptance rule and the Wilson interval."""

from decimal import Decimal

import pytest

from inspections import sampling


@pytest.mark.parametrize(("lot", "letter", "n"), [
    (2, "A", 2), (8, "A", 2), (9, "B", 3), (50, "D", 8), (51, "E", 13), (280, "G", 32),
    (281, "H", 50), (500, "H", 50), (501, "J", 80), (1200, "J", 80), (1201, "K", 125),
    (3201, "L", 200), (10000, "L", 200), (10001, "M", 315), (35001, "N", 500),
    (150001, "P", 800), (500000, "P", 800), (500001, "Q", 1250), (10**7, "Q", 1250),
])
def test_it_maps_lot_sizes_to_letters_and_sample_sizes_at_level_ii(lot, letter, n):
    assert sampling.code_letter(lot, "II") == letter
    assert sampling.SAMPLE_SIZES[letter] == n


def test_it_knows_levels_i_and_iii():
    assert sampling.code_letter(400, "I") == "F"
    assert sampling.code_letter(400, "III") == "J"
    assert sampling.code_letter(600000, "III") == "R"


# Worked examples of reference/sampling.md: (lot, AQL, letter, plan letter, n, Ac, Re).
@pytest.mark.parametrize(("lot", "aql", "letter", "plan", "n", "ac", "re"), [
    (2400, "2.5", "K", "K", 125, 7, 8),
    (5000, "2.5", "L", "L", 200, 10, 11),
    (400, "1.0", "H", "H", 50, 1, 2),
    (400, "0.65", "H", "J", 80, 1, 2),
    (400, "0.40", "H", "G", 32, 0, 1),
    (1_000_000, "1.0", "Q", "Q", 1250, 21, 22),
    (1_000_000, "0.010", "Q", "Q", 1250, 0, 1),
    # Further cells of the published Table 2-A.
    (3201, "0.65", "L", "L", 200, 3, 4),
    (10000, "4.0", "L", "L", 200, 14, 15),
    (20000, "6.5", "M", "L", 200, 21, 22),  # ↑ beyond 21/22 moves to L's plan
    (1000, "0.10", "J", "K", 125, 0, 1),  # ↓ to the first plan below
    (600, "1.5", "J", "J", 80, 3, 4),
    (100, "0.25", "F", "H", 50, 0, 1),
])
def test_it_reads_table_2a_and_follows_arrows_with_the_new_sample_size(lot, aql, letter, plan, n, ac, re):
    result = sampling.gb2828_plan(lot, Decimal(aql))
    assert (result.code_letter, result.plan_letter, result.sample_size, result.accept,
            result.reject) == (letter, plan, n, ac, re)


def test_it_takes_the_irregular_corner_from_the_published_table():
    # Row A at AQL 10 points down (nothing lies above A): letter C's plan.
    assert sampling.table_2a_cell("A", "10") == sampling.DOWN
    assert sampling.table_2a_cell("A", "6.5") == (0, 1)
    assert sampling.table_2a_cell("B", "6.5") == sampling.UP
    assert sampling.table_2a_cell("C", "10") == (1, 2)


def test_it_inspects_every_item_when_n_reaches_the_lot():
    plan = sampling.gb2828_plan(20, "0.010")  # C → ↓ … → letter with n ≥ 20
    assert plan.inspect_all is True
    assert plan.sample_size == 20


def test_it_rejects_aqls_outside_the_table():
    with pytest.raises(sampling.SamplingError):
        sampling.gb2828_plan(500, "3.0")


@pytest.mark.parametrize(("p", "c", "n"), [(0.05, 0.95, 59), (0.02, 0.95, 149), (0.01, 0.95, 299),
                                           (0.10, 0.90, 22), (0.5, 0.75, 2)])
def test_the_zero_acceptance_formula(p, c, n):
    assert sampling.zero_acceptance_size(p, c) == n


def test_zero_acceptance_caps_at_the_lot():
    plan = sampling.zero_acceptance_plan(30, 0.05, 0.95)
    assert (plan.sample_size, plan.accept, plan.reject, plan.inspect_all) == (30, 0, 1, True)


def test_the_wilson_interval_matches_the_reference():
    interval = sampling.wilson_interval(3, 50)
    assert round(interval.low, 4) == 0.0206
    assert round(interval.high, 4) == 0.1622
    zero = sampling.wilson_interval(0, 59)
    assert zero.low == 0.0 and round(zero.high, 4) == 0.0611


def test_accept_and_reject_against_ac_re():
    assert sampling.accept_or_reject(7, 7, 8) is True
    assert sampling.accept_or_reject(8, 7, 8) is False
