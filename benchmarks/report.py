"""The README's benchmark table, generated from benchmarks/results.json (never typed by hand).

Run: `python -m benchmarks.report` rewrites the README section between the two markers below and draws
benchmarks/curves.png beside the results; `make bench` does it after measuring. tests/test_benchmarks.py
checks that the README shows what results.json holds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"
BEGIN = "<!-- banc-d-essai:début (généré par python -m benchmarks.report depuis benchmarks/results.json) -->"
END = "<!-- banc-d-essai:fin -->"


def _number(value: Optional[float], unit: str = "") -> str:
    if value is None:
        return "—"
    if float(value).is_integer() or abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    text = text.replace(",", "\u202f").replace(".", ",")
    return f"{text} {unit}".strip()


def _factor(factor: float) -> str:
    return f"{factor:g}".replace(".", ",") + "×"


def readme_section(results: dict) -> str:
    """The markdown between the markers: one row per figure, its value at each scale, the target and whether it
    is met (at the scale the target is set for), the growth exponent; then the notes."""
    factors = results["factors"]
    by_name: dict[str, dict[float, dict]] = {}
    for figure in results["figures"]:
        by_name.setdefault(figure["name"], {})[figure["factor"]] = figure
    header = ["Mesure", *[_factor(f) for f in factors], "Référence", "Rapport", "Cible", "Atteinte", "Pente"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    notes = []
    for name, measured in by_name.items():
        first = next(iter(measured.values()))
        judged_at = first.get("target_factor", 1.0)
        judged = measured.get(judged_at)
        unit = first["unit"]
        target = f"≤ {_number(first['target'])}" + ("×" if first["target_is_ratio"] else f" {unit}")
        if first["target"] in (None, float("inf")):
            target = "—"
        if judged is None:
            met = f"non mesurée à {_factor(judged_at)}"
        else:
            met = ("oui" if judged["met"] else "**non**") + (f" (à {_factor(judged_at)})" if judged_at != 1.0 else "")
        curve = results.get("curves", {}).get(name, {})
        exponent = curve.get("exponent")
        cells = [f"`{name}`", *[_number(measured[f]["value"], unit) if f in measured else "—" for f in factors],
                 _number(judged["baseline"], unit) if judged and judged.get("baseline") else "—",
                 _number(judged["ratio"]) + "×" if judged and judged.get("ratio") else "—",
                 target, met, _number(exponent) if exponent is not None else "—"]
        rows.append("| " + " | ".join(cells) + " |")
        note = (judged or first).get("note", "")
        if first.get("clock") == "processeur":
            wall = (judged or first).get("wall")
            note += " — temps processeur" + (f" (temps écoulé : {_number(wall, unit)})" if wall is not None else "")
        if curve.get("note"):
            note += f" — croissance : {curve['note']}"
        if note:
            notes.append(f"- `{name}` : {note}")
    machine = results.get("machine", {})
    lines = [
        f"Mesuré par `make bench` en {_number(results.get('measured_in_s'))} s (Python {machine.get('python', '?')}, "
        f"{machine.get('cpus', '?')} processeurs ; médiane de {results.get('runs')} répétitions, 3 au plus à "
        "partir de 5×). Échelles : "
        + " ; ".join(f"{_factor(float(k))} = {_number(v['shops'])} boutiques, {_number(v['tasks'])} tâches, "
                     f"{_number(v['budget_lines'])} lignes de budget, {_number(v['organisations'])} organismes"
                     for k, v in results["scales"].items())
        + ". Pente : exposant de croissance entre la plus petite et la plus grande échelle (1 = linéaire).",
        "",
        *rows,
        "",
        *notes,
        "",
        "![Courbes de coût selon l'échelle](benchmarks/curves.png)",
    ]
    return "\n".join(lines)


def rewrite_readme(results: dict, readme: Path = README) -> bool:
    """Put the generated section between the markers (added at the end of « Banc d'essai » if absent)."""
    text = readme.read_text(encoding="utf-8")
    section = f"{BEGIN}\n{readme_section(results)}\n{END}"
    if BEGIN in text and END in text:
        start = text.index(BEGIN)
        end = text.index(END) + len(END)
        new = text[:start] + section + text[end:]
    else:
        new = text.rstrip("\n") + "\n\n" + section + "\n"
    if new == text:
        return False
    from bonsjours_desktop.core.io.safe_write import atomic_write

    atomic_write(readme, new)
    return True


def readme_section_text(readme: Path = README) -> Optional[str]:
    """What the README holds between the markers, or None."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return None
    return text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip("\n")


def write_all(results_path: Path = RESULTS) -> None:
    """curves.png beside the results, and the README's table when the results are the committed ones."""
    from benchmarks.curves import draw_curves

    results_path = Path(results_path)
    results = json.loads(results_path.read_text(encoding="utf-8"))
    draw_curves(results.get("curves", {}), results_path.with_name("curves.png"))
    if results_path.resolve() == RESULTS.resolve():
        rewrite_readme(results)
        print(f"Tableau du README et {results_path.with_name('curves.png')} mis à jour.")


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    write_all(Path(argv[0]) if argv else RESULTS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
