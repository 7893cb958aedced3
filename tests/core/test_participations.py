"""Participations: ticking shops, animations per event day, animators, closed-day warnings, copying."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core import editions as E
from bonsjours_desktop.core import participations as P
from bonsjours_desktop.core.errors import ValidationError
from bonsjours_desktop.core.models import Animation, Contact, Organisation, Participation, Shop, Territory
from bonsjours_desktop.core.versions import snapshot

WED = dt.date(2014, 11, 12)
SAT = dt.date(2014, 11, 15)


def shop_id(db, name):
    with db.session() as s:
        return s.scalar(select(Shop.id).filter_by(name=name))


def edition_id(ops, name):
    return ops.read(lambda s: E.find_edition(s, name).id)


def row_of(ops, edition, shop):
    return next(r for r in ops.read(lambda s: P.list_participation_rows(s, edition)) if r.shop_id == shop)


@pytest.fixture
def small(ops):
    """One territory with its EPCI and animator, a shop open Wednesday only, an edition Wed+Sat."""

    def fill(session):
        territory = Territory(name="Loire-Layon")
        epci = Organisation(name="CC Loire-Layon", kind="collectivité/EPCI", territory=territory)
        ccas = Organisation(name="CCAS de Chalonnes", kind="CCAS", territory=territory)
        other = Organisation(name="Autre EPCI", kind="collectivité/EPCI")
        session.add_all([territory, epci, ccas, other])
        session.add_all([Contact(organisation=epci, name="Zoé Local"), Contact(organisation=ccas, name="Alain CCAS"),
                         Contact(organisation=other, name="Bruno Ailleurs")])
        shop = Shop(name="Ressourcerie", commune="Chalonnes", territory=territory,
                    opening_hours={"mercredi": [["09:00", "12:00"]]})
        session.add(shop)
        session.flush()
        return shop.id

    shop = ops.run("Remplir", fill, undoable=False).value
    edition = ops.run("Créer", lambda s: E.create_edition(s, "Novembre 2014", [WED, SAT]), undoable=False).value
    return {"shop": shop, "edition": edition}


def test_tick_and_untick_a_shop_with_undo(ops, db, small):
    row = row_of(ops, small["edition"], small["shop"])
    assert not row.participates
    warnings = ops.run("Participe", lambda s: P.set_participation(s, small["edition"], small["shop"], True,
                                                                    expected=None)).value
    row = row_of(ops, small["edition"], small["shop"])
    assert row.participates and row.status == "confirmée"
    # Saturday is absent from the opening hours: closed.
    assert warnings == [
        "« Ressourcerie » est normalement fermée le samedi 15 novembre 2014 : indiquez ses horaires ce jour-là "
        "(onglet Participations), ou qu'elle ne participe pas ce jour-là."
    ]
    assert row.warnings == tuple(warnings) and row.closed_days == (SAT,)
    # Ticking twice does not duplicate.
    ops.run("Participe", lambda s: P.set_participation(s, small["edition"], small["shop"], True, expected=None))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Participation)) == 1
    seen = row_of(ops, small["edition"], small["shop"]).seen
    ops.run("Ne participe plus", lambda s: P.set_participation(s, small["edition"], small["shop"], False, expected=seen))
    assert not row_of(ops, small["edition"], small["shop"]).participates
    ops.undo()
    assert row_of(ops, small["edition"], small["shop"]).participates


def test_closed_day_warning_rules():
    hours = {"mercredi": [["09:00", "12:00"]]}
    assert P.closed_day_warnings("B", hours, [WED]) == []
    assert len(P.closed_day_warnings("B", hours, [WED, SAT])) == 1
    # An empty list is « open, hours not given » (« Jours d'ouverture : mardi au samedi »): no warning.
    assert P.closed_day_warnings("B", {"mercredi": [], "samedi": []}, [WED, SAT]) == []
    assert len(P.closed_day_warnings("B", {}, [WED, SAT])) == 2
    assert len(P.closed_day_warnings("B", None, [WED])) == 1
    assert "le mercredi (mer. 12 nov. 2014)" in P.closed_day_warnings("B", {"samedi": [["9:00", "12:00"]]}, [WED])[0]


def test_demo_warns_for_shops_closed_on_wednesday_without_event_day_hours(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    rows = demo_ops.read(lambda s: P.list_participation_rows(s, nov))
    warned = sorted(r.shop_name for r in rows if r.warnings)
    assert warned == ["Boutique solidaire de Doué", "La Malle aux trésors", "Secours Catholique – Boutique solidaire d'Angers",
                      "Secours Catholique – Boutique solidaire de Saumur", "Secours Catholique – Boutique solidaire de Segré"]
    # In 2014 they open on purpose for their animations (hours typed for the event days): no warning.
    apr = edition_id(demo_ops, "Avril 2014")
    rows = demo_ops.read(lambda s: P.list_participation_rows(s, apr))
    assert len(rows) == 20 and all(r.participates for r in rows)
    assert [r.shop_name for r in rows if r.warnings] == []


def test_animations_saved_validated_and_undone(ops, db, small):
    participation, _ = ops.run("Participe", lambda s: P.add_participation(s, small["edition"], small["shop"])).value
    detail = ops.read(lambda s: P.participation_detail(s, participation))
    wed_id, sat_id = (d.id for d in detail.event_days)
    animations = [
        P.AnimationInput(wed_id, "musique", "Concert « rock » & <jazz>", "14h", "18h30"),
        P.AnimationInput(sat_id, "vente de crêpes", "", "10:00", "12:00"),
    ]
    ops.run("Animations", lambda s: P.update_participation(
        s, participation, status="pressentie", animator_id=None, notes="Appeler lundi", animations=animations, expected=snapshot(s, Participation, participation)))
    detail = ops.read(lambda s: P.participation_detail(s, participation))
    assert [(a.day, a.category, a.description, a.start_time, a.end_time) for a in detail.animations] == [
        (WED, "musique", "Concert « rock » & <jazz>", "14:00", "18:30"),
        (SAT, "vente de crêpes", "", "10:00", "12:00"),
    ]
    assert detail.status == "pressentie" and detail.notes == "Appeler lundi"
    row = row_of(ops, small["edition"], small["shop"])
    assert row.animations_on(wed_id)[0].summary() == "14:00–18:30 musique (Concert « rock » & <jazz>)"

    # Removing one keeps the first row's id.
    first_id = detail.animations[0].id
    ops.run("Animations", lambda s: P.update_participation(
        s, participation, status="confirmée", animator_id=None, animations=animations[:1], expected=snapshot(s, Participation, participation)))
    detail = ops.read(lambda s: P.participation_detail(s, participation))
    assert [a.id for a in detail.animations] == [first_id]
    ops.undo()
    assert len(ops.read(lambda s: P.participation_detail(s, participation)).animations) == 2


def test_animation_validation_messages(ops, small):
    participation, _ = ops.run("Participe", lambda s: P.add_participation(s, small["edition"], small["shop"])).value
    wed_id = ops.read(lambda s: P.participation_detail(s, participation)).event_days[0].id
    bad = [
        P.AnimationInput(wed_id, "musique", "", "18:00", "14:00"),
        P.AnimationInput(wed_id, "karaoké", "", "25:00", ""),
        P.AnimationInput(None, "jeux"),
    ]
    with pytest.raises(ValidationError) as caught:
        ops.run("Animations", lambda s: P.update_participation(
            s, participation, status="inconnu", animator_id=None, animations=bad, expected=snapshot(s, Participation, participation)))
    errors = caught.value.errors
    assert errors["animations.1.end_time"] == (
        "Animation 1 (mer. 12 nov. 2014) : l'heure de fin (14:00) doit être après l'heure de début (18:00)."
    )
    assert errors["animations.2.category"].startswith(
        "Animation 2 (mer. 12 nov. 2014) : la catégorie « karaoké » n'existe pas (choix : musique, jeux,")
    assert errors["animations.2.start_time"] == (
        "Animation 2 (mer. 12 nov. 2014) : l'heure de début « 25:00 » n'est pas valide (exemple : 14:30)."
    )
    assert errors["animations.3.day"] == "Animation 3 : choisissez un jour d'évènement de l'édition."
    assert "Le statut de participation « inconnu » n'existe pas" in errors["status"]
    assert len(ops.read(lambda s: P.participation_detail(s, participation)).animations) == 0


def test_animation_day_must_belong_to_the_edition(demo_ops, demo_db):
    apr, nov = edition_id(demo_ops, "Avril 2014"), edition_id(demo_ops, "Novembre 2013")
    shop = shop_id(demo_db, "Emmaüs Cholet")
    participation = demo_ops.read(lambda s: P.find_participation_id(s, apr, shop))
    nov_day = demo_ops.read(lambda s: P.list_event_days(s, nov))[0].id
    with pytest.raises(ValidationError, match="choisissez un jour d'évènement de l'édition"):
        demo_ops.run("Ajouter", lambda s: P.add_animation(s, participation, P.AnimationInput(nov_day, "jeux")))
    apr_day = demo_ops.read(lambda s: P.list_event_days(s, apr))[1].id
    new_id = demo_ops.run("Ajouter", lambda s: P.add_animation(
        s, participation, P.AnimationInput(apr_day, "atelier réparation", "Vélos", "9:00", "11:00"))).value
    demo_ops.run("Supprimer", lambda s: P.delete_animation(s, new_id, expected=snapshot(s, Animation, new_id)))
    demo_ops.undo()
    assert any(a.id == new_id for a in demo_ops.read(lambda s: P.participation_detail(s, participation)).animations)


def test_animator_choices_put_the_shops_epci_first_and_any_contact_is_allowed(ops, small):
    choices = ops.read(lambda s: P.animator_choices(s, small["shop"]))
    assert [(c.name, c.local) for c in choices] == [
        ("Zoé Local", True), ("Alain CCAS", False), ("Bruno Ailleurs", False)]
    assert choices[0].label == "Zoé Local — CC Loire-Layon"
    participation, _ = ops.run("Participe", lambda s: P.add_participation(s, small["edition"], small["shop"])).value
    other = choices[2].id
    ops.run("Animateur", lambda s: P.update_participation(s, participation, status="confirmée", animator_id=other, expected=snapshot(s, Participation, participation)))
    assert row_of(ops, small["edition"], small["shop"]).animator == "Bruno Ailleurs"
    with pytest.raises(ValidationError, match="n'existe plus"):
        ops.run("Animateur", lambda s: P.update_participation(s, participation, status="confirmée", animator_id=9999, expected=snapshot(s, Participation, participation)))


def test_inactive_shops_are_hidden_unless_they_take_part(ops, small):
    ops.run("Fermer", lambda s: setattr(s.get(Shop, small["shop"]), "active", False))
    assert ops.read(lambda s: P.list_participation_rows(s, small["edition"])) == []
    ops.run("Participe", lambda s: P.add_participation(s, small["edition"], small["shop"]))
    assert len(ops.read(lambda s: P.list_participation_rows(s, small["edition"]))) == 1


def test_copy_participations_from_a_previous_edition(demo_ops, demo_db):
    apr = edition_id(demo_ops, "Avril 2014")
    new = demo_ops.run("Créer", lambda s: E.create_edition(s, "Novembre 2014", [WED, SAT])).value
    cholet = shop_id(demo_db, "Emmaüs Cholet")
    demo_ops.run("Participe", lambda s: P.add_participation(s, new, cholet))
    preview = demo_ops.read(lambda s: P.copy_preview(s, apr, new))
    assert (preview.to_copy, preview.already) == (19, 1)

    assert demo_ops.run("Copier", lambda s: P.copy_participations(s, apr, new)).value == 19
    rows = {r.shop_name: r for r in demo_ops.read(lambda s: P.list_participation_rows(s, new))}
    assert all(r.participates for r in rows.values())
    assert not rows["Emmaüs Cholet"].animations  # already there: left as it was
    source = {r.shop_name: r for r in demo_ops.read(lambda s: P.list_participation_rows(s, apr))}
    copied, original = rows["Emmaüs Saumur – Les Ponts"], source["Emmaüs Saumur – Les Ponts"]
    assert copied.status == "pressentie" and copied.animator == original.animator
    # Mapped by position: 1st April day → Wednesday 12 Nov, 2nd → Saturday 15 Nov.
    assert [(a.day, a.category, a.start_time) for a in copied.animations] == [
        (WED, original.animations[0].category, original.animations[0].start_time),
        (SAT, original.animations[1].category, original.animations[1].start_time),
    ]
    # Copying again copies nothing; undo removes the copy in one step.
    assert demo_ops.run("Copier", lambda s: P.copy_participations(s, apr, new)).value == 0
    demo_ops.undo()  # the empty copy recorded nothing, so this undoes the first copy
    assert sum(r.participates for r in demo_ops.read(lambda s: P.list_participation_rows(s, new))) == 1


def test_copy_into_fewer_days_drops_animations_of_missing_days(demo_ops, demo_db):
    apr = edition_id(demo_ops, "Avril 2014")
    new = demo_ops.run("Créer", lambda s: E.create_edition(s, "Un jour", [SAT])).value
    demo_ops.run("Copier", lambda s: P.copy_participations(s, apr, new))
    with demo_db.session() as s:
        days = set(s.scalars(select(Animation.event_day_id).join(Participation).where(Participation.edition_id == new)))
    assert len(days) == 1
    assert demo_ops.read(lambda s: P.copy_preview(s, apr, new)).to_copy == 0


def test_copy_into_itself_refused(demo_ops):
    apr = edition_id(demo_ops, "Avril 2014")
    with pytest.raises(ValidationError, match="Choisissez une autre édition"):
        demo_ops.run("Copier", lambda s: P.copy_participations(s, apr, apr))


def test_set_participations_in_one_operation(demo_ops, demo_db):
    apr = edition_id(demo_ops, "Avril 2014")
    ids = [shop_id(demo_db, "Emmaüs Cholet"), shop_id(demo_db, "La Malle aux trésors")]
    demo_ops.run("Retirer", lambda s: P.set_participations(s, apr, ids, False, expected=[
        r.seen for i in ids for r in P.list_participation_rows(s, apr) if r.shop_id == i]))
    rows = demo_ops.read(lambda s: P.list_participation_rows(s, apr))
    assert sum(r.participates for r in rows) == 18
    demo_ops.undo()
    assert sum(r.participates for r in demo_ops.read(lambda s: P.list_participation_rows(s, apr))) == 20


def test_taking_part_is_written_once():
    """« désistée » as a rule lives in participations.takes_part/taking_part; no other module compares it."""
    import ast
    from pathlib import Path

    import bonsjours_desktop

    root = Path(bonsjours_desktop.__file__).parent
    allowed = {"core/participations.py", "core/models.py"}
    found = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative in allowed or relative.startswith(("core/demo/", "core/migrations/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(c, ast.Constant) and c.value == "désistée" for c in [node.left, *node.comparators]):
                found.append(f"{relative}:{node.lineno}")
    assert found == []
