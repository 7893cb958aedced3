"""A tiny-scale run of the benchmark so it never rots (no timing is asserted)."""

import json

from benchmarks.run import main


def test_tiny_benchmark_writes_every_figure(tmp_path, qapp, capsys):
    out = tmp_path / "results.json"
    assert main(["--factor", "0.01", "--runs", "1", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    names = {f["name"] for f in report["figures"]}
    assert {"startup", "memory", "gantt_build", "gantt_zoom", "shop_filter", "directory", "press_kits", "import"} <= names
    assert report["scale"]["shops"] == 10
    startup = next(f for f in report["figures"] if f["name"] == "startup")
    assert startup["baseline"] > 0 and startup["ratio"] == round(startup["value"] / startup["baseline"], 3)
    assert "mesure" in capsys.readouterr().out
