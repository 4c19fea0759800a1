"""The ITU-T G.107 E-model (06/2015 edition) for a G.711 call, and its MOS.

Every parameter except the delays and the packet loss keeps its G.107 default
(Table 3), so R is 93.2 with no delay and no loss. G.711's equipment impairment is
Ie = 0, and its packet-loss robustness is Bpl = 25.1 with packet loss concealment
(G.113 Appendix I), which Chrome's receiver applies.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

# G.107 Table 3 defaults.
SLR = 8.0
RLR = 2.0
STMR = 15.0
LSTR = 18.0
DS = 3.0
TELR = 65.0
WEPL = 110.0
QDU = 1.0
NC = -70.0
PS = 35.0
PR = 35.0
NFOR = -64.0
A = 0.0

G711_IE = 0.0
G711_BPL_PLC = 25.1


@dataclass(frozen=True)
class Rating:
    r: float
    mos: float
    delay_impairment: float
    loss_impairment: float


def _noise_floor() -> float:
    """Return No, the total noise at the receive side in dBm0p (G.107 7.2)."""
    olr = SLR + RLR
    nos = PS - SLR - DS - 100 + 0.004 * (PS - olr - DS - 14) ** 2
    pre = PR + 10 * math.log10(1 + 10 ** ((10 - LSTR) / 10))
    nor = RLR - 121 + pre + 0.008 * (pre - 35) ** 2
    nfo = NFOR + RLR
    return 10 * math.log10(
        10 ** (NC / 10) + 10 ** (nos / 10) + 10 ** (nor / 10) + 10 ** (nfo / 10)
    )


NO = _noise_floor()
RO = 15 - 1.5 * (SLR + NO)


def _simultaneous_impairment(t: float) -> float:
    """Return Is = Iolr + Ist + Iq (G.107 7.3); T enters through STMRo."""
    olr = SLR + RLR
    xolr = olr + 0.2 * (64 + NO - RLR)
    iolr = 20 * ((1 + (xolr / 8) ** 8) ** (1 / 8) - xolr / 8)
    stmro = -10 * math.log10(10 ** (-STMR / 10) + math.exp(-t / 4) * 10 ** (-TELR / 10))
    ist = (
        12 * (1 + ((stmro - 13) / 6) ** 8) ** (1 / 8)
        - 28 * (1 + ((stmro + 1) / 19.4) ** 35) ** (1 / 35)
        - 13 * (1 + ((stmro - 3) / 33) ** 13) ** (1 / 13)
        + 29
    )
    q = 37 - 15 * math.log10(QDU)
    g = 1.07 + 0.258 * q + 0.0602 * q**2
    y = (RO - 100) / 15 + 46 / 8.4 - g / 9
    z = 46 / 30 - g / 40
    iq = 15 * math.log10(1 + 10**y + 10**z)
    return iolr + ist + iq


def delay_impairment(t: float, tr: float, ta: float) -> float:
    """Return Id = Idte + Idle + Idd (G.107 7.4) for delays in milliseconds.

    `t` is the mean one-way delay of the echo path, `tr` the round-trip delay of the
    listener echo loop and `ta` the absolute one-way (mouth-to-ear) delay.
    """
    roe = -1.5 * (NO - RLR)
    terv = (
        TELR - 40 * math.log10((1 + t / 10) / (1 + t / 150)) + 6 * math.exp(-0.3 * t**2)
    )
    re = 80 + 2.5 * (terv - 14)
    idte = ((roe - re) / 2 + math.sqrt((roe - re) ** 2 / 4 + 100) - 1) * (
        1 - math.exp(-t)
    )
    rle = 10.5 * (WEPL + 7) * (tr + 1) ** -0.25
    idle = (RO - rle) / 2 + math.sqrt((RO - rle) ** 2 / 4 + 169)
    idd = 0.0
    if ta > 100:
        x = math.log10(ta / 100) / math.log10(2)
        idd = 25 * ((1 + x**6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2)
    return idte + idle + idd


def effective_equipment_impairment(
    loss_percent: float,
    burst_ratio: float = 1.0,
    ie: float = G711_IE,
    bpl: float = G711_BPL_PLC,
) -> float:
    """Return Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl) (G.107 7.6)."""
    ppl = max(0.0, min(100.0, loss_percent))
    burst_ratio = max(1.0, burst_ratio)
    return ie + (95 - ie) * ppl / (ppl / burst_ratio + bpl)


def mos_from_r(r: float) -> float:
    """Return the estimated MOS (conversational quality) for R (G.107 Annex B)."""
    if r <= 0:
        return 1.0
    if r >= 100:
        return 4.5
    # The cubic dips just below 1 for R under about 6.5; MOS has 1 as its floor.
    return max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6)


def rate_g711(
    one_way_delay_ms: float, loss_percent: float, burst_ratio: float = 1.0
) -> Rating:
    """Rate a G.711 call with PLC from its mouth-to-ear delay and its packet loss.

    The echo path delay T is taken as the one-way delay and the listener echo loop
    Tr as twice it, the G.107 relations for a connection without extra echo delay.
    """
    ta = max(0.0, one_way_delay_ms)
    delay = delay_impairment(ta, 2 * ta, ta)
    ie_eff = effective_equipment_impairment(loss_percent, burst_ratio)
    r = RO - _simultaneous_impairment(ta) - delay - ie_eff + A
    return Rating(
        round(r, 2), round(mos_from_r(r), 2), round(delay, 2), round(ie_eff, 2)
    )


def burst_ratio(received: Sequence[bool]) -> float:
    """Return BurstR = 1 / (p + q) for a loss pattern (G.107 7.6, two-state Markov).

    p is the probability that a packet is lost after a received one, q that one is
    received after a lost one. Random loss gives about 1; longer bursts give more.
    """
    after_received = lost_after_received = 0
    after_lost = received_after_lost = 0
    for previous, current in itertools.pairwise(received):
        if previous:
            after_received += 1
            lost_after_received += not current
        else:
            after_lost += 1
            received_after_lost += current
    if not lost_after_received or not after_received:
        return 1.0
    p = lost_after_received / after_received
    q = received_after_lost / after_lost if after_lost else 1.0
    return max(1.0, 1 / (p + q)) if p + q > 0 else 1.0
