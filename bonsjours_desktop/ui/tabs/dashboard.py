"""Dashboard tab ("Tableau de bord"): countdown, what is late or missing, budget gauge; each line leads to its tab."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.formatting import money
from ...core.dashboard import Dashboard, DashboardRow, dashboard
from ..collector import long_lived
from .base import BaseTab

ROW_ROLE = Qt.UserRole + 1
SEVERITY_COLOURS = {"late": QColor("#c62828"), "soon": QColor("#e65100")}


_DOTS: dict[str, QIcon] = {}


def _dot(colour: QColor) -> QIcon:
    icon = _DOTS.get(colour.name())
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setBrush(colour)
        painter.setPen(Qt.NoPen)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _DOTS[colour.name()] = QIcon(pixmap)
    return icon


class DashboardTab(BaseTab):
    """What needs attention today; double-click or Entrée on a line opens the place to fix it."""

    title = "Tableau de bord"
    tables = (
        "tasks", "editions", "event_days", "participations", "animations", "shops", "budget_lines",
        "edition_roles", "organisations", "loans", "items", "budget_categories", "contacts", "role_types",
        "territories",
    )

    @long_lived()
    def __init__(self, context, parent: Optional[QWidget] = None):
        super().__init__(context, parent)
        self.data: Optional[Dashboard] = None

        self.countdown = QLabel()
        self.countdown.setObjectName("dashboardCountdown")
        # A style sheet, not setFont: the application theme's style sheet would override the font.
        self.countdown.setStyleSheet("font-size: 26pt; font-weight: bold;")
        self.countdown_detail = QLabel()
        self.countdown_detail.setObjectName("dashboardCountdownDetail")
        self.countdown_detail.setWordWrap(True)  # the hints are read whole, never cut at the window's edge

        self.gauge = QProgressBar()
        self.gauge.setObjectName("budgetGauge")
        self.gauge.setTextVisible(True)
        self.gauge.setMinimumWidth(360)
        self.gauge.setToolTip("Dépenses engagées, facturées ou payées (TTC, hors frais généraux) par rapport à l'enveloppe")
        self.gauge_label = QLabel("Budget consommé")
        self.gauge_text = QLabel()
        self.gauge_text.setObjectName("budgetGaugeText")
        self.gauge_text.setWordWrap(True)
        self.gauge_text.setMaximumWidth(420)  # a long hint wraps under the gauge, not across the header
        gauge_box = QVBoxLayout()
        gauge_box.addWidget(self.gauge_label)
        gauge_box.addWidget(self.gauge)
        gauge_box.addWidget(self.gauge_text)

        header = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.countdown)
        left.addWidget(self.countdown_detail)
        header.addLayout(left, 1)
        header.addLayout(gauge_box)

        self.tree = QTreeWidget()
        self.tree.setObjectName("dashboardLines")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["À regarder", "Détail"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(0, 560)
        # itemActivated covers Entrée as well as double-click, so the keyboard works like the mouse.
        self.tree.itemActivated.connect(self._on_activated)

        hint = QLabel("Double-cliquez sur une ligne (ou Entrée) pour ouvrir l'onglet où la traiter.")
        hint.setObjectName("dashboardHint")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        self.reload()

    # -- data ------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        # The window may stay open past midnight: a new day changes the countdown and what is late.
        if self.data is not None and self.data.today != clock.today():
            self.reload()
        super().showEvent(event)

    @long_lived()
    def reload(self) -> None:
        edition_id = self.context.edition_id
        today = clock.today()
        self.data = self.context.read(lambda s: dashboard(s, today, edition_id))
        self._show_countdown(self.data)
        self._show_gauge(self.data)
        self._fill_tree(self.data)

    def _show_countdown(self, data: Dashboard) -> None:
        if data.countdown is None:
            self.countdown.setText("Aucune journée prévue")
            self.countdown_detail.setText("Créez l'édition et ses journées par Fichier → « Nouvelle édition… » (Ctrl+E), "
                "ou ajoutez des journées à une édition par Fichier → « Éditions… ».")
            return
        self.countdown.setText(data.countdown.text)
        edition = f"Prochaine journée : édition « {data.countdown.edition_name} »"
        shown = f" — tableau de bord de l'édition « {data.edition_name} »" if data.edition_name else ""
        self.countdown_detail.setText(edition + shown)

    def _show_gauge(self, data: Dashboard) -> None:
        gauge = data.budget
        if gauge is None:
            self.gauge.setRange(0, 1)
            self.gauge.setValue(0)
            self.gauge.setFormat("Aucune édition choisie")
            self.gauge_text.setText(
                "Aucune édition : Fichier → « Nouvelle édition… » (Ctrl+E), avec son enveloppe.")
            return
        consumed = int(gauge.consumed * 100)
        envelope = int(gauge.envelope * 100) if gauge.envelope else 0
        # QProgressBar is int-based: work in cents, and cap the bar when the envelope is exceeded.
        self.gauge.setRange(0, max(envelope, consumed, 1))
        self.gauge.setValue(max(0, consumed))
        if gauge.envelope:
            percent = round(gauge.consumed * 100 / gauge.envelope)
            self.gauge.setFormat(f"{money(gauge.consumed)} sur {money(gauge.envelope)} ({percent} %)")
        else:
            self.gauge.setFormat(f"{money(gauge.consumed)} — enveloppe non renseignée")
        nearly = gauge.ratio is not None and gauge.ratio >= Decimal("0.9")
        colour = "#c62828" if gauge.over else ("#e65100" if nearly else "#2e7d32")
        self.gauge.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")
        self.gauge.setProperty("over", gauge.over)
        # The theme may hide the bar's own text: repeat it underneath.
        self.gauge_text.setText(self.gauge.format() + (" — dépassement !" if gauge.over else ""))
        self.gauge_label.setText(f"Budget consommé — {data.edition_name}")

    def _fill_tree(self, data: Dashboard) -> None:
        selected = self._selected_key()
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        restore: Optional[QTreeWidgetItem] = None
        looks: dict[str, tuple] = {}
        for title, rows in data.sections():
            section = QTreeWidgetItem([f"{title} ({len(rows)})" if rows else title, ""])
            section.setFont(0, bold)
            section.setFlags(Qt.ItemIsEnabled)
            self.tree.addTopLevelItem(section)
            if not rows:
                empty = QTreeWidgetItem(["Rien à signaler", ""])
                empty.setFlags(Qt.ItemIsEnabled)
                empty.setForeground(0, QBrush(QColor("#777777")))
                section.addChild(empty)
            # Items added in one call, one brush and dot per severity: ~6 000 lines at 10× scale.
            items = []
            for row in rows:
                item = QTreeWidgetItem([row.text, row.detail])
                item.setData(0, ROW_ROLE, row)
                item.setToolTip(0, f"{row.text}\nOuvrir l'onglet « {row.tab} »")
                item.setToolTip(1, row.detail)
                look = looks.get(row.severity)
                if look is None:
                    colour = SEVERITY_COLOURS.get(row.severity)
                    # The theme's style sheet may repaint text colours; a coloured dot always shows.
                    look = looks[row.severity] = (QBrush(colour), _dot(colour)) if colour is not None else ()
                if look:
                    item.setForeground(0, look[0])
                    item.setIcon(0, look[1])
                items.append(item)
                if selected is not None and (row.tab, tuple(sorted(row.payload.items()))) == selected:
                    restore = item
            section.addChildren(items)
            section.setExpanded(True)
        if restore is not None:
            self.tree.setCurrentItem(restore)

    def _selected_key(self):
        item = self.tree.currentItem()
        row = item.data(0, ROW_ROLE) if item is not None else None
        return (row.tab, tuple(sorted(row.payload.items()))) if isinstance(row, DashboardRow) else None

    # -- navigation ------------------------------------------------------------------------------

    def line_items(self) -> list[QTreeWidgetItem]:
        """Every navigable line, in display order (for tests and keyboard users)."""
        items = []
        for index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(index)
            items.extend(section.child(i) for i in range(section.childCount())
                         if isinstance(section.child(i).data(0, ROW_ROLE), DashboardRow))
        return items

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        row = item.data(0, ROW_ROLE)
        if isinstance(row, DashboardRow):
            self.open_row(row)

    def open_row(self, row: DashboardRow) -> None:
        window = self.window()
        titles = window.tab_titles() if hasattr(window, "tab_titles") else None
        if titles is not None and row.tab not in titles:
            from ...core.errors import NotFoundError
            from ..errors import show_error

            show_error(self, NotFoundError(f"L'onglet « {row.tab} » n'est pas disponible dans cette version."))
            return
        edition_id = row.payload.get("edition_id")
        combo = getattr(window, "edition_combo", None)
        # The target tabs show the selected edition: select the line's edition first so the row is there.
        if edition_id is not None and edition_id != self.context.edition_id and combo is not None:
            index = combo.findData(edition_id)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.context.signals.navigate.emit(row.tab, dict(row.payload))
