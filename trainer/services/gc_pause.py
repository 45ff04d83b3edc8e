"""The one place trainer pauses Python's cyclic garbage collector, and why.

Bulk import/export and the statistics report allocate hundreds of thousands of small,
acyclic tuples; the collector's generation-0/1/2 passes over them are wasted work. Measured
(CPU medians, bench/ and docs/PERFORMANCE.md): a 20,000-card import runs about 2x slower
without the pause, the statistics report of 100,000 cards about 11 % slower (2 % at 20,000).

The switch is process-wide, so it is reference-counted: overlapping users (a TUI worker
thread reporting while another imports) keep it paused until the last one leaves, and it
is only switched back on if it was on when the first one came in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block (reference counting still frees memory)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
