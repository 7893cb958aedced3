"""A tiny run of benchmarks/import_scale.py so it never rots (no timing is asserted)."""

from benchmarks.import_scale import figures

FIGURE_KEYS = {"name", "unit", "value", "target", "target_is_ratio", "baseline", "minimum", "maximum", "runs", "note"}


def test_tiny_import_benchmark_measures_every_figure():
    found = {f["name"]: f for f in figures(1, factor=0.005)}
    assert set(found) == {"import_10k", "import_80k", "import_80k_peak_memory", "import_dry_run_ratio"}
    assert all(set(f) == FIGURE_KEYS for f in found.values())
    assert found["import_80k"]["value"] > 0 and found["import_80k_peak_memory"]["value"] > 50
    ratio = found["import_dry_run_ratio"]
    assert ratio["target_is_ratio"] and ratio["baseline"] > 0 and ratio["target"] == 0.25
    assert "400 lignes" in found["import_80k"]["note"]
