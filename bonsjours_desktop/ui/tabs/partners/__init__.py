"""Partenaires tab: organisations and contacts, roles per edition, role matrix, booklet relays, meetings
(one module per page; what they share in common.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...collector import long_lived
from ...models.table import RowTableModel
from ..base import BaseTab
from .common import select_ids, selected_rows
from .matrix import MatrixPage
from .meetings import MeetingsPage
from .organisations import OrganisationsPage
from .relays import RelaysPage
from .roles import RolesPage

__all__ = ["PartnersTab", "OrganisationsPage", "RolesPage", "MatrixPage", "RelaysPage", "MeetingsPage",
           "select_ids", "selected_rows"]


class PartnersTab(BaseTab):
    """Partner organisations, their contacts and what each one does in the current edition."""

    title = "Partenaires"
    tables = ("organisations", "contacts", "territories", "edition_roles", "role_types", "booklet_relays",
              "meetings", "meeting_attendees", "editions")

    @long_lived()
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.organisations_page = OrganisationsPage(self)
        self.roles_page = RolesPage(self)
        self.matrix_page = MatrixPage(self)
        self.relays_page = RelaysPage(self)
        self.meetings_page = MeetingsPage(self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("partnersPages")
        self.pages.addTab(self.organisations_page, "Organisations et contacts")
        self.pages.addTab(self.roles_page, "Rôles de l'édition")
        self.pages.addTab(self.matrix_page, "Matrice des rôles")
        self.pages.addTab(self.relays_page, "Relais de l'annuaire")
        self.pages.addTab(self.meetings_page, "Réunions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.reload()

    # Kept for callers of the first version of the tab.
    @property
    def model(self) -> RowTableModel:
        return self.organisations_page.model

    @long_lived()
    def reload(self) -> None:
        for page in (self.organisations_page, self.roles_page, self.matrix_page, self.relays_page, self.meetings_page):
            page.reload()

    def show_page(self, title: str) -> QWidget:
        for index in range(self.pages.count()):
            if self.pages.tabText(index) == title:
                self.pages.setCurrentIndex(index)
                return self.pages.widget(index)
        raise KeyError(title)

    def navigate_to(self, payload) -> None:
        payload = payload or {}
        if "organisation_id" in payload:
            self.pages.setCurrentWidget(self.organisations_page)
            self.organisations_page._select_organisation(payload["organisation_id"])
        elif payload.get("page"):
            self.show_page(payload["page"])
