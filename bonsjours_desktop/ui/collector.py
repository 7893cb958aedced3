"""Python's cycle collector around the tabs' bulk builds (issue #24: opening a tab at 10 000 shops).

A tab at 10× scale builds tens of thousands of small objects (rows, their snapshots, sort keys, map
points) that live as long as the tab shows them. While they are made, Python's collector counts them
and runs full passes over everything alive in the application: ~250 000 objects, 100 to 350 ms a pass
(measured with gc.callbacks), twice while the Boutiques tab opened, once in Planning and in Bilan.

long_lived() runs a build without collector passes, then frees the few reference cycles the build made
(sessions and results of SQLAlchemy: a few dozen objects) with one young pass, which walks only what
was made meanwhile, and moves the survivors, and everything older, to the permanent generation
(gc.freeze()): later full passes walk only what was made since, not the tabs' rows again.

The price: a reference cycle among frozen objects is never collected. The rows are plain values, freed
by reference counting when a reload replaces them; the tabs and their widgets live as long as the window.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """No collector pass during the block; then a young pass and gc.freeze() (nested: the outer one does it)."""
    if not gc.isenabled():  # inside another long_lived(), or the collector is off for a reason of its own
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect(1)
        gc.freeze()
        gc.enable()
