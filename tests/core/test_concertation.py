"""Date concertation: candidates, holiday flags, tolerant answers, ranking, choosing (undoable)."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from bonsjours_desktop.core import concertation as cc
from bonsjours_desktop.core.editions import create_edition, find_edition
from bonsjours_desktop.core.errors import BonsJoursError, NotFoundError, ValidationError
from bonsjours_desktop.core.geo import set_coordinator_departement
from bonsjours_desktop.core.db import open_database
from bonsjours_desktop.core.models import Edition
from bonsjours_desktop.core.operations import OperationRunner
from bonsjours_desktop.core.planning import TaskData, create_task, list_task_rows
from bonsjours_desktop.core.versions import ConcurrentEditError, snapshot

D = dt.date


@pytest.fixture
def edition_id(demo_ops):
    """A new edition on the demo whose days are still to be agreed, with two candidates."""
    edition = demo_ops.run("Créer", lambda s: create_edition(s, "Novembre 2014", [], allow_no_days=True)).value
    demo_ops.run("Proposer", lambda s: cc.propose_candidates(
        s, edition, [[D(2014, 11, 12), D(2014, 11, 15)], [D(2014, 11, 19), D(2014, 11, 22)]]))
    return edition


def test_parse_candidates_and_the_usual_pair():
    assert cc.parse_candidates("2014-11-12/2014-11-15, 19/11/2014/22/11/2014") == [
        [D(2014, 11, 12), D(2014, 11, 15)], [D(2014, 11, 19), D(2014, 11, 22)]]
    assert cc.wednesday_saturday(D(2014, 11, 12)) == [D(2014, 11, 12), D(2014, 11, 15)]
    with pytest.raises(BonsJoursError, match="Candidat 2 : « 2014-02-30 » n'est pas une date"):
        cc.parse_candidates("2014-11-12,2014-02-30")
    with pytest.raises(BonsJoursError, match="Candidat 1 : « 12 novembre » n'est pas une liste de dates"):
        cc.parse_candidates("12 novembre")
    with pytest.raises(BonsJoursError, match="vide"):
        cc.parse_candidates(" , ")


@pytest.mark.parametrize("departement, day, zone", [
    ("49", D(2027, 1, 6), "B"), ("49", D(2014, 1, 6), "A"),  # Nantes: zone A until the 2015 reform
    ("75", D(2027, 1, 6), "C"), ("33", D(2014, 1, 6), "C"), ("33", D(2027, 1, 6), "A"), ("2A", D(2027, 1, 6), None),
])
def test_school_zone_follows_the_academie_and_the_2015_reform(departement, day, zone):
    assert cc.school_zone(departement, day) == zone


def test_holidays_are_flagged_on_candidate_days():
    assert cc.day_flags(D(2014, 11, 11), "49") == ["jour férié (Armistice)"]
    assert cc.day_flags(D(2014, 10, 22), "49") == ["vacances de la Toussaint (zone A)"]
    assert cc.day_flags(D(2014, 11, 12), "49") == []
    # 2027 in Maine-et-Loire: zone B, winter holidays from 20 February.
    assert any("zone B" in flag for flag in cc.day_flags(D(2027, 2, 24), "49"))


def test_candidates_carry_flags_and_the_departement_setting_counts(demo_ops, edition_id):
    demo_ops.run("Proposer", lambda s: cc.propose_candidates(s, edition_id, [[D(2014, 10, 22), D(2014, 10, 25)]]))
    third = demo_ops.read(lambda s: cc.list_candidates(s, edition_id))[2]
    assert third.label == "Choix 3 : mer. 22 oct. + sam. 25 oct. 2014"
    assert third.flags == ("mer. 22 oct. : vacances de la Toussaint (zone A)",
                           "sam. 25 oct. : vacances de la Toussaint (zone A)")
    # Bordeaux was in zone C in 2014, on holiday from 18 October too; Paris (C) also: only the zone changes.
    demo_ops.run("Département", lambda s: set_coordinator_departement(s, "33"))
    third = demo_ops.read(lambda s: cc.list_candidates(s, edition_id))[2]
    assert third.flags[0].endswith("(zone C)")


def test_a_candidate_is_checked_like_event_days(demo_ops, edition_id):
    with pytest.raises(ValidationError, match="déjà proposées"):
        demo_ops.run("P", lambda s: cc.propose_candidates(s, edition_id, [[D(2014, 11, 15), D(2014, 11, 12)]]))
    with pytest.raises(ValidationError, match="Candidat 1 : .*deux fois"):
        demo_ops.run("P", lambda s: cc.propose_candidates(s, edition_id, [[D(2014, 12, 3), D(2014, 12, 3)]]))
    assert len(demo_ops.read(lambda s: cc.list_candidates(s, edition_id))) == 2


@pytest.mark.parametrize("text, expected", [
    ("Oui", "oui"), ("x", "oui"), ("X", "oui"), ("o", "oui"), ("✓", "oui"), ("  OUI  ", "oui"),
    ("non", "non"), ("Non.", "non"), ("fermé", "non"), ("peut-être", "si besoin"), ("Peut être", "si besoin"),
    ("si besoin", "si besoin"), ("Si besoin seulement", "si besoin"), ("?", "si besoin"), ("", None), ("  ", None),
])
def test_answers_are_read_tolerantly(text, expected):
    assert cc.normalise_answer(text) == expected


def test_an_unknown_answer_is_refused():
    with pytest.raises(ValueError):
        cc.normalise_answer("mardi plutôt")


def _fill(path, answers: dict[str, tuple], extra_rows=()):
    """Fill the reply form like a coordinator would: by shop name, columns Choix 1, Choix 2."""
    book = load_workbook(path)
    sheet = book["Réponses"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value in answers:
            for offset, value in enumerate(answers[row[1].value]):
                row[5 + offset].value = value
    for extra in extra_rows:
        sheet.append(extra)
    book.save(path)


def test_form_then_answers_then_ranking(demo_ops, edition_id, tmp_path):
    form = tmp_path / "formulaire.xlsx"
    rows = demo_ops.read(lambda s: cc.write_reply_form(s, edition_id, form))
    sheet = load_workbook(form)["Réponses"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["N°", "Nom", "Commune", "Territoire", "Jours d'ouverture habituels"]
    assert headers[5:] == ["Choix 1 : mer. 12 nov. + sam. 15 nov. 2014", "Choix 2 : mer. 19 nov. + sam. 22 nov. 2014",
                           "Commentaire"]
    assert sheet.max_row == rows + 1 and rows >= 15
    assert sheet.data_validations.dataValidation[0].formula1 == '"oui,si besoin,non"'
    names = [sheet.cell(row, 2).value for row in range(2, rows + 2)]
    first, second, third = names[:3]
    _fill(form, {first: ("Oui", "non"), second: ("x", "peut-être"), third: ("non", "oui")},
          extra_rows=[["", "Boutique de nulle part", "Nulle part", "", "", "oui", ""],
                      ["", names[3], "", "", "", "mardi plutôt", "oui"]])
    imported = demo_ops.read(lambda s: cc.read_answers(s, edition_id, form))
    assert any("Boutique de nulle part" in p and p.startswith("Ligne ") for p in imported.problems)
    assert any("« mardi plutôt » incomprise" in p for p in imported.problems)
    assert demo_ops.run("Importer", lambda s: cc.apply_answers(s, edition_id, imported)).value == 7
    ranked = demo_ops.read(lambda s: cc.ranking(s, edition_id))
    assert [r.candidate.position for r in ranked] == [2, 1]  # 2 « oui » each; choice 2 has a « si besoin »
    by_position = {r.candidate.position: r for r in ranked}
    assert (by_position[1].yes, by_position[1].maybe, by_position[1].no) == (2, 0, 1)
    assert (by_position[2].yes, by_position[2].maybe, by_position[2].no) == (2, 1, 1)
    assert by_position[1].cannot == (third,) and by_position[2].cannot == (first,)


def test_ranking_order_yes_then_maybe_then_territories(demo_ops, edition_id):
    shops = demo_ops.read(lambda s: [r for r in cc.respondents(s) if r.is_shop])
    ids = {c.position: c.id for c in demo_ops.read(lambda s: cc.list_candidates(s, edition_id))}
    # Choice 2: one « oui » more than choice 1 → first whatever the « si besoin ».
    answers = {1: ["oui", "si besoin", "si besoin", "si besoin"], 2: ["oui", "oui", "non", "non"]}

    def record(session):
        for position, values in answers.items():
            for shop, value in zip(shops, values):
                cc.set_answer(session, ids[position], shop.key, value, expected=None)

    demo_ops.run("Réponses", record)
    ranked = demo_ops.read(lambda s: cc.ranking(s, edition_id))
    assert [r.candidate.position for r in ranked] == [2, 1]
    assert ranked[1].missing == len(shops) - 4
    # Same « oui », more « si besoin » → choice 1 first.
    demo_ops.run("Un oui de moins", lambda s: cc.set_answer(s, ids[2], shops[1].key, None, expected="oui"))
    assert [r.candidate.position for r in demo_ops.read(lambda s: cc.ranking(s, edition_id))] == [1, 2]


def _choose(ops, edition_id, position):
    seen = ops.read(lambda s: snapshot(s, Edition, edition_id))
    return ops.run(f"Choisir {position}", lambda s: cc.choose_candidate(s, edition_id, position, expected=seen))


def test_choose_sets_the_days_reanchors_the_planning_and_undoes(demo_ops, edition_id):
    _choose(demo_ops, edition_id, 1)
    task = demo_ops.run("Tâche", lambda s: create_task(s, edition_id, TaskData(
        title="Envoyer le communiqué", start=D(2014, 10, 13), end=D(2014, 10, 13), anchor="J-30 jours"))).value

    def state(session):
        edition = find_edition(session, "Novembre 2014")
        row = next(r for r in list_task_rows(session, edition_id) if r.id == task)
        chosen = [c.position for c in cc.list_candidates(session, edition_id) if c.chosen]
        return [d.day for d in edition.event_days], row.start, chosen

    assert demo_ops.read(state) == ([D(2014, 11, 12), D(2014, 11, 15)], D(2014, 10, 13), [1])
    _choose(demo_ops, edition_id, 2)
    assert demo_ops.read(state) == ([D(2014, 11, 19), D(2014, 11, 22)], D(2014, 10, 20), [2])
    demo_ops.undo()
    assert demo_ops.read(state) == ([D(2014, 11, 12), D(2014, 11, 15)], D(2014, 10, 13), [1])
    with pytest.raises(NotFoundError, match="Pas de candidat n° 7"):
        _choose(demo_ops, edition_id, 7)


def test_form_refuses_bad_targets_and_writes_nothing(demo_ops, edition_id, tmp_path):
    with pytest.raises(BonsJoursError, match="n'existe pas"):
        demo_ops.read(lambda s: cc.write_reply_form(s, edition_id, tmp_path / "absent" / "f.xlsx"))
    with pytest.raises(BonsJoursError, match=r"\.xlsx"):
        demo_ops.read(lambda s: cc.write_reply_form(s, edition_id, tmp_path / "f.csv"))
    empty = demo_ops.run("Créer", lambda s: create_edition(s, "Sans candidats", [], allow_no_days=True)).value
    with pytest.raises(BonsJoursError, match="pas encore de dates candidates"):
        demo_ops.read(lambda s: cc.write_reply_form(s, empty, tmp_path / "f.xlsx"))
    assert not list(tmp_path.rglob("*.xlsx")) and not list(tmp_path.rglob("*.csv")) and not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]


# --- Team mode: two coordinators on one base (SQLite here, PostgreSQL in make test's second pass) --


@pytest.fixture
def colleague(demo_db):
    """B: a second engine on the same base, as a colleague's computer."""
    other = open_database(demo_db.url)
    yield OperationRunner(other)
    other.dispose()


