"""Event-day hours and their conflicts, press-kit scopes and recipients, role sheets, e-mail drafts."""

from __future__ import annotations

import base64
import datetime as dt
import email
from email import policy

import pytest
from sqlalchemy import select

from bonsjours_desktop.core.documents import generate, press
from bonsjours_desktop.core.documents import engine

from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.event_hours import (
    FROM_WEEKLY,
    NOT_OPEN,
    TYPED,
    conflicts_for,
    day_hours,
    edition_conflicts,
    set_event_hours,
)
from bonsjours_desktop.core.models import Contact, Edition, EventDay, Participation, RoleType, Shop


def document_text(path) -> str:
    """The kit's text with French typography undone (no-break spaces, ’), to compare with plain text."""
    return engine.document_text(path).replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")


WED = dt.date(2014, 4, 2)
SAT = dt.date(2014, 4, 5)
PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
T_S = {"mardi": [["14:00", "18:00"]], "samedi": [["09:00", "12:00"]]}


def edition_id(db, name="Avril 2014") -> int:
    with db.session() as session:
        return find_edition(session, name).id


# --- hours rules --------------------------------------------------------------------------------


def test_day_hours_default_to_the_weekday_and_typed_hours_win():
    assert day_hours(T_S, {}, SAT).ranges == (("09:00", "12:00"),) and day_hours(T_S, {}, SAT).source == FROM_WEEKLY
    closed = day_hours(T_S, {}, WED)
    assert closed.missing and not closed.opens
    typed = day_hours(T_S, {"2014-04-02": [["14:00", "18:00"]]}, WED)
    assert typed.ranges == (("14:00", "18:00"),) and typed.source == TYPED and not typed.missing
    not_open = day_hours(T_S, {"2014-04-05": []}, SAT)
    assert not_open.source == NOT_OPEN and not not_open.opens and not not_open.missing


def test_conflicts_closed_day_animation_outside_hours_and_not_open_day():
    animations = [(WED, "musique", "Musique", "14:00", "18:00"), (SAT, "jeux", "Jeux", "10:00", "17:00")]
    found = conflicts_for(1, "La Malle", 7, T_S, {}, [WED, SAT], animations)
    assert [(c.day, c.kind) for c in found] == [(WED, "missing"), (SAT, "outside")]
    assert "normalement fermée le mercredi 2 avril 2014" in found[0].message
    assert "« Jeux » (10:00-17:00) déborde des horaires du jour (09:00-12:00)" in found[1].message
    fixed = {"2014-04-02": [["14:00", "18:00"]], "2014-04-05": [["09:00", "12:00"], ["14:00", "17:30"]]}
    assert conflicts_for(1, "La Malle", 7, T_S, fixed, [WED, SAT], animations) == []
    # Marked as not taking part that day, but an animation is planned on it.
    found = conflicts_for(1, "La Malle", 7, T_S, {**fixed, "2014-04-05": []}, [WED, SAT], animations)
    assert [c.kind for c in found] == ["not-open"]
    # Not taking part on a closed day without animation is no conflict.
    assert conflicts_for(1, "La Malle", 7, T_S, {"2014-04-02": []}, [WED, SAT], animations[1:2]) == [
        c for c in conflicts_for(1, "La Malle", 7, T_S, {}, [SAT], animations[1:2])]


def test_demo_2014_has_no_conflict_and_2013_lists_them(demo_db):
    with demo_db.session() as session:
        assert edition_conflicts(session, edition_id(demo_db)) == []
        nov = edition_conflicts(session, edition_id(demo_db, "Novembre 2013"))
    assert {c.shop_name for c in nov} >= {"La Malle aux trésors", "Boutique solidaire de Doué"}
    assert {c.kind for c in nov} == {"missing", "outside"}


def _participation(session, shop_name: str, edition: str = "Novembre 2013") -> Participation:
    return session.scalars(
        select(Participation).join(Shop).join(Edition)
        .where(Shop.name == shop_name, Edition.name == edition)
    ).one()


