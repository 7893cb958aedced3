"""The organisation form's « Logo » row: a preview, « Choisir… » / « Retirer », errors in place."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.errors import ValidationError

PREVIEW = QSize(150, 56)
ERROR_STYLE = "color: #b00020;"


def logo_pixmap(fmt: str, data: bytes, size: QSize = PREVIEW) -> Optional[QPixmap]:
    """The logo drawn to fit size (aspect kept); None when Qt cannot read it."""
    if fmt == "svg":
        from PySide6.QtSvg import QSvgRenderer

        renderer = QSvgRenderer(QByteArray(data))
        box = renderer.viewBoxF()
        if not renderer.isValid() or box.width() <= 0 or box.height() <= 0:
            return None
        fitted = QSize(int(box.width()), int(box.height())).scaled(size, Qt.KeepAspectRatio)
        pixmap = QPixmap(fitted)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        return pixmap
    image = QImage.fromData(data)
    if image.isNull():
        return None
    return QPixmap.fromImage(image.scaled(size, Qt.KeepAspectRatio, Qt.SmoothTransformation))


class LogoField(QWidget):
    """Shows the stored logo; a new file is checked at once (format, size, readable) and kept pending
    until the form is saved; « Retirer » marks it for removal."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("logoField")
        self.seen = None  # the logo row as loaded (versions: refused if someone replaced it since)
        self.changed = False
        self.data: Optional[bytes] = None
        self.file_name = ""
        self.format = ""
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW)
        self.preview.setAlignment(Qt.AlignCenter)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error_logo")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.choose_button = QPushButton("Choisir…")
        self.choose_button.setToolTip("PNG, JPEG ou SVG, 2 Mo au plus ; montré sur les affiches quand "
                                      "l'organisation a un rôle tourné vers le public dans l'édition")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Retirer")
        self.remove_button.clicked.connect(self.remove)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        text = QVBoxLayout()
        text.addWidget(self.caption)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        text.addLayout(buttons)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._show()

    def load(self, logo) -> None:
        """logo: core.logos.Logo or None."""
        self.seen = logo.seen if logo is not None else None
        self.data = logo.data if logo is not None else None
        self.format = logo.format if logo is not None else ""
        self.file_name = logo.file_name if logo is not None else ""
        self.changed = False
        self._show()

    def set_file(self, path: Path | str) -> bool:
        """Take the file as the new logo if it is fit; else say why in place. True when taken."""
        from ...core.logos import read_logo_file

        self.set_error("")
        try:
            fmt, data = read_logo_file(path)
        except ValidationError as exc:
            self.set_error(" ".join(exc.errors.values()))
            return False
        if logo_pixmap(fmt, data) is None:
            self.set_error(f"Logo « {Path(path).name} » illisible : le fichier {fmt.upper()} semble abîmé.")
            return False
        self.data, self.format, self.file_name, self.changed = data, fmt, Path(path).name, True
        self._show()
        return True

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choisir le logo", "", "Logos (*.png *.jpg *.jpeg *.svg)")
        if path:
            self.set_file(path)

    def remove(self) -> None:
        self.set_error("")
        self.data, self.format, self.file_name = None, "", ""
        self.changed = self.seen is not None
        self._show()

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _show(self) -> None:
        pixmap = logo_pixmap(self.format, self.data) if self.data else None
        if pixmap is not None:
            self.preview.setPixmap(pixmap)
        else:
            self.preview.clear()
            self.preview.setText("(aucun logo)" if not self.data else "(illisible)")
        if self.data:
            state = " — sera enregistré avec la fiche" if self.changed else ""
            self.caption.setText(f"{self.file_name or 'logo'} ({self.format.upper()}){state}")
        else:
            self.caption.setText("Aucun logo" + (" — sera retiré avec la fiche" if self.changed else "") + ".")
        self.remove_button.setEnabled(bool(self.data))