def test_a_stale_answer_is_refused_and_the_colleagues_kept(demo_ops, colleague, edition_id):
    shop = demo_ops.read(lambda s: next(r for r in cc.respondents(s) if r.is_shop))
    ids = {c.position: c.id for c in demo_ops.read(lambda s: cc.list_candidates(s, edition_id))}
    seen_by_a = demo_ops.read(lambda s: cc.answers_grid(s, edition_id)).get((shop.key, 1))
    seen_by_b = colleague.read(lambda s: cc.answers_grid(s, edition_id)).get((shop.key, 1))
    assert seen_by_a is seen_by_b is None
    colleague.run("B", lambda s: cc.set_answer(s, ids[1], shop.key, "oui", expected=seen_by_b))
    with pytest.raises(ConcurrentEditError, match=f"réponse de « {shop.name} » pour le choix 1 .*"
                                                  "« — » → « oui »"):
        demo_ops.run("A", lambda s: cc.set_answer(s, ids[1], shop.key, "non", expected=seen_by_a))
    assert demo_ops.read(lambda s: cc.answers_grid(s, edition_id))[(shop.key, 1)] == "oui"
    # Clearing a cell a colleague filled is refused the same way; once reloaded, A's answer goes in.
    with pytest.raises(ConcurrentEditError):
        demo_ops.run("A efface", lambda s: cc.set_answer(s, ids[1], shop.key, None, expected=None))
    reloaded = demo_ops.read(lambda s: cc.answers_grid(s, edition_id))[(shop.key, 1)]
    demo_ops.run("A", lambda s: cc.set_answer(s, ids[1], shop.key, "non", expected=reloaded))
    assert colleague.read(lambda s: cc.answers_grid(s, edition_id))[(shop.key, 1)] == "non"
    # A candidate removed meanwhile: the answer is refused as such.
    colleague.run("B retire", lambda s: cc.remove_candidate(s, edition_id, 2))
    with pytest.raises(ConcurrentEditError, match="retiré entre-temps") as refused:
        demo_ops.run("A", lambda s: cc.set_answer(s, ids[2], shop.key, "oui", expected=None))
    assert refused.value.deleted


def test_choosing_over_a_colleagues_choice_is_refused(demo_ops, colleague, edition_id):
    seen_by_a = demo_ops.read(lambda s: snapshot(s, Edition, edition_id))
    _choose(colleague, edition_id, 2)
    with pytest.raises(ConcurrentEditError, match="quelqu'un d'autre a modifié l'édition"):
        demo_ops.run("A", lambda s: cc.choose_candidate(s, edition_id, 1, expected=seen_by_a))
    days = demo_ops.read(lambda s: [d.day for d in find_edition(s, "Novembre 2014").event_days])
    assert days == [D(2014, 11, 19), D(2014, 11, 22)]
