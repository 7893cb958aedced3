"""The benchmark stays runnable (a tiny-scale run, no timing asserted) and its README table stays true."""

import json
import sys
import types

from benchmarks import report, run
from benchmarks.run import main


def test_tiny_benchmark_writes_every_figure_at_each_scale(tmp_path, qapp, capsys):
    out = tmp_path / "results.json"
    readme_before = report.README.read_text(encoding="utf-8")
    assert main(["--factors", "0.01", "0.02", "--runs", "1", "--out", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["factors"] == [0.01, 0.02]
    assert results["scales"]["0.01"]["shops"] == 10 and results["scales"]["0.02"]["shops"] == 20
    for factor in (0.01, 0.02):
        names = {f["name"] for f in results["figures"] if f["factor"] == factor}
        assert {"startup", "memory", "gantt_build", "gantt_zoom", "shop_filter", "directory", "press_kits",
                "import"} <= names
    startup = next(f for f in results["figures"] if f["name"] == "startup")
    assert startup["baseline"] > 0 and startup["ratio"] == round(startup["value"] / startup["baseline"], 3)
    directory = results["curves"]["directory"]
    assert [p["factor"] for p in directory["points"]] == [0.01, 0.02]
    assert isinstance(directory["exponent"], float)
    assert (tmp_path / "curves.png").stat().st_size > 1000  # the curves beside the results
    assert report.README.read_text(encoding="utf-8") == readme_before  # only the committed results touch it
    assert "mesure" in capsys.readouterr().out


def test_growth_exponent_is_the_log_log_slope():
    figures = [run.Figure("a", "ms", value=v, target=1, target_is_ratio=False, factor=f).finish()
               for f, v in ((1, 100.0), (3, 290.0), (10, 1000.0))]
    figures += [run.Figure("b", "ms", value=v, target=1, target_is_ratio=False, factor=f).finish()
                for f, v in ((1, 10.0), (10, 1000.0))]
    curves = run.growth(figures)
    assert curves["a"]["exponent"] == 1.0 and curves["a"]["note"] == ""
    assert curves["b"]["exponent"] == 2.0 and curves["b"]["note"]  # worse than linear: said so


def test_modules_with_figures_plug_in_and_a_broken_one_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    (folder / "interaction.py").write_text("def figures(runs, factor=1.0):\n    return []\n", encoding="utf-8")
    (folder / "helpers.py").write_text("def other():\n    pass\n", encoding="utf-8")
    (folder / "run.py").write_text("def figures(runs, factor=1.0):\n    return []\n", encoding="utf-8")
    monkeypatch.setattr(run, "ROOT", tmp_path)
    assert run.plugin_modules() == ["interaction"]

    good = types.ModuleType("benchmarks.fake_good")
    good.figures = lambda runs, factor=1.0: [
        {"name": "tab_open", "unit": "ms", "value": 120.0, "target": 300, "target_is_ratio": False,
         "baseline": None, "minimum": 100.0, "maximum": 150.0, "runs": runs, "note": "ouvrir un onglet",
         "target_factor": 10}]
    broken = types.ModuleType("benchmarks.fake_broken")

    def fail(runs, factor=1.0):
        raise RuntimeError("base absente")

    broken.figures = fail
    small = types.ModuleType("benchmarks.fake_small")
    small.MAX_FACTOR = 1.0  # too long beyond 1×: measured at 1× only
    small.figures = lambda runs, factor=1.0: [{"name": "small", "value": 1.0}]
    monkeypatch.setitem(sys.modules, "benchmarks.fake_good", good)
    monkeypatch.setitem(sys.modules, "benchmarks.fake_broken", broken)
    monkeypatch.setitem(sys.modules, "benchmarks.fake_small", small)
    monkeypatch.setattr(run, "plugin_modules", lambda: ["fake_good", "fake_broken", "fake_small"])
    assert [f.name for f in run.plugin_figures(2, 1.0)] == ["tab_open", "fake_broken", "small"]
    found = run.plugin_figures(2, 10.0)
    assert [f.name for f in found] == ["tab_open", "fake_broken"]
    assert found[0].factor == 10.0 and found[0].target_factor == 10 and found[0].met
    assert found[1].value is None and "base absente" in found[1].note and not found[1].met


def test_the_readme_table_is_the_one_generated_from_results_json():
    results = json.loads(report.RESULTS.read_text(encoding="utf-8"))
    assert report.readme_section_text() == report.readme_section(results), (
        "Le tableau du README ne correspond plus à benchmarks/results.json : lancez python -m benchmarks.report")
    names = {f["name"] for f in results["figures"]}
    assert {"directory", "press_kits", "startup"} <= names
    assert set(results["curves"]) == names