def test_set_event_hours_validates_everything_before_writing_and_can_be_undone(demo_db, demo_ops):
    with demo_db.session() as session:
        participation = _participation(session, "La Malle aux trésors")
        pid = participation.id
        days = {d.day: d.id for d in session.scalars(select(EventDay).where(EventDay.edition_id == participation.edition_id))}
    wed, sat = days[dt.date(2013, 11, 13)], days[dt.date(2013, 11, 16)]
    with pytest.raises(ValidationError) as error:
        demo_ops.run("Horaires", lambda s: set_event_hours(s, pid, {wed: "14h-18h", sat: "18h-10h"}))
    assert "finit avant de commencer" in " ".join(error.value.errors.values())
    with demo_db.session() as session:
        assert session.get(Participation, pid).event_hours == {}  # nothing half-written
    left = demo_ops.run("Horaires", lambda s: set_event_hours(s, pid, {wed: "14h-18h", sat: "9h-12h 13h30-17h"}))
    assert left.value == []
    with demo_db.session() as session:
        assert session.get(Participation, pid).event_hours == {
            "2013-11-13": [["14:00", "18:00"]], "2013-11-16": [["09:00", "12:00"], ["13:30", "17:00"]]}
        assert "La Malle aux trésors" not in {c.shop_name for c in edition_conflicts(session, edition_id(demo_db, "Novembre 2013"))}
    demo_ops.undo()
    with demo_db.session() as session:
        assert session.get(Participation, pid).event_hours == {}
    # "fermé" marks the day as not taken part in; an empty text goes back to the weekly hours.
    demo_ops.run("Horaires", lambda s: set_event_hours(s, pid, {wed: "fermé", sat: ""}))
    with demo_db.session() as session:
        assert session.get(Participation, pid).event_hours == {"2013-11-13": []}


# --- kits: hours, scopes, recipients ----------------------------------------------------------------


def test_no_kit_contradicts_itself_on_the_demo(demo_db, tmp_path):
    with demo_db.session() as session:
        result = generate.generate_press_kits(session, edition_id(demo_db), tmp_path)
    assert result.warnings == []
    for path in result.documents:
        text = document_text(path)
        assert "fermé" not in text and "à confirmer" not in text, path.name
        assert "préparé pour" not in text and "Direction informatique" not in text, path.name
        assert "Équipe logistique" not in text and "financement" not in text, path.name
    malle = document_text(next(p for p in result.documents if "Centre-Mauges" in p.name))
    assert "mercredi 2 avril : 14h–18h" in malle  # opens exceptionally for its animation


def test_strict_refuses_on_conflicts_and_writes_nothing(demo_db, tmp_path):
    with demo_db.session() as session:
        with pytest.raises(ValidationError, match="--strict"):
            generate.generate_press_kits(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "kits", strict=True)
        assert not (tmp_path / "kits").exists()
        result = generate.generate_press_kits(session, edition_id(demo_db, "Novembre 2013"), tmp_path / "kits")
    assert any("La Malle aux trésors" in line for line in result.warnings)
    malle = document_text(next(p for p in result.documents if "Centre-Mauges" in p.name))
    assert "horaires à confirmer" in malle and "fermé habituellement" not in malle


def test_recipients_follow_role_types_and_share_a_kit_per_scope(demo_db):
    with demo_db.session() as session:
        recipients = {r.name: r for r in press.press_recipients(session, edition_id(demo_db))}
    assert not recipients["Département – Direction informatique"].receives
    assert not recipients["Département – Équipe logistique"].receives
    assert not recipients["Conseil départemental de Maine-et-Loire"].receives
    assert recipients["Le Courrier de l'Ouest"].receives
    assert recipients["Le Courrier de l'Ouest"].scope == recipients["Maisons des solidarités du Département"].scope
    assert recipients["Le Courrier de l'Ouest"].scope.kind == press.DEPARTEMENT
    assert recipients["CCAS d'Angers"].scope == recipients["Angers Loire Métropole"].scope
    assert recipients["Emmaüs"].scope.kind == press.NETWORK and recipients["Emmaüs"].scope.name == "Emmaüs"
    # The flag is the role type's: turning it off for the press takes the newspapers off the list.
    with demo_db.session() as session:
        session.scalars(select(RoleType).filter_by(name="relais presse locale")).one().receives_press_kit = False
        session.commit()
        recipients = {r.name: r for r in press.press_recipients(session, edition_id(demo_db))}
    assert not recipients["Le Courrier de l'Ouest"].receives


