"""Qt passes a button's `checked` (and an action's) to the slot: a method connected directly whose first
parameter is optional gets False there — the import dialog's button once called do_import(on_worker=False)
and failed with « erreur inattendue » on every click, while the tests called do_import() themselves.
Such signals go through a lambda that calls the method with no argument."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bonsjours_desktop"
# signals that carry a value the slot did not ask for (clicked(bool), triggered(bool), toggled(bool))
VALUE_SIGNALS = {"clicked", "triggered"}


def _direct_connections_to_optional_parameters(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    methods: dict[str, list[ast.FunctionDef]] = {}
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for item in cls.body:
            if isinstance(item, ast.FunctionDef):
                methods.setdefault(item.name, []).append(item)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr in VALUE_SIGNALS and node.args):
            continue
        target = node.args[0]
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            for method in methods.get(target.attr, []):
                if method.args.args[1:]:  # a parameter after self: it receives `checked`
                    found.append((node.lineno, target.attr))
    return found


def test_the_check_finds_the_mistake():
    source = ("class D:\n    def do_import(self, on_worker=None): ...\n"
              "    def build(self):\n        self.button.clicked.connect(self.do_import)\n"
              "        self.other.clicked.connect(lambda: self.do_import())\n")
    assert _direct_connections_to_optional_parameters(source) == [(4, "do_import")]


def test_no_button_or_action_feeds_its_checked_state_to_a_parameter():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, name in _direct_connections_to_optional_parameters(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(PACKAGE)}:{line} → {name}")
    assert found == []
