"""The review report (bilan) of an edition: participation results, budget block, comparison."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy.orm import Session

from ..budget import budget_summary as core_budget_summary
from ..editions import list_editions
from ..formatting import integer, money
from ..models import (
    Edition,
    Shop,
)
from ..participations import takes_part
from .common import (
    _animation_dict,
    _change,
    _common,
    _edition,
    _edition_dict,
    _participations,
    _percent,
    _previous_summary,
    _shop_sort_key,
    _shops,
)
from .engine import ImageRef

# --- Review report ------------------------------------------------------------------------------

ZERO = Decimal("0.00")


def budget_summary(session: Session, edition: Edition) -> dict[str, Any]:
    """The bilan's budget block, read from the one budget summary (core.budget.budget_summary):
    overheads outside the totals, "reste" = envelope − (engagé + facturé + payé)."""
    summary = core_budget_summary(session, edition.id)
    total_ttc = summary.total_ttc
    envelope = summary.envelope
    used = summary.used_share
    return {
        "has_lines": summary.has_lines,
        "categories": [
            {"name": c.category, "ht_text": money(c.ht), "ttc_text": money(c.ttc),
             "share_text": _percent(c.ttc, total_ttc), "lines": c.line_count}
            for c in summary.by_category
        ],
        "total_ht_text": money(summary.total_ht),
        "total_vat_text": money(summary.total_vat),
        "total_ttc": total_ttc,
        "total_ttc_text": money(total_ttc) if summary.has_lines else "aucune dépense saisie",
        "planned_text": money(summary.planned),
        "spent": summary.spent,
        "spent_text": money(summary.spent),
        "overheads_text": money(summary.overheads_ttc) if summary.overheads_ttc else "",
        "envelope": envelope,
        "envelope_text": money(envelope) if envelope is not None else "non fixée",
        "remaining": summary.remaining,
        "remaining_text": money(summary.remaining) if summary.remaining is not None else "",
        "used_text": _percent(summary.spent, envelope) if used is not None else "",
    }


def _results(session: Session, edition: Edition) -> dict[str, Any]:
    participations = [p for p in _participations(session, edition.id).values() if takes_part(p.status)]
    visitors = [p.visitors for p in participations if p.visitors is not None]
    sales = [p.sales for p in participations if p.sales is not None]
    shops = {p.shop_id: session.get(Shop, p.shop_id) for p in participations}
    return {
        "shops": len(participations),
        "territories": len({shops[p.shop_id].territory_id for p in participations if shops[p.shop_id].territory_id}),
        "animations": sum(len(p.animations) for p in participations),
        "visitors": sum(visitors) if visitors else None,
        "visitors_known": len(visitors),
        "sales": sum(sales, ZERO) if sales else None,
    }


def _answered(shops: int) -> str:
    """« 17 boutiques ont répondu », « 1 boutique a répondu », « aucune boutique n'a répondu »."""
    from .typography import counted

    if not shops:
        return "aucune boutique n'a répondu"
    return f"{counted(shops, 'boutique')} {'ont' if shops > 1 else 'a'} répondu"


def bilan_context(session: Session, edition_id: int, chart_images: Sequence[tuple[Path, str]] = ()) -> dict[str, Any]:
    """Review report: participation table, budget summary, charts, comparison with the previous edition."""
    edition = _edition(session, edition_id)
    participations = _participations(session, edition_id)
    shops = {s.id: s for s in _shops(session, active_only=False)}
    rows = []
    for shop_id, participation in sorted(participations.items(), key=lambda item: _shop_sort_key(shops[item[0]])):
        shop = shops[shop_id]
        animations = [_animation_dict(a) for a in participation.animations]
        rows.append({
            "shop": shop.name,
            "commune": shop.commune,
            "territory": shop.territory.name if shop.territory else "",
            "status": participation.status,
            "animations_text": "\n".join(
                f"{a['day_text']} : {a['category']}" if a["day_text"] else a["category"] for a in animations
            ),
            "animations_held": participation.animations_held,
            "visitors": participation.visitors,
            "visitors_text": integer(participation.visitors) if participation.visitors is not None else "",
            "sales": participation.sales,
            "sales_text": money(participation.sales) if participation.sales is not None else "",
            "comments": participation.result_comments,
        })
    current = _results(session, edition)
    budget = budget_summary(session, edition)
    previous_summary = _previous_summary(list_editions(session), edition_id)
    previous_edition = session.get(Edition, previous_summary.id) if previous_summary else None
    comparison = []
    if previous_edition is not None:
        before = _results(session, previous_edition)
        before_budget = budget_summary(session, previous_edition)

        def row(label: str, old, new, fmt=lambda v: integer(v), is_money: bool = False) -> None:
            comparison.append({
                "label": label,
                "previous": fmt(old) if old is not None else "non renseigné",
                "current": fmt(new) if new is not None else "non renseigné",
                "change": _change(old, new, is_money),
            })

        row("Boutiques participantes", before["shops"], current["shops"])
        row("Territoires concernés", before["territories"], current["territories"])
        row("Animations prévues", before["animations"], current["animations"])
        row("Jours d'ouverture communs", len(previous_edition.event_days), len(edition.event_days))
        if before["visitors"] is not None or current["visitors"] is not None:
            row("Visiteurs (chiffres saisis)", before["visitors"], current["visitors"])
        if before["sales"] is not None or current["sales"] is not None:
            row("Ventes (chiffres saisis)", before["sales"], current["sales"], money, True)
        row("Dépenses TTC", before_budget["total_ttc"] if before_budget["has_lines"] else None,
            budget["total_ttc"] if budget["has_lines"] else None, money, True)
        row("Articles de presse", previous_edition.press_articles, edition.press_articles)
        row("Annuaires distribués", previous_edition.booklets_distributed, edition.booklets_distributed)
    context = _common(session, edition)
    context.update({
        "previous": {"name": previous_edition.name, "days_text": _edition_dict(previous_edition)["days_text"]}
        if previous_edition else None,
        "has_previous": previous_edition is not None,
        "first_edition_text": "" if previous_edition is not None else (
            f"{edition.name} est la première édition : il n'y a pas d'édition antérieure à laquelle la comparer."),
        "participations": rows,
        "totals": {
            "shops": current["shops"],
            "territories": current["territories"],
            "animations": current["animations"],
            "visitors_text": integer(current["visitors"]) if current["visitors"] is not None else "non renseigné",
            "visitors_known": current["visitors_known"],
            "visitors_known_text": _answered(current["visitors_known"]),
            "sales_text": money(current["sales"]) if current["sales"] is not None else "non renseigné",
        },
        "budget": budget,
        "charts": [{"image": ImageRef(Path(path), 150.0), "caption": caption} for path, caption in chart_images],
        "comparison": comparison,
        "press_articles_text": integer(edition.press_articles) if edition.press_articles is not None else "non renseigné",
        "booklets_text": integer(edition.booklets_distributed) if edition.booklets_distributed is not None else "non renseigné",
        "qualitative_results": edition.qualitative_results,
        "recommendations": edition.recommendations,
    })
    return context