def test_territory_kit_has_its_shops_animator_press_contact_and_map(demo_db, tmp_path):
    drawn = []

    def drawer(session, scope):
        points = press.scope_points(session, edition_id(demo_db), scope)
        drawn.append((scope.name, sorted(p.name for p in points)))
        target = tmp_path / "carte.png"
        target.write_bytes(base64.b64decode(PIXEL_PNG))
        return target

    with demo_db.session() as session:
        result = generate.generate_press_kits(session, edition_id(demo_db), tmp_path / "kits", partner="CCAS de Cholet",
                                              map_drawer=drawer)
    assert [p.name for p in result.documents] == [
        "Dossier de presse – Avril 2014 – Agglomération du Choletais.docx"]
    assert drawn == [("Agglomération du Choletais", ["Emmaüs Cholet", "Envie Anjou – Cholet"])]
    text = document_text(result.documents[0])
    assert "Emmaüs Cholet" in text and "APIVET" not in text.split("Les partenaires de l'édition")[0]
    assert "Julien Bréhéret" in text  # the territory's prevention animator
    assert "Hélène Durand" in text and "02 41 81 40 01" in text


def test_press_contact_needs_a_phone_and_an_email(demo_db, demo_ops):
    eid = edition_id(demo_db)
    with demo_db.session() as session:
        no_phone = session.scalars(select(Contact).filter_by(name="Chloé Perrin")).one().id
        ok = session.scalars(select(Contact).filter_by(name="Sandrine Roux")).one().id
    with pytest.raises(ValidationError, match="il manque un téléphone à « Chloé Perrin »"):
        demo_ops.run("Contact presse", lambda s: press.set_press_contact(s, eid, no_phone))
    demo_ops.run("Contact presse", lambda s: press.set_press_contact(s, eid, ok))
    with demo_db.session() as session:
        assert session.get(Edition, eid).press_contact.name == "Sandrine Roux"
        assert ok in {cid for cid, _ in press.press_contact_choices(session)}
        assert no_phone not in {cid for cid, _ in press.press_contact_choices(session)}


def test_header_names_are_shortened_with_an_ellipsis():
    long = "Communauté de communes " + "des très longues vallées " * 8
    short = press.ellipsis(long)
    assert len(short) <= 48 and short.endswith("…") and short.startswith("Communauté de communes des")
    assert press.ellipsis("Emmaüs") == "Emmaüs"


# --- role sheets and e-mail drafts ------------------------------------------------------------------


def test_a_role_sheet_for_every_partner_with_its_tasks_and_shops(demo_db, tmp_path):
    with demo_db.session() as session:
        eid = edition_id(demo_db, "Novembre 2013")
        partners = press.press_recipients(session, eid)
        result = generate.generate_role_sheets(session, eid, tmp_path)
    assert len(result.documents) == len(partners) >= 20
    logistics = document_text(next(p for p in result.documents if p.name.endswith("Équipe logistique.docx")))
    assert "logistique" in logistics and "Livraison" in logistics  # its planning tasks, with dates
    assert "novembre 2013" in logistics
    emmaus = document_text(next(p for p in result.documents if p.name.endswith("– Emmaüs.docx")))
    assert "Emmaüs Cholet" in emmaus and "boutique participante" in emmaus
    assert "Réunion bilan" in emmaus  # the meetings it is invited to


