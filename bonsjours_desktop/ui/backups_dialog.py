"""Dialog listing the automatic backups of the open database and restoring one of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.db import list_backups

REASONS = {
    "quotidienne": "sauvegarde du jour",
    "manuelle": "sauvegarde demandée",
    "avant-migration": "avant mise à jour du schéma",
    "avant-restauration": "avant une restauration",
}


def describe(backup: Path) -> str:
    stamp = dt.datetime.fromtimestamp(backup.stat().st_mtime)
    reason = backup.stem.rsplit("_", 1)[-1]
    size = backup.stat().st_size / 1024
    return f"{stamp:%d/%m/%Y %H:%M:%S} — {REASONS.get(reason, reason)} — {size:,.0f} Ko".replace(",", " ")


class BackupsDialog(QDialog):
    """Pick a backup; accept() restores it once the user confirmed (current file backed up first)."""

    def __init__(self, db_path: Path, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("Restaurer une sauvegarde")
        self.resize(560, 380)
        self.db_path = db_path
        self.list = QListWidget(self)
        for backup in list_backups(db_path):
            item = QListWidgetItem(describe(backup))
            item.setData(Qt.UserRole, str(backup))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        info = QLabel(
            "Les sauvegardes sont faites au premier démarrage de chaque jour, avant chaque mise à jour du "
            "schéma et à la demande (10 gardées). La base actuelle est sauvegardée avant toute restauration, "
            "ce qui permet de revenir en arrière."
        )
        info.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.restore_button = buttons.addButton("Restaurer", QDialogButtonBox.AcceptRole)
        self.restore_button.setEnabled(self.list.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def selected_backup(self) -> Optional[Path]:
        item = self.list.currentItem()
        return Path(item.data(Qt.UserRole)) if item is not None else None
