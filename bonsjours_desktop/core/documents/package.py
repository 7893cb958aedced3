"""The finishing pass over a generated .docx package: typography, file properties, thumbnail.

A .docx is a zip of XML parts. After docxtpl has filled the template, this pass rewrites:

* the text parts (body, headers, footers, notes) through the French-typography filter;
* ``docProps/core.xml``: title, subject, author, description, created/modified now;
* ``docProps/app.xml``: application « Bons Jours <version> », the template's statistics dropped;
* the thumbnail: the template's one (a blank page) is always removed; a picture of the first page
  is put in its place when one is given (LibreOffice draws it, see :func:`thumbnails`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Optional, Sequence

from ..processes import run_program
from .typography import typeset_docx_xml

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def application_name() -> str:
    from ... import __version__

    return f"Bons Jours {__version__}"


@dataclasses.dataclass(frozen=True)
class DocumentProperties:
    """What File → Properties shows for a generated document."""

    title: str
    subject: str = ""
    author: str = ""
    description: str = ""
    keywords: str = ""
    when: Optional[dt.datetime] = None

    def moment(self) -> dt.datetime:
        return (self.when or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)


def _xml_text(value: str) -> str:
    return (value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def core_xml(props: DocumentProperties) -> bytes:
    stamp = props.moment().strftime("%Y-%m-%dT%H:%M:%SZ")
    ns = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in CORE_NS.items())
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<cp:coreProperties {ns}>"
        f"<dc:title>{_xml_text(props.title)}</dc:title>"
        f"<dc:subject>{_xml_text(props.subject)}</dc:subject>"
        f"<dc:creator>{_xml_text(props.author)}</dc:creator>"
        f"<cp:keywords>{_xml_text(props.keywords)}</cp:keywords>"
        f"<dc:description>{_xml_text(props.description)}</dc:description>"
        f"<cp:lastModifiedBy>{_xml_text(props.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "<dc:language>fr-FR</dc:language>"
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_xml(props: DocumentProperties) -> bytes:
    # Page and word counts of the template would be wrong: left out, Word recomputes them.
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{_xml_text(application_name())}</Application>"
        "<DocSecurity>0</DocSecurity>"
        f"<Company>{_xml_text(props.author)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "</Properties>"
    ).encode("utf-8")


def _set_thumbnail(entries: dict[str, bytes], thumbnail: Optional[bytes]) -> None:
    """Remove any thumbnail part and its relationship; add thumbnail (PNG bytes) when given."""
    from lxml import etree

    rels = etree.fromstring(entries["_rels/.rels"])
    for rel in list(rels):
        if rel.get("Type") == THUMBNAIL_REL:
            entries.pop(rel.get("Target", "").lstrip("/"), None)
            rels.remove(rel)
    if thumbnail:
        entries["docProps/thumbnail.png"] = thumbnail
        taken = {rel.get("Id") for rel in rels}
        number = 1
        while f"rId{number}" in taken:
            number += 1
        element = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
        element.set("Id", f"rId{number}")
        element.set("Type", THUMBNAIL_REL)
        element.set("Target", "docProps/thumbnail.png")
        types = etree.fromstring(entries["[Content_Types].xml"])
        if not any(d.get("Extension", "").lower() == "png" for d in types.iter(f"{{{CT_NS}}}Default")):
            default = etree.Element(f"{{{CT_NS}}}Default")
            default.set("Extension", "png")
            default.set("ContentType", "image/png")
            types.insert(0, default)
            entries["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                             standalone=True)
    entries["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)


def _read(data: bytes) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        return names, {name: archive.read(name) for name in names}


def _write(names: list[str], entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    # [Content_Types].xml first, as Word writes it; then the original order, then new parts.
    ordered = [n for n in names if n in entries] + [n for n in entries if n not in names]
    ordered.sort(key=lambda n: n != "[Content_Types].xml")
    # Level 1: the parts are mostly XML that deflates well at any level; the default (6) doubled the time.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in ordered:
            archive.writestr(name, entries[name])
    return out.getvalue()


def finish_package(data: bytes, props: DocumentProperties, thumbnail: Optional[bytes] = None,
                   typeset: bool = True) -> bytes:
    """The .docx bytes with typography applied, properties set and the thumbnail replaced."""
    names, entries = _read(data)
    if typeset:
        for name in names:
            if _TEXT_PART.match(name):
                entries[name] = typeset_docx_xml(entries[name])
    entries["docProps/core.xml"] = core_xml(props)
    entries["docProps/app.xml"] = app_xml(props)
    _ensure_props_rels(entries)
    _set_thumbnail(entries, thumbnail)
    return _write(names, entries)


def finish_document(document, props: DocumentProperties) -> None:
    """The same finishing as finish_package, on a python-docx Document before it is saved (one zip
    write instead of two): typography on the text parts, properties, no template thumbnail."""
    from docx.opc.packuri import PackURI

    from .typography import typeset_tree

    package = document.part.package
    app_part = None
    for part in package.iter_parts():
        name = str(part.partname).lstrip("/")
        if _TEXT_PART.match(name) and getattr(part, "_element", None) is not None:
            typeset_tree(part._element)
        elif name == "docProps/app.xml":
            app_part = part
    core = document.core_properties
    moment = props.moment().replace(tzinfo=None)

    def clip(text: str) -> str:  # Word's limit for a text property: 255 characters
        return text if len(text) <= 255 else text[:254] + "…"

    core.title, core.subject, core.author = clip(props.title), clip(props.subject), clip(props.author)
    core.keywords, core.comments = clip(props.keywords), clip(props.description)
    core.last_modified_by = clip(props.author)
    core.revision, core.language = 1, "fr-FR"
    core.created = core.modified = moment
    if app_part is not None and hasattr(app_part, "_blob"):
        app_part._blob = app_xml(props)
    else:
        from docx.opc.part import Part

        part = Part(PackURI("/docProps/app.xml"),
                    "application/vnd.openxmlformats-officedocument.extended-properties+xml", app_xml(props), package)
        package.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties")
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == THUMBNAIL_REL:
            del package.rels[rel_id]


def _ensure_props_rels(entries: dict[str, bytes]) -> None:
    """core.xml and app.xml are referenced from the package relationships (a user's template may lack them)."""
    from lxml import etree

    rels = etree.fromstring(entries["_rels/.rels"])
    wanted = {
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties": "docProps/core.xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties": "docProps/app.xml",
    }
    present = {rel.get("Type") for rel in rels}
    taken = {rel.get("Id") for rel in rels}
    types = etree.fromstring(entries["[Content_Types].xml"])
    overrides = {o.get("PartName") for o in types.iter(f"{{{CT_NS}}}Override")}
    content_types = {
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    changed = False
    for rel_type, target in wanted.items():
        if rel_type not in present:
            number = 1
            while f"rId{number}" in taken:
                number += 1
            taken.add(f"rId{number}")
            element = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
            element.set("Id", f"rId{number}")
            element.set("Type", rel_type)
            element.set("Target", target)
            changed = True
        if f"/{target}" not in overrides:
            override = etree.SubElement(types, f"{{{CT_NS}}}Override")
            override.set("PartName", f"/{target}")
            override.set("ContentType", content_types[target])
            entries["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                             standalone=True)
    if changed:
        entries["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_properties(path: Path) -> dict[str, str]:
    """The core and app properties of a .docx as a flat dict (title, creator, created, Application…)."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        result: dict[str, str] = {}
        for part in ("docProps/core.xml", "docProps/app.xml"):
            if part in archive.namelist():
                for element in etree.fromstring(archive.read(part)):
                    result[etree.QName(element).localname] = element.text or ""
    return result


# --- Thumbnails through LibreOffice -------------------------------------------------------------


def thumbnails_enabled(pdf: bool = False) -> bool:
    """Whether to draw first-page thumbnails: LibreOffice lays every document out again for them (measured:
    2 to 13 s for the demo directory depending on the machine's load, 32 s for 25 press kits), so by default
    only when a PDF is asked for, LibreOffice being needed then anyway. BONSJOURS_THUMBNAILS=1: always;
    =0: never."""
    setting = os.environ.get("BONSJOURS_THUMBNAILS", "").strip().lower()
    if setting in ("0", "non", "no", "false"):
        return False
    if setting in ("1", "oui", "yes", "true"):
        return True
    return pdf


def thumbnails(documents: Sequence[Path], timeout: float = 300.0) -> dict[Path, bytes]:
    """A PNG of the first page of each document, drawn by LibreOffice in one run; {} without LibreOffice.

    A failure here never fails the generation: the documents simply keep no thumbnail."""
    from .engine import find_soffice

    soffice = find_soffice()
    if soffice is None or not documents:
        return {}
    result: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="bonsjours-vignettes-") as work:
        work_dir = Path(work)
        out_dir = work_dir / "png"
        out_dir.mkdir()
        command = [str(soffice), f"-env:UserInstallation={(work_dir / 'profil').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "png", "--outdir", str(out_dir), *[str(d) for d in documents]]
        try:
            run_program(command, timeout=timeout, text=False)
        except (subprocess.TimeoutExpired, OSError):
            return {}
        for document in documents:
            produced = out_dir / (Path(document).stem + ".png")
            if produced.is_file():
                result[Path(document)] = produced.read_bytes()
    return result


def add_thumbnails(documents: Sequence[Path]) -> int:
    """Put a first-page thumbnail into each document (atomically); how many got one."""
    from .engine import save_atomically

    pictures = thumbnails(documents)
    for document, picture in pictures.items():
        names, entries = _read(document.read_bytes())
        _set_thumbnail(entries, picture)
        data = _write(names, entries)
        save_atomically(lambda temp, data=data: Path(temp).write_bytes(data), document)
    return len(pictures)
