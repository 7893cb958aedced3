"""Qt user interface of Bons Jours; the only package that imports PySide6."""
