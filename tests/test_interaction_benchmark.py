"""The interaction benchmark runs end to end at a tiny scale and reports every figure (no timing asserted)."""

from benchmarks.interaction import figures
from benchmarks.run import Figure


def test_tiny_interaction_benchmark_reports_each_figure():
    result = figures(1, factor=0.01)
    names = {f["name"] for f in result}
    assert {"tab_open_dashboard", "tab_open_shops", "tab_open_documents", "rename_repaint", "filter_keystroke",
            "memory_all_tabs"} <= names
    for figure in result:
        Figure(**figure).finish()  # the keys benchmarks.run expects
        assert figure["value"] > 0 and figure["runs"] == 1 and figure["note"]
