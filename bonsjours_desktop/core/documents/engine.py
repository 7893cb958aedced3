"""Sandboxed docxtpl rendering: escaping, French filters, atomic writes, safe file names, PDF."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from ..errors import BonsJoursError
from ..formatting import date_abbr, date_long, date_short, integer, money, month_year, rate
from ..processes import run_program
from ..validation import CONTROL_RE, clean_text

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .package import DocumentProperties


class DocumentError(BonsJoursError):
    """A document could not be produced: bad template, forbidden access, file in use, no LibreOffice."""


class PdfUnavailableError(DocumentError):
    """LibreOffice was not found, so no PDF can be written."""


@dataclasses.dataclass(frozen=True)
class ImageRef:
    """An image to place in a document; the engine turns it into a docxtpl InlineImage."""

    path: Path
    width_mm: float = 160.0

    def __bool__(self) -> bool:
        return True


# --- Jinja environment --------------------------------------------------------------------------


def _as_date(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _filter_date_long(value: Any) -> str:
    day = _as_date(value)
    return date_long(day) if day else ("" if value is None else str(value))


def _filter_date_short(value: Any) -> str:
    day = _as_date(value)
    return date_short(day) if day else ("" if value is None else str(value))


def _filter_date_abbr(value: Any) -> str:
    day = _as_date(value)
    return date_abbr(day) if day else ("" if value is None else str(value))


def _filter_month_year(value: Any) -> str:
    day = _as_date(value)
    return month_year(day) if day else ""


def _filter_money(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    try:
        return money(Decimal(value))
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def _filter_integer(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return integer(int(value))
    except (TypeError, ValueError):
        return str(value)


def _filter_rate(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return rate(Decimal(value))
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def _filter_pluriel(count: Any, singular: str, plural: Optional[str] = None, nombre: bool = True) -> str:
    """{{ n|pluriel("boutique") }} → « 17 boutiques », « 1 boutique » ; nombre=False: the word alone."""
    from .typography import counted, plural as plural_word

    if not nombre:
        return plural_word(count, singular, plural)
    return counted(count, singular, plural)


FILTERS = {
    "pluriel": _filter_pluriel,
    "date_long": _filter_date_long,
    "date_short": _filter_date_short,
    "date_abbr": _filter_date_abbr,
    "month_year": _filter_month_year,
    "money": _filter_money,
    "integer": _filter_integer,
    "rate": _filter_rate,
}

FILTER_HELP = [
    ("date_long", "date en toutes lettres", "{{ edition.first_day|date_long }} → mercredi 2 avril 2014"),
    ("date_short", "date courte", "{{ edition.first_day|date_short }} → 02/04/2014"),
    ("date_abbr", "date abrégée", "{{ edition.first_day|date_abbr }} → mer. 2 avr. 2014"),
    ("month_year", "mois et année", "{{ edition.first_day|month_year }} → avril 2014"),
    ("money", "montant en euros", "{{ budget.total_ttc|money }} → 41 500,00 €"),
    ("integer", "nombre avec séparateur de milliers", "{{ totals.visitors|integer }} → 1 250"),
    ("rate", "taux", "{{ 5.5|rate }} → 5,5 %"),
    ("pluriel", "nombre et mot accordé (pluriel en -s, ou donné en second)",
     "{{ totals.shops|pluriel('boutique') }} → 17 boutiques ; {{ 1|pluriel('journal', 'journaux') }} → 1 journal"),
]


_ENVIRONMENT = None


def make_environment():
    """The sandboxed, autoescaping Jinja environment with the French filters (one per process).

    Autoescape makes & < > and quotes come out as typed instead of breaking the XML; the sandbox
    refuses attribute paths such as ``cycler.__init__.__globals__`` that lead to Python internals.
    Compiled parts are cached by their source: a batch of press kits compiles the template once.
    """
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import threading
        from collections import OrderedDict

        from jinja2.sandbox import SandboxedEnvironment

        class CachingSandbox(SandboxedEnvironment):
            """SandboxedEnvironment whose from_string() reuses templates compiled from the same source."""

            # « "x" * 100000000 » or « 10 ** 10000000 » in a template: refused like range(10000000) (the
            # sandbox's OverflowError, said « boucle ou un texte trop long »), not built in memory.
            intercepted_binops = frozenset(["*", "**"])

            def __init__(self):
                super().__init__(autoescape=True)
                self._compiled: OrderedDict = OrderedDict()
                self._lock = threading.Lock()

            def call_binop(self, context, operator, left, right):
                from jinja2.sandbox import MAX_RANGE

                if operator == "*":
                    for items, times in ((left, right), (right, left)):
                        if (isinstance(items, (str, list, tuple)) and isinstance(times, int)
                                and len(items) * times > MAX_RANGE):
                            raise OverflowError("Range too big")
                elif (isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                      and right * max(abs(left).bit_length(), 1) > 14_000):  # more than ~4 300 digits
                    raise ValueError("Exceeds the limit (4300 digits)")  # said « un nombre trop grand »
                return super().call_binop(context, operator, left, right)

            def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's name
                if globals or template_class or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                with self._lock:
                    cached = self._compiled.get(source)
                    if cached is not None:
                        self._compiled.move_to_end(source)
                        return cached
                template = super().from_string(source)
                with self._lock:
                    self._compiled[source] = template
                    while len(self._compiled) > 64:
                        self._compiled.popitem(last=False)
                return template

        env = CachingSandbox()
        env.filters.update(FILTERS)
        _ENVIRONMENT = env
    return _ENVIRONMENT


@contextlib.contextmanager
def gc_paused():
    """Python's cycle collector off while one document is built and rendered, back on after.

    A rendering allocates hundreds of thousands of small objects (context dicts, Jinja frames, lxml
    proxies) that reference counting frees; the collector would otherwise stop the work again and
    again to scan everything alive in the application (a third of the directory's time at 1 000 shops)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- Context cleaning ---------------------------------------------------------------------------


def prepare_context(context: dict[str, Any], template) -> dict[str, Any]:
    """The context as docxtpl gets it: control characters stripped from every string (tabs and line breaks
    kept), images turned into docxtpl InlineImages, tuples into lists.

    Line breaks stay as "\\n": docxtpl turns them into Word line breaks after rendering. A form
    feed or bell pasted from other software would otherwise break the file or the paragraphs.
    A list or dict met twice (the directory lists each shop under its commune and again in « shops »)
    is prepared once and shared, as it was in the context."""
    seen: dict[int, Any] = {}
    newline = "\r"
    control = CONTROL_RE.search

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            if newline in value:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            return value if control(value) is None else clean_text(value)
        if isinstance(value, dict):
            done = seen.get(id(value))
            if done is None:
                done = seen[id(value)] = {key: walk(item) for key, item in value.items()}
            return done
        if isinstance(value, (list, tuple)):
            done = seen.get(id(value))
            if done is None:
                done = seen[id(value)] = [walk(item) for item in value]
            return done
        if isinstance(value, ImageRef):
            return _resolve_images(value, template)
        return value

    try:
        return walk(context)
    finally:
        seen.clear()  # walk is in a reference cycle with itself: let the context go with the rendering


def _resolve_images(value: ImageRef, template) -> Any:
    from docx.shared import Mm
    from docxtpl import InlineImage

    check_image(value.path)
    return InlineImage(template, str(value.path), width=Mm(value.width_mm))


def _read_user_file(path: Path, kind: str, what: str) -> bytes:
    """The bytes of a file the user named (an image, a template), or one French DocumentError: « Image
    introuvable : … », or read_input's reason (no access, still open, a folder…)."""
    from ..io.input_files import read_input

    if not path.is_file():
        raise DocumentError(f"{kind} introuvable : « {path} ».")
    try:
        return read_input(path, what)
    except BonsJoursError as exc:
        raise DocumentError(str(exc)) from None


def check_image(path: Path) -> None:
    """A French DocumentError unless path is a readable image Word can show (PNG, JPEG, GIF, BMP, TIFF):
    a missing, unreadable or non-image file used to end in « erreur inattendue »."""
    from docx.image.image import Image

    path = Path(path)
    data = _read_user_file(path, "Image", "l'image")
    try:
        Image.from_blob(data)
    except Exception as exc:  # noqa: BLE001 - python-docx's UnrecognizedImageError has no message
        log.info("Unusable image %s: %r", path, exc)
        raise DocumentError(
            f"« {path.name} » n'est pas une image utilisable dans un document Word (PNG, JPEG, GIF, BMP ou TIFF "
            "attendu ; un SVG ou un PDF : exportez-le d'abord en PNG)."
        ) from None


# --- Rendering ----------------------------------------------------------------------------------

JINJA_MESSAGES_FR = [
    (r"unexpected end of template.*closed is '(\w+)'.*", r"la balise {% \1 %} n'est pas fermée (il manque {% end\1 %})"),
    (r"unexpected end of template.*", "fin du modèle inattendue : une balise {% for %} ou {% if %} n'est pas fermée "
                                      "(il manque {% endfor %} ou {% endif %})"),
    (r"Encountered unknown tag '(\w+)'.*", r"balise inconnue « \1 »"),
    (r"unexpected '(.*?)', expected '(.*?)'.*", r"« \2 » attendu, « \1 » trouvé"),
    (r"unexpected '(.*)'", r"caractère inattendu « \1 »"),
    (r"unexpected char '(.*)' at \d+", r"caractère inattendu « \1 »"),
    (r"expected token '(.*?)', got '(.*?)'", r"« \1 » attendu, « \2 » trouvé"),
    (r"expected token '(.*?)'", r"« \1 » attendu"),
    (r"No filter named '(\w+)'.*", r"filtre inconnu « \1 »"),
    (r"tag name expected", "nom de balise attendu après {%"),
    (r"Expected an expression, got 'end of (statement block|print statement)'.*",
     "une valeur ou une variable est attendue avant la fin de la balise"),
    (r"Expected an expression, got '(.*?)'.*", r"une valeur ou une variable est attendue, « \1 » trouvé"),
    (r"expected '(.*?)'.*", r"« \1 » attendu"),
    (r"Unexpected end of template.*", "fin du modèle inattendue : une balise n'est pas fermée"),
    (r"Encountered unknown tag '(\w+)'.*", r"balise inconnue « \1 »"),
    (r"No test named '(\w+)'.*", r"test inconnu « \1 »"),
    (r"missing end of (raw|comment) directive.*", r"balise {% \1 %} sans sa fin"),
    (r"unexpected end of (print statement|statement block|comment)", "une balise {{ … }} ou {% … %} n'est pas fermée"),
    (r"can't assign to .*", "affectation impossible dans un modèle"),
]


def translate_jinja_message(message: str) -> str:
    """Common Jinja syntax messages in French; the original is kept for anything else."""
    first_line = (message or "").splitlines()[0] if message else ""
    for pattern, replacement in JINJA_MESSAGES_FR:
        match = re.match(pattern, first_line, re.IGNORECASE | re.DOTALL)
        if match:
            text = match.expand(replacement)
            for token, french in _JINJA_TOKENS_FR.items():
                text = text.replace(f"« {token} »", french)
            return text
    return f"erreur de syntaxe ({first_line})"


# Jinja's names for what it expected or found, as the user writes them.
_JINJA_TOKENS_FR = {"end of print statement": "« }} »", "end of statement block": "« %} »", "name": "un nom",
                    "end of template": "la fin du modèle", "string": "un texte", "integer": "un nombre",
                    "float": "un nombre", "rparen": "« ) »", "rbracket": "« ] »", "rbrace": "« } »",
                    "comma": "« , »", "colon": "« : »", "pipe": "« | »", "assign": "« = »"}


def _load_template(template_path: Path):
    """The DocxTemplate of a Word file, or one French DocumentError: missing, unreadable (no access,
    still open), not a .docx at all (a .doc, a PDF renamed), or a damaged one."""
    import io
    import zipfile

    from docxtpl import DocxTemplate

    path = Path(template_path)
    data = _read_user_file(path, "Modèle", "le modèle")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(
            f"Le modèle « {path.name} » n'est pas un document Word (.docx) : "
            + ("ancien format .doc, enregistrez-le en .docx depuis Word ou LibreOffice." if data[:4] == b"\xd0\xcf\x11\xe0"
               else "fichier d'un autre format ou endommagé.")
        )
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same French message
        log.info("Unreadable template %s: %r", path, exc)
        raise DocumentError(
            f"Le modèle « {path.name} » n'est pas un document Word (.docx) lisible : archive endommagée ou "
            "d'un autre type (un classeur, une présentation ?). Ouvrez-le dans Word puis enregistrez-le en .docx."
        ) from exc
    return template


def default_properties(context: dict[str, Any], target: Path) -> "DocumentProperties":
    """File properties of a generated document: its name as title, the operation and edition as
    subject, the Département (setting « departement_name ») as author, made now."""
    from .package import DocumentProperties, application_name
    from .typography import french_typography

    edition = context.get("edition") if isinstance(context.get("edition"), dict) else {}
    operation = str(context.get("operation_title") or "")
    subject = " – ".join(x for x in (operation, str(edition.get("name") or "")) if x)
    departement = str(context.get("departement_name") or "")
    return DocumentProperties(
        title=french_typography(Path(target).stem),
        subject=french_typography(subject),
        author=f"Département de {departement}" if departement else "",
        description=f"Document produit par {application_name()}.",
        keywords=french_typography(", ".join(x for x in (operation, str(edition.get("name") or "")) if x)),
    )


def render_document(template_path: Path, context: dict[str, Any], target: Path,
                    properties: Optional["DocumentProperties"] = None) -> Path:
    """Render a docxtpl template with the context into target, atomically.

    The rendered package then goes through the finishing pass (package.finish_package): French
    typography on all its text, file properties of today, the template's thumbnail removed.
    The file is written next to the target under a temporary name, then moved over it in one
    step: a failure leaves the earlier document intact and no temporary file behind.
    """
    from .package import finish_document

    target = Path(target)
    template = _load_template(Path(template_path))
    data = prepare_context(context, template)
    name = Path(template_path).name
    render_document_errors(template, data, name)
    finish_document(template.docx, properties or default_properties(data, target))
    save_atomically(template.save, target)
    return target


def render_document_errors(template, data: dict[str, Any], name: str) -> None:
    """template.render(data) with every failure turned into one French DocumentError."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

    env = make_environment()
    try:
        template.render(data, env, autoescape=True)
    except SecurityError as exc:
        raise DocumentError(
            f"Le modèle « {name} » tente d'accéder à des éléments internes interdits ({exc}) : "
            "rien n'a été produit. Utilisez seulement les variables documentées."
        ) from exc
    except TemplateSyntaxError as exc:
        where = _paragraph_of(exc)
        raise DocumentError(
            f"Le modèle « {name} » contient une erreur : {translate_jinja_message(exc.message or '')}"
            + (f", dans le paragraphe « {where} »" if where else "")
            + ". Vérifiez-le avec « Vérifier le modèle »."
        ) from exc
    except UndefinedError as exc:
        raise DocumentError(
            f"Le modèle « {name} » utilise une valeur absente ({exc.message}). Vérifiez-le avec « Vérifier le modèle »."
        ) from exc
    except TemplateError as exc:
        raise DocumentError(f"Le modèle « {name} » n'a pas pu être rempli : {exc}.") from exc
    except OverflowError as exc:  # the sandbox's "Range too big" (range(10000000))
        raise DocumentError(
            f"Le modèle « {name} » demande une boucle ou un texte trop long (plus de 100 000 éléments) : rien n'a été "
            "produit. Raccourcissez la boucle « range(…) » ou la répétition."
        ) from exc
    except MemoryError as exc:
        raise DocumentError(f"Le modèle « {name} » produit un document trop gros : rien n'a été produit.") from exc
    except ValueError as exc:
        if "limit" not in str(exc) or "digits" not in str(exc):  # {{ 10 ** 10000000 }}: Python's 4300 digits
            raise DocumentError(f"Le modèle « {name} » n'a pas pu être rempli : {exc}.") from exc
        raise DocumentError(
            f"Le modèle « {name} » calcule un nombre trop grand pour être écrit (plus de 4 300 chiffres) : rien n'a été "
            "produit. Vérifiez les calculs du modèle."
        ) from exc
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise DocumentError(f"Le modèle « {name} » n'a pas pu être rempli : {exc}.") from exc


def _paragraph_of(exc: Any) -> str:
    lines = list(getattr(exc, "docx_context", None) or [])
    # docxtpl keeps 3 lines before the faulty one (one line per paragraph).
    if len(lines) > 3:
        text = lines[3].strip()
        if text:
            return text
    return " ".join(line.strip() for line in lines if line.strip())[:200]


TEMP_PREFIX = ".bonsjours-"
_TEMP_PID = re.compile(r"^\.bonsjours-(\d+)-")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows: keep it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files left in folder by a generation that was killed (its process is gone)."""
    removed = 0
    for leftover in Path(folder).glob(TEMP_PREFIX + "*"):
        match = _TEMP_PID.match(leftover.name)
        if match and not _process_alive(int(match.group(1))):
            try:
                leftover.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def check_document_target(target: Path, *, probe: bool = False) -> Path:
    """The resolved target of a document, its folder created; a French DocumentError when it may not be
    written: the open base or its companions, the backups folder, a folder, a file where the folder
    should be, a protected folder (probe=True tries to create a file there)."""
    from ..io.safe_write import check_output_folder, check_output_target

    target = Path(target)
    try:
        check_output_folder(target.parent, probe=probe)
        target = check_output_target(target)
    except DocumentError:
        raise
    except BonsJoursError as exc:
        raise DocumentError(str(exc)) from None
    return target


def save_atomically(save, target: Path) -> None:
    """Call save(temporary_path) in the target folder, then replace the target in one step.

    The temporary file's name carries our process id, so one left by a killed run is recognised and
    removed by the next generation into that folder. The target is checked first (never the open
    base, its lock or journal, nor the backups folder) and the file gets the umask's permissions."""
    from ..io.safe_write import new_file_mode, os_reason

    target = check_document_target(target)
    folder = target.parent
    remove_stale_temporaries(folder)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix or ".tmp",
                                             dir=folder)
    except OSError as exc:
        raise DocumentError(f"Impossible d'écrire dans le dossier « {folder} » : {os_reason(exc)}.") from exc
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        save(str(temp_path))
        try:
            os.chmod(temp_path, target.stat().st_mode & 0o7777 if target.exists() else new_file_mode())
            os.replace(temp_path, target)
        except PermissionError as exc:
            raise DocumentError(
                f"Le fichier « {target.name} » est ouvert dans un autre programme (Word ?) ou protégé en "
                f"écriture : fermez-le puis recommencez. Le fichier précédent n'a pas été modifié."
            ) from exc
        except OSError as exc:
            raise DocumentError(f"Impossible d'enregistrer « {target} » : {os_reason(exc)}.") from exc
    finally:
        if temp_path.exists():
            try:
                temp_path.unlink()
            except OSError:
                pass