def test_eml_drafts_parse_with_to_subject_body_and_attachment(demo_db, tmp_path):
    with demo_db.session() as session:
        contact = session.scalars(select(Contact).filter_by(name="Chloé Perrin")).one()
        contact.email = ""  # the Réseau des ressourceries has no address any more
        session.commit()
        result = generate.generate_press_kits(session, edition_id(demo_db), tmp_path, eml=True)
    assert len(result.drafts) == len(result.recipients) >= 15
    assert result.missing_email == ["Réseau des ressourceries"]
    for path in result.drafts:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["X-Unsent"] == "1"
        assert message["Subject"] == "Dossier de presse – Les bons jours de l'occasion – Avril 2014"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert body.startswith("Bonjour,") and "les 2 et 5 avril 2014" in body
        attachments = [part.get_filename() for part in message.iter_attachments()]
        assert len(attachments) == 1 and attachments[0].startswith("Dossier de presse – Avril 2014")
        if "ressourceries" in path.name:
            assert message["To"] is None
        else:
            assert "@" in message["To"]
    courrier = email.message_from_bytes(
        (tmp_path / "Courriel dossier de presse – Le Courrier de l'Ouest.eml").read_bytes(), policy=policy.default)
    assert courrier["To"].addresses[0].addr_spec == "s.roux@exemple-presse.fr"
    attachment = next(courrier.iter_attachments())
    assert attachment.get_filename() == "Dossier de presse – Avril 2014 – Maine-et-Loire.docx"
    assert attachment.get_content() == (tmp_path / attachment.get_filename()).read_bytes()


def test_a_very_long_territory_name_is_shortened_in_the_header_not_in_the_body(demo_db, tmp_path):
    from docx import Document

    from bonsjours_desktop.core.models import Territory

    long = "Communauté de communes " + "de la très longue vallée du Layon et de ses coteaux " * 4
    with demo_db.session() as session:
        session.scalars(select(Territory).filter_by(name="Angers Loire Métropole")).one().public_name = long.strip()
        session.commit()
        kit = generate.generate_press_kits(session, edition_id(demo_db), tmp_path, partner="CCAS d'Angers").documents[0]
    header = Document(str(kit)).sections[0].header
    cells = [c.text for t in header.tables for row in t.rows for c in row.cells]
    right = cells[1]
    assert right.startswith("Dossier de presse — Communauté de communes") and right.endswith("…")
    assert len(right) <= len("Dossier de presse — ") + 48
    assert long.strip() in document_text(kit)  # the body keeps the name as typed


def test_dashboard_lists_the_hours_conflicts_of_the_edition(demo_db):
    from bonsjours_desktop.core.dashboard import dashboard

    with demo_db.session() as session:
        _participation(session, "La Malle aux trésors", "Avril 2014").event_hours = {}
        session.commit()
        board = dashboard(session, dt.date(2014, 3, 20), edition_id(demo_db))
    rows = dict(board.sections())["Horaires des jours de l'évènement à corriger"]
    assert [(r.text, r.day, r.tab) for r in rows] == [("La Malle aux trésors", WED, "Participations"),
                                                       ("La Malle aux trésors", SAT, "Participations")]


def test_the_logistics_team_sheet_lists_the_rounds_it_drives(demo_db):
    from bonsjours_desktop.core.documents import role_sheets
    from bonsjours_desktop.core.models import Organisation

    with demo_db.session() as session:
        eid = edition_id(demo_db)
        team = session.scalars(select(Organisation).filter_by(name="Département – Équipe logistique")).one()
        emmaus = session.scalars(select(Organisation).filter_by(name="Emmaüs")).one()
        rounds = role_sheets.role_sheet_context(session, eid, team.id)["rounds"]
        assert role_sheets.role_sheet_context(session, eid, emmaus.id)["rounds"] == []
    assert len(rounds) >= 10  # « Équipe logistique du Département » carries every round of the demo
    assert rounds[0]["day_text"] == "mardi 25 mars 2014" and rounds[0]["drop_count"] > 0
