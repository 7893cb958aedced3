"""Budget export: XLSX with Decimal euro cells and a totals sheet, CSV for French Excel."""

import csv
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bonsjours_desktop.core.budget import set_envelope
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.io.budget_io import EURO_FORMAT, LINE_HEADERS, export_budget
from bonsjours_desktop.core.models import Edition
from bonsjours_desktop.core.versions import snapshot


def nov_id(session):
    return session.scalars(select(Edition).filter_by(name="Novembre 2013")).one().id


def exact(value) -> Decimal:
    """openpyxl reads numbers back as int/float; their shortest text is the exact two-decimal amount written."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def test_xlsx_lines_and_totals_sum_to_41500(demo_ops, tmp_path):
    path = demo_ops.read(lambda s: export_budget(s, nov_id(s), tmp_path / "budget.xlsx"))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Lignes", "Totaux"]
    lines = workbook["Lignes"]
    assert [c.value for c in lines[1]] == LINE_HEADERS
    ttc_col, overhead_col = LINE_HEADERS.index("Montant TTC"), LINE_HEADERS.index("Frais généraux")
    body = list(lines.iter_rows(min_row=2))
    assert len(body) == 11
    for row in body:
        for index in (3, 5, 6):
            assert row[index].number_format == EURO_FORMAT
            assert isinstance(row[index].value, (int, float))
    counted = [exact(r[ttc_col].value) for r in body if r[overhead_col].value == "non"]
    assert sum(counted, Decimal(0)) == Decimal("41500.00")
    by_category = {}
    for row in body:
        if row[overhead_col].value == "non":
            by_category[row[0].value] = by_category.get(row[0].value, Decimal(0)) + exact(row[ttc_col].value)
    assert by_category == {"fournitures": Decimal("4200.00"), "supports de communication": Decimal("12800.00"),
                           "achat d'espaces": Decimal("9500.00"), "impressions": Decimal("15000.00")}
    assert lines.cell(2, LINE_HEADERS.index("Date de facture") + 1).number_format == "DD/MM/YYYY"

    totals = workbook["Totaux"]
    labels = {row[0].value: row for row in totals.iter_rows(min_row=1) if row[0].value}
    category_ttc = {name: exact(labels[name][2].value) for name in by_category}
    assert category_ttc == by_category
    assert exact(labels["Total"][2].value) == Decimal("41500.00")
    assert labels["Total"][2].number_format == EURO_FORMAT
    assert exact(labels["payé"][1].value) == Decimal("41500.00")
    assert exact(labels["Enveloppe budgétaire"][1].value) == Decimal("42000.00")
    assert exact(labels["Reste sur l'enveloppe"][1].value) == Decimal("500.00")
    overheads = next(row for label, row in labels.items() if label.startswith("Frais généraux valorisés"))
    assert exact(overheads[1].value) == Decimal("19700.00")


def test_xlsx_writes_the_decimal_text_exactly(demo_ops, tmp_path):
    """The sheet XML holds '2083.33', not a binary float approximation."""
    import zipfile

    path = demo_ops.read(lambda s: export_budget(s, nov_id(s), tmp_path / "b.xlsx"))
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>2083.33</v>" in xml and "<v>416.67</v>" in xml


def test_xlsx_totals_sheet_shows_the_over_envelope_warning(demo_ops, tmp_path):
    eid = demo_ops.read(nov_id)
    demo_ops.run("x", lambda s: set_envelope(s, eid, "40000", expected=snapshot(s, Edition, eid)))
    path = demo_ops.read(lambda s: export_budget(s, eid, tmp_path / "b.xlsx"))
    texts = [row[0].value or "" for row in load_workbook(path)["Totaux"].iter_rows()]
    assert any(t.startswith("Dépassement de l'enveloppe") for t in texts)


def test_csv_for_french_excel(demo_ops, tmp_path):
    path = demo_ops.read(lambda s: export_budget(s, nov_id(s), tmp_path / "budget.csv"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == LINE_HEADERS
    first = dict(zip(rows[0], rows[1]))
    assert first["Montant HT"] == "2083,33" and first["Montant TTC"] == "2500,00" and first["Taux TVA"] == "20"
    assert first["Date de facture"] == "30/10/2013"
    ttc = [Decimal(dict(zip(rows[0], r))["Montant TTC"].replace(",", ".")) for r in rows[1:]
           if dict(zip(rows[0], r))["Frais généraux"] == "non"]
    assert sum(ttc, Decimal(0)) == Decimal("41500.00")


def test_unknown_format_is_refused_in_french(demo_ops, tmp_path):
    with pytest.raises(ValidationError, match="Format d'export « pdf » inconnu"):
        demo_ops.read(lambda s: export_budget(s, nov_id(s), tmp_path / "b.pdf"))
