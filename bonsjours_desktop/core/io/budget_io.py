"""Budget export: XLSX (euro number formats, Decimal cells, a totals sheet) and CSV for French Excel."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Optional

from sqlalchemy.orm import Session

from ..budget import BudgetLineRow, BudgetSummary, budget_summary
from ..errors import ValidationError
from ..formatting import date_short
from ..models import BUDGET_STATUSES
from .safe_write import atomic_write, check_output_target

EURO_FORMAT = '#,##0.00 "€"'
RATE_FORMAT = '0.0##" %"'
DATE_FORMAT = "DD/MM/YYYY"
FORMATS = ("xlsx", "csv")

LINE_HEADERS = [
    "Catégorie", "Libellé", "Fournisseur", "Montant HT", "Taux TVA", "TVA", "Montant TTC", "Statut",
    "Avoir", "Frais généraux", "Réf. commande", "Date de commande", "Réf. facture", "Date de facture",
    "Date de paiement", "Notes",
]


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def export_format(path: Path, requested: Optional[str]) -> str:
    """The format asked for, else the file's extension; French message when neither says xlsx or csv."""
    fmt = (requested or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValidationError({"format": f"Format d'export « {fmt or path.name} » inconnu : choisissez xlsx ou csv."})
    return fmt


def export_budget(session: Session, edition_id: int, path: Path, fmt: Optional[str] = None,
                  include_overheads: bool = False) -> Path:
    """Write the edition's budget to path as xlsx or csv; returns the path written."""
    path = Path(path)
    fmt = export_format(path, fmt)
    check_output_target(path, session)
    summary = budget_summary(session, edition_id, include_overheads)
    writer = write_budget_xlsx if fmt == "xlsx" else write_budget_csv
    return atomic_write(path, lambda temporary: writer(summary, temporary), db=session)


def write_budget_csv(summary: BudgetSummary, path: Path) -> None:
    """Lines for French Excel: UTF-8 with BOM, ';' separator, amounts like 1234,56 (no thousands space)."""

    def amount(value: Decimal) -> str:
        return f"{value:.2f}".replace(".", ",")

    def rate(value: Decimal) -> str:
        return f"{value.normalize():f}".replace(".", ",")

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = french_csv_writer(handle)
        writer.writerow(LINE_HEADERS)
        for row in summary.lines:
            writer.writerow([
                row.category, row.label, row.supplier, amount(row.amount_ht), rate(row.vat_rate),
                amount(row.amount_vat), amount(row.amount_ttc), row.status, _yes(row.is_credit_note),
                _yes(row.is_overhead), row.order_ref, date_short(row.order_date), row.invoice_ref,
                date_short(row.invoice_date), date_short(row.payment_date), row.notes,
            ])


from .spreadsheet import french_csv_writer, keep_formulas_as_text  # noqa: E402


def write_budget_xlsx(summary: BudgetSummary, path: Path) -> None:
    """'Lignes' and 'Totaux' sheets; every amount is a Decimal cell in the euro number format."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    workbook = Workbook()
    lines = workbook.active
    lines.title = "Lignes"
    lines.append(LINE_HEADERS)
    for cell in lines[1]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in summary.lines:
        lines.append(_line_cells(row))
        excel_row = lines.max_row
        for column in (4, 6, 7):
            lines.cell(excel_row, column).number_format = EURO_FORMAT
        lines.cell(excel_row, 5).number_format = RATE_FORMAT
        for column in (12, 14, 15):
            lines.cell(excel_row, column).number_format = DATE_FORMAT
    widths = [26, 60, 30, 15, 10, 13, 15, 10, 8, 14, 16, 16, 16, 16, 16, 40]
    for index, width in enumerate(widths, start=1):
        lines.column_dimensions[get_column_letter(index)].width = width
    lines.freeze_panes = "A2"
    lines.auto_filter.ref = f"A1:{get_column_letter(len(LINE_HEADERS))}{max(lines.max_row, 1)}"

    totals = workbook.create_sheet("Totaux")
    scope = "frais généraux inclus" if summary.include_overheads else "hors frais généraux"
    totals.append([f"Budget de l'édition « {summary.edition_name} »", None, None])
    totals["A1"].font = Font(bold=True, size=13)
    totals.append([f"Montants en euros, {scope}"])
    totals.append([])

    def header(*titles: str) -> None:
        totals.append(list(titles))
        for cell in totals[totals.max_row]:
            cell.font = bold
            cell.fill = header_fill

    def amounts_row(label: str, *values: Optional[Decimal], strong: bool = False) -> None:
        totals.append([label, *values])
        for cell in totals[totals.max_row][1:]:
            cell.number_format = EURO_FORMAT
        if strong:
            for cell in totals[totals.max_row]:
                cell.font = bold

    header("Par catégorie", "Montant HT", "Montant TTC", *(f"TTC {s}" for s in BUDGET_STATUSES))
    for category in summary.by_category:
        amounts_row(category.category, category.ht, category.ttc, *(category.by_status[s] for s in BUDGET_STATUSES))
    amounts_row("Total", summary.total_ht, summary.total_ttc, *(summary.by_status[s] for s in BUDGET_STATUSES),
                strong=True)
    totals.append([])
    header("Par statut", "Montant TTC")
    for status in BUDGET_STATUSES:
        amounts_row(status, summary.by_status[status])
    amounts_row("Dépensé (engagé + facturé + payé)", summary.spent, strong=True)
    totals.append([])
    header("Frais généraux", "Montant TTC")
    amounts_row(
        f"Frais généraux valorisés ({summary.overhead_count} ligne(s), "
        f"{'inclus dans' if summary.include_overheads else 'hors du'} total)",
        summary.overheads_ttc,
    )
    totals.append([])
    header("Enveloppe", "Montant TTC")
    amounts_row("Enveloppe budgétaire", summary.envelope)
    amounts_row("Total TTC", summary.total_ttc)
    amounts_row("Dépensé (engagé + facturé + payé)", summary.spent)
    amounts_row("Reste sur l'enveloppe", summary.remaining, strong=True)
    if summary.warning:
        totals.append([summary.warning])
        totals.cell(totals.max_row, 1).font = Font(bold=True, color="B00020")
    totals.column_dimensions["A"].width = 58
    for letter in "BCDEFG":
        totals.column_dimensions[letter].width = 16
    keep_formulas_as_text(*workbook.worksheets)
    workbook.save(path)


def _line_cells(row: BudgetLineRow) -> list:
    return [
        row.category, row.label, row.supplier, row.amount_ht, row.vat_rate, row.amount_vat, row.amount_ttc,
        row.status, _yes(row.is_credit_note), _yes(row.is_overhead), row.order_ref, row.order_date,
        row.invoice_ref, row.invoice_date, row.payment_date, row.notes,
    ]

