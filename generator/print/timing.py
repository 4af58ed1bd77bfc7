"""Time spent inside the external tools (Graphviz, WeasyPrint), for the benchmark's overhead figure."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

TOOL_SECONDS: dict[str, float] = {"dot": 0.0, "weasyprint": 0.0}
"""Seconds this process has spent in each tool since it started."""


@contextmanager
def tool(name: str) -> Iterator[None]:
    """Count the time of the enclosed call as the named tool's."""
    started = time.perf_counter()
    try:
        yield
    finally:
        TOOL_SECONDS[name] += time.perf_counter() - started


def tool_total() -> float:
    """All tool seconds so far in this process."""
    return sum(TOOL_SECONDS.values())
