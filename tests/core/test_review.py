"""Review core: results entry and validation, edition review, comparison of editions, dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core.demo import load_demo
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.models import (
    BudgetLine,
    Edition,
    EditionRole,
    Item,
    Loan,
    Organisation,
    Participation,
    RoleType,
    Shop,
    Task,
)
from bonsjours_desktop.core.comparison import compare_editions
from bonsjours_desktop.core.dashboard import dashboard
from bonsjours_desktop.core.review import (
    get_edition_review,
    list_result_rows,
    set_edition_review,
    set_results,
)

NOV_1 = dt.date(2013, 11, 1)


def edition_id(ops, name):
    return ops.read(lambda s: s.scalars(select(Edition.id).filter_by(name=name)).one())


def shop_id(ops, name):
    return ops.read(lambda s: s.scalars(select(Shop.id).filter_by(name=name)).one())


# --- results ----------------------------------------------------------------------------------


def test_demo_results_are_plausible_examples(demo_ops):
    for name, count in (("Novembre 2013", 17), ("Avril 2014", 20)):
        rows = demo_ops.read(lambda s: list_result_rows(s, edition_id(demo_ops, name)))
        assert len(rows) == count
        assert all(r.visitors and r.visitors > 0 for r in rows)
        assert any(r.sales is None for r in rows) and any(r.sales for r in rows)
        assert all("exemple" in r.result_comments for r in rows)
        assert all(r.animations_held for r in rows)
    april = demo_ops.read(lambda s: get_edition_review(s, edition_id(demo_ops, "Avril 2014")))
    assert "20 boutiques" in april.qualitative_results and "17" in april.qualitative_results
    assert "mercredis et samedis" in april.qualitative_results
    assert "ANTICIPER" in april.recommendations and "dossier « presse »" in april.recommendations
    assert april.press_articles and april.booklets_distributed
    notes = demo_ops.read(lambda s: s.scalars(select(Edition.notes).filter_by(name="Avril 2014")).one())
    assert "exemple" in notes


def with_seen(session, edition, rows):
    """Rows of the grid as it sends them: each with the participation as it showed it."""
    seen = {r.shop_id: r.seen for r in list_result_rows(session, edition)}
    return [{**row, "seen": seen.get(row["shop_id"])} for row in rows]


def test_demo_review_is_idempotent_and_keeps_typed_figures(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    cholet = shop_id(demo_ops, "Emmaüs Cholet")
    demo_ops.run("Saisie", lambda s: set_results(s, nov, with_seen(s, nov, [{"shop_id": cholet, "visitors": "999"}])))
    before = demo_ops.read(lambda s: list_result_rows(s, nov))
    lines = demo_ops.read(lambda s: len(s.scalars(select(BudgetLine)).all()))
    demo_ops.run("Exemple encore", lambda s: load_demo(s, living=False) and None)
    assert demo_ops.read(lambda s: list_result_rows(s, nov)) == before
    assert demo_ops.read(lambda s: len(s.scalars(select(BudgetLine)).all())) == lines
    assert [r.visitors for r in before if r.shop_id == cholet] == [999]


def test_set_results_writes_every_column_and_undoes(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    cholet, doue = shop_id(demo_ops, "Emmaüs Cholet"), shop_id(demo_ops, "Boutique solidaire de Doué")
    changes = demo_ops.run("Bilan", lambda s: set_results(s, nov, with_seen(s, nov, [
        {"shop_id": cholet, "visitors": "1 250", "sales": "1 234,56 €", "animations_held": "Crêpes\tet musique",
         "result_comments": "  Très bien  "},
        {"shop_id": doue, "visitors": "", "sales": ""},
    ])))
    assert changes.touches("participations")
    rows = {r.shop_id: r for r in demo_ops.read(lambda s: list_result_rows(s, nov))}
    assert rows[cholet].visitors == 1250
    assert rows[cholet].sales == Decimal("1234.56")
    assert rows[cholet].animations_held == "Crêpes\tet musique"
    assert rows[cholet].result_comments == "  Très bien  "  # stored exactly as typed
    assert rows[doue].visitors is None and rows[doue].sales is None
    demo_ops.undo()
    rows = {r.shop_id: r for r in demo_ops.read(lambda s: list_result_rows(s, nov))}
    assert rows[cholet].visitors != 1250 and rows[doue].visitors is not None


def test_set_results_refuses_bad_cells_naming_shop_and_column_and_writes_nothing(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    cholet, doue = shop_id(demo_ops, "Emmaüs Cholet"), shop_id(demo_ops, "Boutique solidaire de Doué")
    before = demo_ops.read(lambda s: list_result_rows(s, nov))
    with pytest.raises(ValidationError) as caught:
        demo_ops.run("Bilan", lambda s: set_results(s, nov, with_seen(s, nov, [
            {"shop_id": cholet, "visitors": "12,5", "sales": "100"},
            {"shop_id": doue, "visitors": "-3", "sales": "-10,00"},
            {"shop_id": shop_id(demo_ops, "Emmaüs Angers – Bric-à-brac de Saint-Jean"), "sales": "beaucoup"},
        ])))
    errors = caught.value.errors
    assert errors[f"{cholet}.visitors"].startswith("Boutique « Emmaüs Cholet », colonne « Visiteurs »")
    assert "nombre entier" in errors[f"{cholet}.visitors"]
    assert "négatif" in errors[f"{doue}.visitors"] and "Boutique solidaire de Doué" in errors[f"{doue}.visitors"]
    assert "Ventes (€)" in errors[f"{doue}.sales"] and "négatif" in errors[f"{doue}.sales"]
    assert any("« beaucoup » n'est pas un montant valide" in m for m in errors.values())
    assert demo_ops.read(lambda s: list_result_rows(s, nov)) == before
    assert not demo_ops.can_undo


def test_set_results_refuses_a_shop_outside_the_edition(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    longue = shop_id(demo_ops, "Recyclerie de Longué")  # joined in April 2014 only
    with pytest.raises(ValidationError, match="ne participe pas à l'édition « Novembre 2013 »"):
        demo_ops.run("Bilan", lambda s: set_results(s, nov, with_seen(s, nov, [{"shop_id": longue, "visitors": 10}])))


def test_edition_review_fields(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    demo_ops.run("Bilan", lambda s: set_edition_review(s, nov, expected=get_edition_review(s, nov).seen, press_articles="21", booklets_distributed="3 500", qualitative_results="Ligne 1\nLigne 2",
        recommendations="ANTICIPER"))
    review = demo_ops.read(lambda s: get_edition_review(s, nov))
    assert (review.press_articles, review.booklets_distributed) == (21, 3500)
    assert review.qualitative_results == "Ligne 1\nLigne 2"
    with pytest.raises(ValidationError, match="Articles de presse : « dix » n'est pas un nombre entier"):
        demo_ops.run("Bilan", lambda s: set_edition_review(s, nov, expected=get_edition_review(s, nov).seen, press_articles="dix", recommendations="x"))
    assert demo_ops.read(lambda s: get_edition_review(s, nov)).recommendations == "ANTICIPER"


# --- comparison -------------------------------------------------------------------------------


def test_comparison_of_both_demo_editions(demo_ops):
    nov, apr = demo_ops.read(compare_editions)
    assert (nov.name, apr.name) == ("Novembre 2013", "Avril 2014")
    assert (nov.shops, apr.shops) == (17, 20)
    assert nov.total_ttc == Decimal("41500.00")  # overhead lines (staff, transport) left out
    assert nov.cost_per_shop == Decimal("2441.18")  # 41 500 / 17
    expected_visitors = demo_ops.read(lambda s: sum(
        p.visitors for p in s.scalars(select(Participation).filter_by(edition_id=nov.edition_id))))
    assert nov.visitors == expected_visitors
    assert nov.cost_per_visitor == (Decimal("41500.00") / expected_visitors).quantize(Decimal("0.01"))
    april_total = demo_ops.read(lambda s: sum(
        (l.amount_ttc for l in s.scalars(select(BudgetLine).filter_by(edition_id=apr.edition_id, is_overhead=False))),
        Decimal("0.00")))
    assert april_total > 0 and apr.total_ttc == april_total
    assert apr.cost_per_shop == (april_total / 20).quantize(Decimal("0.01"))
    assert apr.visitors > nov.visitors


def test_comparison_ignores_withdrawn_shops_and_has_no_cost_without_data(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")

    def withdraw_and_clear(session):
        for p in session.scalars(select(Participation).filter_by(edition_id=nov)):
            p.visitors = None
        session.scalars(select(Participation).filter_by(edition_id=nov)).first().status = "désistée"

    demo_ops.run("Test", withdraw_and_clear)
    first = demo_ops.read(compare_editions)[0]
    assert first.shops == 16
    assert first.cost_per_shop == (Decimal("41500.00") / 16).quantize(Decimal("0.01"))
    assert first.visitors == 0 and first.cost_per_visitor is None


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_countdown_on_1_november_2013(demo_ops):
    clock.set_today(NOV_1)
    data = demo_ops.read(lambda s: dashboard(s, clock.today(), edition_id(demo_ops, "Novembre 2013")))
    assert data.countdown.day == dt.date(2013, 11, 13)
    assert data.countdown.days == 12
    assert data.countdown.text == "J-12 : mercredi 13 novembre 2013"
    # After the first day, the countdown goes to the second one; after the edition, to April 2014.
    assert demo_ops.read(lambda s: dashboard(s, dt.date(2013, 11, 14), None)).countdown.days == 2
    later = demo_ops.read(lambda s: dashboard(s, dt.date(2013, 12, 1), None)).countdown
    assert (later.day, later.edition_name) == (dt.date(2014, 4, 2), "Avril 2014")
    assert demo_ops.read(lambda s: dashboard(s, dt.date(2014, 4, 2), None)).countdown.text.startswith("Jour J")
    assert demo_ops.read(lambda s: dashboard(s, dt.date(2015, 1, 1), None)).countdown is None


def test_dashboard_late_and_upcoming_tasks(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    data = demo_ops.read(lambda s: dashboard(s, NOV_1, nov))
    assert data.late_tasks == () and data.upcoming_tasks == ()  # the demo's 2013 tasks are all done

    reopened = {
        "Fourniture du dossier de presse aux partenaires": "en cours",  # ended 18 Oct: late
        "Livraison des documents, de la signalétique, des jeux et des lots aux boutiques et aux EPCI": "à faire",  # 31 Oct: late
        "Déploiement de la campagne de communication et distribution du magazine": "en cours",  # 16 Nov: in 15 days
        "1er évènement « Les bons jours de l'occasion » (13 et 16 novembre)": "à faire",  # 16 Nov
        "Reprise des outils de communication et stockage au hangar": "à faire",  # 29 Nov: beyond 15 days
    }

    def reopen(session):
        for task in session.scalars(select(Task).where(Task.title.in_(reopened))):
            task.status = reopened[task.title]

    demo_ops.run("Rouvrir", reopen)
    data = demo_ops.read(lambda s: dashboard(s, NOV_1, nov))
    ids = demo_ops.read(lambda s: {t.title: t.id for t in s.scalars(select(Task))})
    assert [r.payload["task_id"] for r in data.late_tasks] == [
        ids["Fourniture du dossier de presse aux partenaires"],
        ids["Livraison des documents, de la signalétique, des jeux et des lots aux boutiques et aux EPCI"],
    ]
    assert all(r.tab == "Planning" and r.severity == "late" for r in data.late_tasks)
    # The Planning tab's red rows (TaskRow.is_late) are the dashboard's late tasks: one rule.
    from bonsjours_desktop.core.editions import list_editions
    from bonsjours_desktop.core.planning import list_task_rows

    planning_late = demo_ops.read(lambda s: {r.id for e in list_editions(s) for r in list_task_rows(s, e.id)
                                             if r.is_late(NOV_1)})
    assert planning_late == {r.payload["task_id"] for r in data.late_tasks}
    assert "14 jours de retard" in data.late_tasks[0].detail
    assert {r.payload["task_id"] for r in data.upcoming_tasks} == {
        ids["Déploiement de la campagne de communication et distribution du magazine"],
        ids["1er évènement « Les bons jours de l'occasion » (13 et 16 novembre)"],
    }
    assert "dans 15 j" in data.upcoming_tasks[0].detail
    # The review milestone (14 January 2014) enters the window 15 days before.
    demo_ops.run("Rouvrir", lambda s: setattr(
        s.scalars(select(Task).filter_by(title="Réunion « bilan » de l'évènement avec les boutiques")).one(),
        "status", "à faire"))
    january = demo_ops.read(lambda s: dashboard(s, dt.date(2013, 12, 30), nov))
    assert any(r.text.startswith("Jalon : Réunion « bilan »") for r in january.upcoming_tasks)


def test_dashboard_budget_gauge(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    data = demo_ops.read(lambda s: dashboard(s, NOV_1, nov))
    assert data.budget.consumed == Decimal("41500.00")  # paid, overheads excluded
    assert data.budget.envelope == Decimal("42000.00") and not data.budget.over
    assert data.budget_rows[0].tab == "Budget" and "99 %" in data.budget_rows[0].text

    def planned_only(session):
        session.scalars(select(BudgetLine).filter_by(edition_id=nov, is_overhead=False)).first().status = "prévu"
        session.get(Edition, nov).budget_envelope = Decimal("30000.00")

    demo_ops.run("Budget", planned_only)
    data = demo_ops.read(lambda s: dashboard(s, NOV_1, nov))
    assert data.budget.consumed < Decimal("41500.00") and data.budget.over
    assert "Dépassement" in data.budget_rows[0].detail


def test_dashboard_shops_partners_and_loans(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    cholet, doue = shop_id(demo_ops, "Emmaüs Cholet"), shop_id(demo_ops, "Boutique solidaire de Doué")
    assert demo_ops.read(lambda s: dashboard(s, NOV_1, nov)).shops == ()

    def prepare(session):
        # Start from no partner roles in the edition (the demo's own are replaced by the two below).
        for role in session.scalars(select(EditionRole).filter_by(edition_id=nov)):
            session.delete(role)
        session.flush()
        p = session.scalars(select(Participation).filter_by(edition_id=nov, shop_id=cholet)).one()
        for animation in list(p.animations):
            session.delete(animation)
        session.scalars(select(Participation).filter_by(edition_id=nov, shop_id=doue)).one().status = "pressentie"
        apivet = session.scalars(select(Organisation).filter_by(name="APIVET")).one()
        role_type = session.scalars(select(RoleType)).first()
        session.add(EditionRole(edition_id=nov, organisation=apivet, role_type=role_type, status="confirmé"))
        envie = session.scalars(select(Organisation).filter_by(name="Envie Anjou")).one()
        session.add(EditionRole(edition_id=nov, organisation=envie, role_type=role_type, status="invité"))
        item = session.scalars(select(Item).filter_by(identifier="ROUE-01")).one()
        shop = session.get(Shop, cholet)
        session.add(Loan(edition_id=nov, item=item, shop=shop, delivery_date=dt.date(2013, 10, 1),
                         pickup_date=dt.date(2013, 10, 20), status="livré"))
        session.add(Loan(edition_id=nov, item=session.scalars(select(Item).filter_by(identifier="ROUE-02")).one(),
                         shop=shop, delivery_date=dt.date(2013, 10, 1), pickup_date=dt.date(2013, 10, 20),
                         status="rentré"))
        session.add(Loan(edition_id=nov, item=session.scalars(select(Item).filter_by(identifier="ROUE-03")).one(),
                         shop=shop, delivery_date=dt.date(2013, 10, 1), pickup_date=dt.date(2013, 11, 20),
                         status="livré"))

    demo_ops.run("Préparer", prepare)
    data = demo_ops.read(lambda s: dashboard(s, NOV_1, nov))
    assert [(r.text, r.payload["shop_id"]) for r in data.shops] == [
        ("Boutique solidaire de Doué", doue), ("Emmaüs Cholet", cholet)]
    assert "pressentie" in data.shops[0].detail and "aucune animation" in data.shops[1].detail
    assert all(r.tab == "Boutiques" for r in data.shops)

    organisations = demo_ops.read(lambda s: {o.name: (o.id, o.kind) for o in s.scalars(select(Organisation))})
    # Every public-facing organisation (the press-kit rule): all but the Département's own services.
    expected = {i for i, kind in organisations.values() if kind != "service du Département"}
    listed = {r.payload["organisation_id"] for r in data.partners}
    assert listed == expected - {organisations["APIVET"][0]}
    envie = next(r for r in data.partners if r.text == "Envie Anjou")
    assert "invité" in envie.detail and envie.tab == "Partenaires"
    assert organisations["Le Courrier de l'Ouest"][0] in listed and organisations["CCAS d'Angers"][0] in listed

    assert len(data.loans) == 1  # returned and not-yet-due loans are not listed
    assert data.loans[0].tab == "Logistique" and "ROUE-01" in data.loans[0].text
    assert "Emmaüs Cholet" in data.loans[0].detail
    assert set(data.loans[0].payload) == {"loan_id", "edition_id"}
    assert len(data.rows()) == sum(len(rows) for _t, rows in data.sections())


def test_dashboard_without_edition(db, ops):
    data = ops.read(lambda s: dashboard(s, NOV_1, None))
    assert data.countdown is None and data.budget is None and data.rows() == []


def test_dashboard_partners_follow_the_press_kit_rule(demo_ops):
    """Press, CCAS and relays invited but not confirmed are listed; a partner whose only role is an
    internal one (funding) is not, nor the Département's services; the press kit agrees on each."""
    from bonsjours_desktop.core.documents.press import press_recipients

    nov = edition_id(demo_ops, "Novembre 2013")

    def prepare(session):
        for role in session.scalars(select(EditionRole).filter_by(edition_id=nov)):
            session.delete(role)
        session.flush()
        types = {t.name: t for t in session.scalars(select(RoleType))}
        orgs = {o.name: o for o in session.scalars(select(Organisation))}
        for name, role_type, status in (
            ("Ouest-France – correspondants locaux", "relais presse locale", "invité"),
            ("CCAS d'Angers", "diffusion de l'annuaire", "invité"),
            ("CCAS de Cholet", "financement", "invité"),
            ("Le Courrier de l'Ouest", "relais presse locale", "confirmé"),
        ):
            session.add(EditionRole(edition_id=nov, organisation=orgs[name], role_type=types[role_type], status=status))

    demo_ops.run("Rôles", prepare)
    listed = {r.text for r in demo_ops.read(lambda s: dashboard(s, NOV_1, nov)).partners}
    assert {"Ouest-France – correspondants locaux", "CCAS d'Angers"} <= listed
    assert "CCAS de Cholet" not in listed and "Le Courrier de l'Ouest" not in listed
    assert not any(name.startswith("Département –") for name in listed)
    recipients = {r.name: r.receives for r in demo_ops.read(lambda s: press_recipients(s, nov))}
    assert {"Ouest-France – correspondants locaux", "CCAS d'Angers"} <= set(recipients)
    assert all(recipients[name] for name in listed if name in recipients)
    assert not recipients["CCAS de Cholet"]
