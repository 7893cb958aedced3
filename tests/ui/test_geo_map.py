"""The one map (render/geo_map.py): headless print images and the département that follows the setting."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select

from bonsjours_desktop.core import geo
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.models import Territory
from bonsjours_desktop.render.geo_map import PRINT, DepartementMap, MapShop, departement_map_png, territory_map_png


def _ink(image: QImage, colour: str) -> int:
    """Pixels (on a coarse grid) that differ from a background colour."""
    background = QColor(colour).rgb()
    return sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
               if image.pixel(x, y) != background)


def test_departement_map_png_has_the_printed_size_and_draws_the_map(demo_ops, tmp_path):
    path = tmp_path / "carte.png"
    demo_ops.read(lambda s: departement_map_png(s, path, (165.0, 115.0), 150,
                                                edition_id=find_edition(s, "Novembre 2013").id))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (round(165 / 25.4 * 150), round(115 / 25.4 * 150))
    assert round(image.dotsPerMeterX() * 0.0254) == 150
    # the land of the département covers a good part of the picture, not a blank page
    assert _ink(image, PRINT.background) > 0.3 * (image.width() // 7) * (image.height() // 7)
    # the land colour is there (outline filled) and the shop colours too (Emmaüs blue)
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert PRINT.land.lower() in colours
    assert "#1f77b4" in colours


def test_territory_map_is_framed_on_its_epci(demo_ops, tmp_path):
    def draw(session):
        territory = session.scalars(select(Territory).filter_by(name="Angers Loire Métropole")).one()
        return territory_map_png(session, territory.id, tmp_path / "t.png", (100.0, 80.0), 120)

    image = QImage(str(demo_ops.read(draw)))
    assert (image.width(), image.height()) == (round(100 / 25.4 * 120), round(80 / 25.4 * 120))
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert PRINT.highlight_land.lower() in colours  # the EPCI is shaded


def test_choosing_loire_atlantique_changes_the_map(ops, tmp_path):
    ops.run("Département", lambda s: geo.set_coordinator_departement(s, "44"))
    path = ops.read(lambda s: departement_map_png(s, tmp_path / "44.png", (80.0, 60.0), 100))
    image = QImage(str(path))
    maine = DepartementMap("49")
    loire = DepartementMap("44")
    assert loire.departement.name == "Loire-Atlantique"
    # Nantes is in the drawn outline, Angers is not
    nantes, angers = geo.commune("44109"), geo.commune("49007")
    assert loire.outline.contains(loire._world(nantes.longitude, nantes.latitude))
    assert not loire.outline.contains(loire._world(angers.longitude, angers.latitude))
    assert maine.outline.contains(maine._world(angers.longitude, angers.latitude))
    assert set(loire.epci_paths) == {e.code for e in geo.epcis_of("44")}
    assert _ink(image, PRINT.background) > 0


def test_close_shops_are_spread_and_many_are_counted():
    angers = geo.commune("49007")
    few = [MapShop(i, f"B{i}", "Emmaüs", "Angers", angers.latitude, angers.longitude) for i in range(3)]
    departement_map = DepartementMap("49", few)
    transform = departement_map.fit(QRectF(0, 0, 400, 300))
    markers = departement_map.markers(transform)
    assert len(markers) == 3 and len({(m.position.x(), m.position.y()) for m in markers}) == 3
    many = [MapShop(i, f"B{i}", "Emmaüs", "Angers", angers.latitude, angers.longitude) for i in range(30)]
    departement_map.set_shops(many)
    markers = departement_map.markers(transform)
    assert len(markers) == 1 and len(markers[0].shops) == 30


def test_settings_dialog_choosing_44_redraws_the_boutiques_map(main_window, qtbot):
    tab = main_window.show_tab("Boutiques")
    tab.refresh_map()
    assert tab.map.canvas.map.departement.code == "49"
    dialog = main_window.open_settings()
    combo = dialog.departement_combo
    combo.setCurrentIndex(combo.findData("44"))
    dialog.accept()
    assert main_window.context.read(geo.coordinator_departement) == "44"
    tab.refresh_map()
    assert tab.map.canvas.map.departement.name == "Loire-Atlantique"
    assert "Loire-Atlantique" in tab.map.missing_label.text()
    dialog.close()


def test_shop_form_offers_the_communes_of_the_postal_code(main_window, qtbot):
    from bonsjours_desktop.ui.widgets.shop_form import ShopDialog

    dialog = ShopDialog(main_window.context, None, main_window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.postal_code, "49124")
    # a code served by two communes offers both, fills neither
    assert dialog._commune_names.stringList() == ["Le Plessis-Grammoire", "Saint-Barthélemy-d'Anjou"]
    assert dialog.commune.text() == ""
    dialog.postal_code.clear()
    qtbot.keyClicks(dialog.postal_code, "49300")
    # a code served by one commune fills it
    assert dialog.commune.text() == "Cholet"  # (and its commune déléguée Le Puy-Saint-Bonnet)
    dialog.commune.clear()
    dialog.postal_code.clear()
    qtbot.keyClicks(dialog.commune, "Ponts-de")
    assert "Les Ponts-de-Cé (49130)" in dialog._commune_names.stringList()
    dialog.commune_completer.activated.emit("Les Ponts-de-Cé (49130)")
    assert (dialog.commune.text(), dialog.postal_code.text()) == ("Les Ponts-de-Cé", "49130")


def test_settings_dialog_edits_the_territories_public_names(main_window):
    from bonsjours_desktop.core.models import Territory

    dialog = main_window.open_settings()
    table = dialog.territory_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "SICTOM Loir et Sarthe")
    assert table.item(row, 1).text() == "Vallées du Loir et de la Sarthe"
    table.item(row, 1).setText("Loir et Sarthe")
    dialog.accept()
    public = main_window.context.read(
        lambda s: s.scalars(select(Territory.public_name).filter_by(name="SICTOM Loir et Sarthe")).one())
    assert public == "Loir et Sarthe"


def test_wheel_zooms_at_the_cursor_and_drag_pans(main_window, qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    tab = main_window.show_tab("Boutiques")
    tab.refresh_map()
    canvas = tab.map.canvas
    canvas.resize(600, 500)
    cursor = QPointF(200, 150)
    world = canvas.transform().inverted()[0].map(cursor)
    event = QWheelEvent(cursor, canvas.mapToGlobal(cursor), QPoint(), QPoint(0, 120), Qt.NoButton, Qt.NoModifier,
                        Qt.NoScrollPhase, False)
    canvas.wheelEvent(event)
    assert canvas.zoom > 1
    after = canvas.transform().map(world)  # the point under the cursor stays under it
    assert abs(after.x() - cursor.x()) < 0.01 and abs(after.y() - cursor.y()) < 0.01
    before = QPointF(canvas.pan)
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    def mouse(kind, x, y, buttons):
        point = QPointF(x, y)
        return QMouseEvent(kind, point, canvas.mapToGlobal(point), Qt.LeftButton, buttons, Qt.NoModifier)

    canvas.mousePressEvent(mouse(QEvent.MouseButtonPress, 300, 250, Qt.LeftButton))
    canvas.mouseMoveEvent(mouse(QEvent.MouseMove, 340, 270, Qt.LeftButton))
    canvas.mouseReleaseEvent(mouse(QEvent.MouseButtonRelease, 340, 270, Qt.NoButton))
    assert (canvas.pan.x() - before.x(), canvas.pan.y() - before.y()) == (40, 20)
    canvas.mouseDoubleClickEvent(None)
    assert canvas.zoom == 1.0


def test_boutiques_map_repaints_from_its_image_until_something_shown_changes(main_window, qtbot, monkeypatch):
    """A search keystroke relayouts the table beside the map: Qt repaints the canvas, which must not redraw
    every shop again (15 ms with 10 000 shops) when nothing it shows has changed."""
    tab = main_window.show_tab("Boutiques")
    tab.refresh_map()
    canvas = tab.map.canvas
    canvas.resize(400, 300)
    canvas.grab()
    drawn = []
    original = DepartementMap.paint
    monkeypatch.setattr(DepartementMap, "paint", lambda self, *a, **k: drawn.append(1) or original(self, *a, **k))
    canvas.grab()
    tab.map.set_selected(canvas.selected)  # the same selection again: nothing to redraw
    canvas.grab()
    assert drawn == [] and canvas.drawn
    shop_id = tab.model.row_at(0).id
    tab.map.set_selected(shop_id)
    canvas.grab()
    assert drawn == [1]  # the selected shop is drawn
    tab.search.setText("Emmaüs")
    tab.refresh_map()
    canvas.grab()
    assert drawn == [1, 1] and {s.id for s in canvas.map.shops} == {r.id for r in tab.model.rows()}


def test_drawing_a_departement_s_map_does_not_load_the_country_s_communes(monkeypatch):
    """The Boutiques tab's map (outline, EPCI, labels of the largest communes, shops) needs the summary and
    the département's contours only: loading France's 37 000 communes cost ~50 ms at each first map."""
    from bonsjours_desktop.render import geo_map

    geo_map._label_candidates.cache_clear()
    monkeypatch.setattr(geo, "_index", lambda: (_ for _ in ()).throw(AssertionError("index des communes chargé")))
    drawn = DepartementMap("49", [MapShop(1, "Ressourcerie", "Emmaüs", "Angers", 47.47, -0.55)])
    assert [name for name, _point in drawn.labels][:3] == ["Angers", "Cholet", "Saumur"]
    assert drawn.departement.name == "Maine-et-Loire" and len(drawn.world_xy) == 1


def test_the_window_prepares_the_departement_s_map_in_the_background(main_window, monkeypatch):
    """Shown, the window builds the coordinator's département map geometry in a thread: the Boutiques
    tab's first map then reads no contours (~25 ms less at 10 000 shops)."""
    from bonsjours_desktop.render import geo_map
    from bonsjours_desktop.ui.main_window import prepare_map_in_background

    assert main_window._map_preparation is not None and main_window._map_preparation.name == "carte du département"
    main_window._map_preparation.join(timeout=60)
    geo_map._geometry.cache_clear()
    geo_map._label_candidates.cache_clear()
    thread = prepare_map_in_background("44")
    thread.join(timeout=60)
    assert not thread.is_alive()
    monkeypatch.setattr(geo, "contours", lambda code: (_ for _ in ()).throw(AssertionError("contours relus")))
    monkeypatch.setattr(geo, "most_populated", lambda code: (_ for _ in ()).throw(AssertionError("noms relus")))
    assert DepartementMap("44").outline.elementCount() > 0


def test_a_clusters_count_always_fits_inside_its_disc(qapp):
    from PySide6.QtGui import QFont, QFontMetricsF

    from bonsjours_desktop.render.geo_map import count_font_px

    font = QFont("DejaVu Sans")
    font.setBold(True)
    for count in (7, 42, 867, 1234, 78563):
        label = str(count)
        radius = 5.0 * (1.6 + 0.25 * math.log(count))  # a cluster's radius on screen (DepartementMap.markers)
        if count < 100:
            assert count_font_px(radius, label, font) == round(radius)  # small figures keep the radius as size
        for radius in (radius, 2 * radius):  # on screen, and printed
            sized = QFont(font)
            sized.setPixelSize(count_font_px(radius, label, font))
            assert QFontMetricsF(sized).horizontalAdvance(label) <= 1.8 * radius, (radius, label)
