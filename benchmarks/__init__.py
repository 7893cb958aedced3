"""Benchmarks of Bons Jours at scale (not run as timing assertions in tests)."""
