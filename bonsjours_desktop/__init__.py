"""Bons Jours: the desktop tool of "Les bons jours de l'occasion"."""

import os

# numpy, imported by pyqtgraph for the charts (the Planning's Gantt chart first), starts an OpenBLAS thread
# per processor that busy-waits at start: ~80 ms of processor time taken from the interface on a two-core
# machine when the chart is first drawn, for linear algebra the app never does. One thread, unless the user
# set it otherwise. Here, before anything can import numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
