"""Editions: validation in French, event days, deletion with everything that belongs to it, undo."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core import editions as E
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.models import Animation, BudgetLine, Edition, EventDay, Participation, Task

WED = dt.date(2014, 11, 12)
SAT = dt.date(2014, 11, 15)


def count(database, model, **where):
    with database.session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def edition_id(ops, name):
    return ops.read(lambda s: E.find_edition(s, name).id)


def test_create_edition_with_days_theme_status_and_envelope(ops):
    new_id = ops.run("Créer", lambda s: E.create_edition(
        s, "Novembre 2014", [SAT, WED], theme="Réparer plutôt que jeter", status="en préparation",
        budget_envelope="12 500,50 €", notes="3e édition")).value
    detail = ops.read(lambda s: E.edition_detail(s, new_id))
    assert detail.name == "Novembre 2014"
    assert detail.days == (WED, SAT)
    assert detail.theme == "Réparer plutôt que jeter"
    assert detail.budget_envelope == Decimal("12500.50")
    assert detail.status == "en préparation"
    summaries = ops.read(E.list_editions)
    assert [s.name for s in summaries] == ["Novembre 2014"]


def test_edition_validation_messages_are_french_and_collected(ops):
    with pytest.raises(ValidationError) as caught:
        ops.run("Créer", lambda s: E.create_edition(s, "  ", [], status="finie", budget_envelope="douze"))
    errors = caught.value.errors
    assert errors["name"] == "Le nom de l'édition est obligatoire."
    assert errors["days"] == "Indiquez au moins un jour d'évènement."
    assert "Le statut « finie » n'existe pas" in errors["status"]
    assert "L'enveloppe budgétaire « douze » n'est pas un montant valide" in errors["budget_envelope"]
    assert not ops.can_undo


def test_edition_name_is_unique_ignoring_case_and_accents(demo_ops):
    with pytest.raises(ValidationError) as caught:
        demo_ops.run("Créer", lambda s: E.create_edition(s, "avril 2014", [WED]))
    assert caught.value.errors["name"] == "Une édition s'appelle déjà « Avril 2014 » : choisissez un autre nom."
    # Renaming an edition to its own name (other case) is allowed.
    apr = edition_id(demo_ops, "Avril 2014")
    demo_ops.run("Modifier", lambda s: E.update_edition(
        s, apr, name="AVRIL 2014", days=[dt.date(2014, 4, 2), dt.date(2014, 4, 5)], status="terminée",
        expected=E.edition_detail(s, apr).seen))
    assert demo_ops.read(lambda s: E.edition_detail(s, apr)).name == "AVRIL 2014"


def test_negative_envelope_and_duplicate_day_refused(ops):
    with pytest.raises(ValidationError) as caught:
        ops.run("Créer", lambda s: E.create_edition(s, "X", [WED, WED], budget_envelope="-5"))
    assert caught.value.errors["budget_envelope"] == "L'enveloppe budgétaire ne peut pas être négative."
    assert caught.value.errors["days"] == "Le mercredi 12 novembre 2014 est indiqué deux fois dans les jours d'évènement."


def test_empty_envelope_is_none(ops):
    new_id = ops.run("Créer", lambda s: E.create_edition(s, "X", [WED], budget_envelope="  ")).value
    assert ops.read(lambda s: E.edition_detail(s, new_id)).budget_envelope is None


def test_set_event_days_keeps_kept_days_and_deletes_animations_of_removed_ones(demo_db, demo_ops):
    apr = edition_id(demo_ops, "Avril 2014")
    with demo_db.session() as s:
        wednesday_id = s.scalar(select(EventDay.id).filter_by(edition_id=apr, day=dt.date(2014, 4, 2)))
    animations_before = count(demo_db, Animation)
    on_saturday = demo_ops.read(lambda s: E.animations_on_removed_days(s, apr, [dt.date(2014, 4, 2)]))
    assert on_saturday == 20

    changes = demo_ops.run("Jours", lambda s: E.set_event_days(s, apr, [dt.date(2014, 4, 2), dt.date(2014, 4, 9)]))
    assert changes.value == 20
    assert count(demo_db, Animation) == animations_before - 20
    with demo_db.session() as s:
        days = s.execute(select(EventDay.id, EventDay.day).filter_by(edition_id=apr).order_by(EventDay.day)).all()
    assert [d.day for d in days] == [dt.date(2014, 4, 2), dt.date(2014, 4, 9)]
    assert days[0].id == wednesday_id  # the kept day kept its row, so its animations stayed
    assert count(demo_db, Animation, event_day_id=wednesday_id) == 20

    demo_ops.undo()
    assert count(demo_db, Animation) == animations_before
    assert demo_ops.read(lambda s: E.edition_detail(s, apr)).days == (dt.date(2014, 4, 2), dt.date(2014, 4, 5))


def test_update_edition_reports_removed_animations(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    removed = demo_ops.run("Modifier", lambda s: E.update_edition(
        s, nov, name="Novembre 2013", days=[dt.date(2013, 11, 16)], theme="t", status="terminée",
        budget_envelope="42 000", expected=E.edition_detail(s, nov).seen)).value
    assert removed == 17


def test_set_event_days_requires_a_day(demo_ops):
    apr = edition_id(demo_ops, "Avril 2014")
    with pytest.raises(ValidationError, match="au moins un jour"):
        demo_ops.run("Jours", lambda s: E.set_event_days(s, apr, []))


def test_delete_edition_impact_cascade_and_undo(demo_db, demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    impact = demo_ops.read(lambda s: E.edition_impact(s, nov))
    assert (impact.participations, impact.animations, impact.tasks, impact.budget_lines, impact.loans) == (17, 34, 11, 11, 0)
    assert impact.describe().startswith(
        "17 participations de boutiques, 34 animations, 11 tâches du planning, 11 lignes de budget"
    )
    before = {m: count(demo_db, m) for m in (Edition, EventDay, Participation, Animation, Task, BudgetLine)}
    assert demo_ops.run("Supprimer", lambda s: E.delete_edition(s, nov, expected=E.edition_detail(s, nov).seen)).value == "Novembre 2013"
    assert count(demo_db, Participation, edition_id=nov) == 0
    assert count(demo_db, Task, edition_id=nov) == 0 and count(demo_db, BudgetLine, edition_id=nov) == 0
    assert [s.name for s in demo_ops.read(E.list_editions)] == ["Avril 2014"]
    demo_ops.undo()
    assert {m: count(demo_db, m) for m in before} == before
    assert [s.name for s in demo_ops.read(E.list_editions)] == ["Novembre 2013", "Avril 2014"]


def test_impact_describe_when_nothing_is_linked(ops):
    new_id = ops.run("Créer", lambda s: E.create_edition(s, "Vide", [WED])).value
    assert ops.read(lambda s: E.edition_impact(s, new_id)).describe() == "aucune donnée liée"


def test_text_is_stored_exactly_as_typed(ops):
    name = "Édition « spéciale » & <test> d'été"
    new_id = ops.run("Créer", lambda s: E.create_edition(s, name, [WED], theme="Thème\x07 ok")).value
    detail = ops.read(lambda s: E.edition_detail(s, new_id))
    assert detail.name == name and detail.theme == "Thème ok"


def test_changing_the_event_days_moves_anchored_open_tasks_only(demo_ops):
    from bonsjours_desktop.core.models import Task

    nov = edition_id(demo_ops, "Novembre 2013")

    def reopen(session):
        for task in session.scalars(select(Task).where(Task.edition_id == nov)):
            if task.title.startswith("Fourniture du dossier de presse"):
                task.status = "en cours"

    demo_ops.run("Rouvrir", reopen)
    def starts():
        return demo_ops.read(lambda s: {t.title: t.start for t in s.scalars(select(Task).where(Task.edition_id == nov))})

    before = starts()
    demo_ops.run("Décaler", lambda s: E.set_event_days(s, nov, [dt.date(2013, 11, 20), dt.date(2013, 11, 23)]))
    after = starts()
    moved = {title for title in before if after[title] != before[title]}
    assert moved == {"Fourniture du dossier de presse aux partenaires"}
    assert after["Fourniture du dossier de presse aux partenaires"] == before["Fourniture du dossier de presse aux partenaires"] + dt.timedelta(days=7)
    demo_ops.undo()
    assert starts() == before