# --- File names ---------------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FORBIDDEN_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_filename(name: str, suffix: str = "", max_length: int = 120) -> str:
    """A file name Windows accepts: no <>:"/\\|?*, no control characters, no reserved name,
    no trailing dot or space; the suffix (".docx") is appended after the checks."""
    text = _FORBIDDEN_CHARS.sub("-", name or "")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"-{2,}", "-", text)
    text = text[:max_length].rstrip(" .")
    if not text:
        text = "document"
    stem = text.split(".")[0].strip().upper()
    if stem in _RESERVED:
        text = f"_{text}"
    return text + suffix


def unique_path(folder: Path, name: str, taken: set[str]) -> Path:
    """folder/name, or folder/name (2)... when another file of this batch already has the name."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate = name
    counter = 2
    while candidate.casefold() in taken:
        candidate = f"{stem} ({counter}).{ext}" if ext else f"{stem} ({counter})"
        counter += 1
    taken.add(candidate.casefold())
    return Path(folder) / candidate


# --- PDF through LibreOffice --------------------------------------------------------------------


def soffice_candidates() -> list[Path]:
    """Usual install folders of LibreOffice on Windows and macOS (PATH is searched first)."""
    candidates: list[Path] = []
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432"):
        base = os.environ.get(variable)
        if base:
            candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    candidates += [
        Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
        Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        Path.home() / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice",
        Path("/opt/libreoffice/program/soffice"),
        Path("/usr/lib/libreoffice/program/soffice"),
    ]
    return candidates


def find_soffice() -> Optional[Path]:
    """LibreOffice's soffice: BONSJOURS_SOFFICE, then PATH, then the usual install folders."""
    override = os.environ.get("BONSJOURS_SOFFICE")
    if override is not None:
        return Path(override) if override and Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in soffice_candidates():
        if candidate.is_file():
            return candidate
    return None


