"""Median and 95th percentile, and the one way every benchmark prints them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median_p95(values: Sequence[float]) -> tuple[float, float]:
    """p95 interpolates between ranks, so 7 runs give a figure near the slowest."""
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18]


def ms(values: Sequence[float], width: int = 7) -> str:
    """`median / p95` of durations in seconds, as milliseconds."""
    med, p95 = median_p95(values)
    return f"{med * 1000:{width}.1f} / {p95 * 1000:{width}.1f}"
