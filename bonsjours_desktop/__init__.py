"""Bons Jours: the desktop tool of "Les bons jours de l'occasion"."""

__version__ = "0.1.0"
