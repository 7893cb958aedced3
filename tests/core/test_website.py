"""The static public page: every shop listed by territory, nothing external, the GeoJSON and the .ics."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from bonsjours_desktop.core.communication import public_kit, set_web_address
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.errors import BonsJoursError
from bonsjours_desktop.core.io.shops_io import export_shops
from bonsjours_desktop.core.io.website import generate_website, render_page

URL = "https://www.enanjoujereduismesdechets.fr/local-et-solidaire"


class _Collector(HTMLParser):
    """Every tag with its attributes, and the text by element id (for the shop cards)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.shop_ids: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "li" and attributes.get("id", "").startswith("boutique-"):
            self.shop_ids.append(attributes["id"])
        if tag in ("h3", "h4"):
            self._heading = [tag, ""]

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append(tuple(self._heading))
            self._heading = None


@pytest.fixture
def site(demo_db, tmp_path):
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        result = generate_website(session, edition_id, tmp_path / "site", URL)
        kit = public_kit(session, edition_id, URL)
    return tmp_path / "site", result, kit


def test_page_lists_every_shop_under_its_territory_public_name(site):
    folder, result, kit = site
    assert sorted(p.name for p in result.files) == ["boutiques.geojson", "evenement.ics", "index.html"]
    page = _Collector()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    assert len(page.shop_ids) == 20 == len(kit.shops)
    assert {f"boutique-{s['id']}" for s in kit.shops} == set(page.shop_ids)
    order = [text for tag, text in page.headings]
    # « Pays segréen » (public name) heads its shops, not the syndicate's « SIRDOMDI – Pays segréen »
    assert "Pays segréen" in order and not any("SIRDOMDI" in text for text in order)
    assert order[order.index("Pays segréen") + 1] == "Recyclerie du Segréen"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in html and 'name="viewport"' in html
    assert "Mercredi 2 avril" in html and "9h30–12h, 14h–18h" in html  # event-day hours
    assert "Constructions insolites en objets de réemploi" in html  # animations
    # the map: département outline, EPCI and one link per shop leading to its card (works without script)
    assert html.count('class="epci') >= 5 and 'class="outline"' in html
    assert len(re.findall(r'<a href="#boutique-\d+" data-shop=', html)) == 20


def test_page_has_no_external_reference(site):
    folder, _, kit = site
    html = (folder / "index.html").read_text(encoding="utf-8")
    page = _Collector()
    page.feed(html)
    shop_sites = {s["website_href"] for s in kit.shops if s.get("website_href")}
    for tag, attributes in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset"):
            value = attributes.get(name, "")
            if re.match(r"\s*(https?:)?//", value):
                # only links to the shops' own websites, as links
                assert tag == "a" and name == "href" and value in shop_sites, (tag, name, value)
        if tag in ("script", "img", "iframe", "link", "embed", "object", "source"):
            assert not attributes.get("src") and not attributes.get("href"), tag
    assert "url(" not in html and "@import" not in html


def test_shop_text_is_shown_as_typed_never_as_html(demo_db):
    with demo_db.session() as session:
        kit = public_kit(session, find_edition(session, "Avril 2014").id, URL)
    kit.territories[0].shops[0]["name"] = "<script>alert('x')</script> & Cie"
    html = render_page(kit)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Cie" in html


def test_geojson_is_the_export_of_the_shops_taking_part(demo_db, tmp_path):
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        withdrawn = edition.participations[0]
        withdrawn.status = "désistée"
        session.flush()
        generate_website(session, edition.id, tmp_path / "site", URL)
        export_shops(session, tmp_path / "export.geojson", "geojson", edition.id)
        withdrawn_name = withdrawn.shop.name
    collection = json.loads((tmp_path / "site" / "boutiques.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in collection["features"]]
    assert len(names) == 19 and withdrawn_name not in names
    exported = json.loads((tmp_path / "export.geojson").read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in exported["features"]}
    for feature in collection["features"]:
        assert feature == by_name[feature["properties"]["name"]]  # the same features as the export
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert withdrawn_name not in page


def test_calendar_has_the_event_days_with_stable_uids(site, demo_db, tmp_path):
    from icalendar import Calendar

    folder, _, _ = site
    events = Calendar.from_ical((folder / "evenement.ics").read_bytes()).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [dt.date(2014, 4, 2), dt.date(2014, 4, 5)]
    assert all(URL in str(e["description"]) for e in events)
    with demo_db.session() as session:
        again = generate_website(session, find_edition(session, "Avril 2014").id, tmp_path / "encore", URL)
    second = Calendar.from_ical(again.files[2].read_bytes()).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in second]
    assert len({str(e["uid"]) for e in events}) == 2


def test_remembered_address_goes_into_the_calendar(demo_ops, demo_db, tmp_path):
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
    demo_ops.run("Adresse", lambda s: set_web_address(s, URL, edition_id), undoable=False)
    with demo_db.session() as session:
        result = generate_website(session, edition_id, tmp_path / "site")
    assert URL in result.files[2].read_text(encoding="utf-8").replace("\r\n ", "")


def test_an_edition_without_shops_writes_nothing(demo_db, tmp_path):
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014")
        for participation in edition.participations:
            participation.status = "désistée"
        session.flush()
        with pytest.raises(BonsJoursError, match="Aucune boutique ne participe"):
            generate_website(session, edition.id, tmp_path / "site", URL)
    assert not (tmp_path / "site").exists()
