"""One get-or-raise helper with one French message per kind of record (core.errors.RECORD_KINDS)."""

import ast
from pathlib import Path

import pytest

import bonsjours_desktop.core as core_package
from bonsjours_desktop.core import budget, logistics, partners, shops, versions
from bonsjours_desktop.core.errors import (
    RECORD_KINDS,
    NotFoundError,
    get_or_raise,
    not_found_message,
    record_label,
)
from bonsjours_desktop.core.models import Base, Edition, Loan, Shop, Task

# Rows the user never opens on their own (link rows, settings, template lines).
NOT_RECORDS = {"meeting_attendees", "planning_template_tasks", "settings"}


def test_every_kind_of_record_has_its_message():
    assert set(Base.metadata.tables) - NOT_RECORDS <= set(RECORD_KINDS)
    assert not_found_message(Edition) == "Cette édition n'existe plus (supprimée entre-temps ?)."
    assert not_found_message(Loan) == "Ce prêt n'existe plus (supprimé entre-temps ?)."
    assert not_found_message("shops") == not_found_message(Shop)
    assert not_found_message("items") == "Cet objet n'existe plus (supprimé entre-temps ?)."
    assert record_label(Shop) == ("la boutique", True)
    assert record_label("organisations") == ("l'organisation", True)
    assert record_label(Loan) == ("le prêt", False)


def test_services_say_which_record_is_gone(demo_ops):
    missing = 10**6
    cases = [
        (lambda s: budget.budget_summary(s, missing), "Cette édition n'existe plus"),
        (lambda s: shops.shop_input(s, missing), "Cette boutique n'existe plus"),
        (lambda s: partners.organisation_details(s, missing), "Cette organisation n'existe plus"),
        (lambda s: logistics.get_loan_row(s, missing), "Ce prêt n'existe plus"),
        (lambda s: versions.snapshot(s, Task, missing), "Cette tâche n'existe plus"),
        (lambda s: get_or_raise(s, Edition, None), "Cette édition n'existe plus"),
    ]
    for action, message in cases:
        with pytest.raises(NotFoundError, match=message):
            demo_ops.read(action)


def test_no_service_writes_its_own_no_longer_exists_sentence():
    """« … n'existe plus » raised as NotFoundError comes from the one table, not from a literal."""
    root = Path(core_package.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "NotFoundError" and node.args
                    and isinstance(node.args[0], ast.Constant) and "n'existe plus" in str(node.args[0].value)):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    # The row snapshot of team mode keeps its own sentence until it moves to versions.
    assert [o for o in offenders if not o.startswith("operations.py")] == []