def pdf_unavailable_reason() -> str:
    """Why PDF is unavailable (French), or "" when LibreOffice was found."""
    if find_soffice() is not None:
        return ""
    return (
        "Export PDF indisponible : LibreOffice n'est pas installé sur cet ordinateur (cherché dans le PATH "
        "et dans les dossiers d'installation habituels de Windows et macOS). Installez LibreOffice "
        "(libreoffice.org) pour produire aussi des PDF ; les documents Word restent produits."
    )


# Every font embedded in the PDF, the 14 "standard" PDF fonts included (LibreOffice leaves those out by
# default, so a printer would substitute its own): the JSON filter options of LibreOffice 7.4 and later;
# older versions ignore them and embed all but those 14 (Arial and its Liberation Sans stand-in are not among them).
PDF_EXPORT = 'pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"}}'


def convert_to_pdf(documents: Sequence[Path], timeout: float = 300.0) -> list[Path]:
    """Convert .docx files to PDF next to them with LibreOffice, in one run, atomically per file."""
    documents = [Path(d) for d in documents]
    if not documents:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailableError(pdf_unavailable_reason())
    results: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bonsjours-pdf-") as work:
        work_dir = Path(work)
        # A private profile: a LibreOffice already open on the desktop would otherwise swallow the job.
        profile = (work_dir / "profil").as_uri()
        by_folder: dict[Path, list[Path]] = {}
        for document in documents:
            by_folder.setdefault(document.parent, []).append(document)
        out_dir = work_dir / "pdf"
        out_dir.mkdir()
        command = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", PDF_EXPORT, "--outdir", str(out_dir), *[str(d) for d in documents]]
        try:
            completed = run_program(command, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError("LibreOffice n'a pas terminé la conversion en PDF à temps.") from exc
        except OSError as exc:
            raise DocumentError(f"Impossible de lancer LibreOffice ({soffice}) : {exc.strerror or exc}.") from exc
        for document in documents:
            produced = out_dir / (document.stem + ".pdf")
            if not produced.is_file():
                detail = (completed.stderr or completed.stdout or "").strip().splitlines()
                raise DocumentError(
                    f"LibreOffice n'a pas pu convertir « {document.name} » en PDF"
                    + (f" ({detail[-1]})" if detail else "") + "."
                )
            target = document.with_suffix(".pdf")
            save_atomically(lambda temp, source=produced: shutil.copyfile(source, temp), target)
            results.append(target)
    return results


def document_text(path: Path) -> str:
    """All the text of a .docx (body, tables, headers, footers): for checks and tests."""
    from docx import Document

    document = Document(str(path))
    parts: list[str] = []

    def walk(container: Any) -> None:
        for paragraph in container.paragraphs:
            parts.append(paragraph.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            walk(part)
    return "\n".join(parts)
