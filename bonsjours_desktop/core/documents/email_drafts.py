"""E-mail drafts (.eml) with the documents attached, opened as drafts by Outlook and Thunderbird.

Built with Python's own `email` package; nothing is sent, there is no network and no SMTP.
"""

from __future__ import annotations

import mimetypes
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Optional, Sequence

from sqlalchemy.orm import Session

from ..reference import get_setting
from .engine import safe_filename, unique_path

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DEFAULT_BODIES = {
    "press-kit": (
        "Bonjour,\n\n"
        "Vous trouverez ci-joint le dossier de presse de l'opération « {operation} » qui se tiendra {days} "
        "dans les boutiques solidaires ({scope}).\n"
        "N'hésitez pas à le relayer autour de vous.\n\n"
        "Bien cordialement,\n"
    ),
    "role-sheet": (
        "Bonjour,\n\n"
        "Vous trouverez ci-joint la fiche qui récapitule votre rôle dans l'édition {edition} de l'opération "
        "« {operation} » ({days}) : vos tâches et leurs dates, les réunions, le matériel prêté et les "
        "contacts utiles.\n\n"
        "Bien cordialement,\n"
    ),
}
SUBJECTS = {
    "press-kit": "Dossier de presse – {operation} – {edition}",
    "role-sheet": "Votre rôle dans « {operation} » – {edition}",
}
# Settings holding the coordinator's own wording (Documents tab), with {edition}, {days}, {operation}, {scope}.
BODY_SETTINGS = {"press-kit": "email_body_press_kit", "role-sheet": "email_body_role_sheet"}


def body_template(session: Session, kind: str) -> str:
    return get_setting(session, BODY_SETTINGS[kind], "") or DEFAULT_BODIES[kind]


def fill(template: str, **values: str) -> str:
    """Replace {name} placeholders; unknown or unbalanced braces are left as typed, never an error."""
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def build_draft(to_name: str, to_email: str, subject: str, body: str, attachments: Sequence[Path],
                sender: str = "") -> EmailMessage:
    """One unsent message: To (when known), Subject, a plain French body and the files attached."""
    message = EmailMessage(policy=SMTP)
    if to_email:
        message["To"] = formataddr((to_name, to_email)) if to_name else to_email
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="bonsjours.local")
    message["X-Unsent"] = "1"  # Outlook opens the file as a draft ready to send
    message.set_content(body)
    for path in attachments:
        if path.suffix.lower() == ".docx":
            maintype, subtype = DOCX_TYPE.split("/")
        else:
            guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            maintype, subtype = guessed.split("/")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message


def write_draft(folder: Path, label: str, message: EmailMessage, taken: Optional[set[str]] = None) -> Path:
    """Write `message` as '<label>.eml' in folder (a unique name); written whole or not at all."""
    target = unique_path(folder, safe_filename(label, ".eml"), taken if taken is not None else set())
    partial = target.with_name(target.name + ".partiel")
    partial.write_bytes(message.as_bytes())
    partial.replace(target)
    return target
