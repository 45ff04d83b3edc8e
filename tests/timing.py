"""CPU time for the linear-time tests: the best of several runs with the collector paused.

Wall time swings with machine load and the cyclic collector's passes grow with the number of
live objects (a large input makes more of them), so both would blur a growth ratio. The tests
compare 8x the input against a bound of 32x the time: quadratic work would take 64x.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

GROWTH, BOUND = 8, 32  # 8x the input within 32x the time (quadratic: 64x)


def best_cpu_seconds(run: Callable[[], object], repeat: int = 5) -> float:
    """The least CPU time of `repeat` runs of `run`, the cyclic collector paused while timing."""
    best = float("inf")
    for _ in range(repeat):
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        finally:
            if enabled:
                gc.enable()
    return best
