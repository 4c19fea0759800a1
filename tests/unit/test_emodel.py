"""ITU-T G.107 E-model values for G.711."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import emodel


def test_default_rating_is_93_2() -> None:
    # G.107: with every parameter at its default, R is 93.2.
    assert emodel.rate_g711(0, 0).r == pytest.approx(93.2, abs=0.05)


def test_default_mos_is_4_41() -> None:
    assert emodel.rate_g711(0, 0).mos == pytest.approx(4.41, abs=0.01)


def test_mos_from_r_ends() -> None:
    assert emodel.mos_from_r(-5) == 1.0
    assert emodel.mos_from_r(120) == 4.5
    assert emodel.mos_from_r(50) == pytest.approx(2.58, abs=0.01)


def test_no_delay_impairment_below_100ms_idd() -> None:
    # Idd is zero up to Ta = 100 ms; only the small echo terms remain.
    assert emodel.delay_impairment(100, 200, 100) < 3


def test_long_delay_lowers_r() -> None:
    assert emodel.rate_g711(400, 0).r < 70


def test_g711_plc_loss_impairment() -> None:
    # Ie,eff = 95 * Ppl / (Ppl + 25.1) for G.711 with PLC and random loss.
    assert emodel.effective_equipment_impairment(2.0) == pytest.approx(
        95 * 2 / 27.1, abs=1e-9
    )


def test_bursty_loss_hurts_more() -> None:
    random_loss = emodel.effective_equipment_impairment(5, burst_ratio=1)
    bursty_loss = emodel.effective_equipment_impairment(5, burst_ratio=3)
    assert bursty_loss > random_loss


def test_burst_ratio_of_random_pattern() -> None:
    pattern = [True, True, False] * 100
    # Loss after a received packet p = 0.5, recovery q = 1: BurstR = 1 / 1.5 -> 1.
    assert emodel.burst_ratio(pattern) == 1.0


def test_burst_ratio_of_bursty_pattern() -> None:
    pattern = ([True] * 45 + [False] * 5) * 10 + [True]
    # p = 1/45 and q = 1/5, so BurstR = 1 / (1/45 + 1/5) = 4.5.
    assert emodel.burst_ratio(pattern) == pytest.approx(4.5, rel=0.05)


def test_burst_ratio_without_loss() -> None:
    assert emodel.burst_ratio([True] * 50) == 1.0


@given(st.floats(0, 1000), st.floats(0, 100), st.floats(1, 20))
def test_mos_stays_in_range(delay: float, loss: float, burst: float) -> None:
    rating = emodel.rate_g711(delay, loss, burst)
    assert 1.0 <= rating.mos <= 4.5


@given(st.floats(0, 600), st.floats(0, 50))
def test_more_loss_never_raises_r(delay: float, loss: float) -> None:
    assert emodel.rate_g711(delay, loss + 1).r <= emodel.rate_g711(delay, loss).r
