"""Tabs of the main window, one module each, built when first shown."""
