"""Python's cyclic garbage collector around what a build keeps for its whole length.

A build at N=1000 holds about a million tracked objects (the parsed SOPs, the indexes across
them) from start to end. Made with the collector running, they cost some ten full scans of
everything made so far (1-2 s of a warm build); alive, each later full scan (MkDocs makes
many) walks all of them again for no garbage. :func:`long_lived` makes them with the
collector paused and then freezes them (``gc.freeze``): later collections do not look at
them. :func:`released` hands them back to the collector once the build is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Make what lives through the build: collector paused, everything frozen at the end.
    (Reference counting still frees whatever is dropped meanwhile.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def settled() -> None:
    """What a build has made so far lives to its end as well (its pages' sources and files,
    the record of the last build): later collections skip it too, until :func:`released`."""
    gc.freeze()


def released() -> None:
    """The build is over: what :func:`long_lived` froze may be collected again."""
    gc.unfreeze()
