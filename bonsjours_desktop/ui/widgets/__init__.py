"""Reusable widgets: Gantt chart, map, charts, forms."""
