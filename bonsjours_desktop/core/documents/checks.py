"""Checks of a user's Word template: Jinja syntax, unknown variables and filters, tags split by Word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from .catalogue import KIND_LABELS, variable_names
from .engine import DocumentError, _load_template, make_environment, translate_jinja_message

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Names every template may use without documentation: Jinja's own helpers.
JINJA_GLOBALS = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none",
                 "True", "False", "None", "super", "varargs", "kwargs", "caller"}


@dataclass(frozen=True)
class Problem:
    """One finding of the template check: severity ("erreur"/"avertissement"), what, where."""

    severity: str
    message: str
    paragraph: str = ""
    part: str = "corps du document"

    def __str__(self) -> str:
        where = f" — {self.part}, paragraphe « {self.paragraph} »" if self.paragraph else f" — {self.part}"
        return f"{self.severity.capitalize()} : {self.message}{where}"


@dataclass(frozen=True)
class _Part:
    name: str
    raw_xml: str


def _parts(template) -> Iterator[_Part]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    docx = template.docx
    yield _Part("corps du document", template.xml_to_string(docx._element.body))
    labels = {RT.HEADER: "en-tête", RT.FOOTER: "pied de page"}
    for rel in docx._part.rels.values():
        if rel.reltype in labels and not rel.is_external:
            yield _Part(labels[rel.reltype], rel.target_part.blob.decode("utf-8"))


def _paragraph_texts(raw_xml: str) -> Iterator[tuple[str, list[str]]]:
    """(paragraph text, the texts of its runs) for each w:p of a part."""
    from lxml import etree

    root = etree.fromstring(raw_xml.encode("utf-8"))
    for paragraph in root.iter(f"{{{W_NS}}}p"):
        runs = []
        for run in paragraph.iter(f"{{{W_NS}}}r"):
            runs.append("".join(t.text or "" for t in run.iter(f"{{{W_NS}}}t")))
        yield "".join(runs), runs


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _split_tags(part: _Part) -> list[Problem]:
    """Tags whose characters Word spread over several runs (differing formatting, spell check)."""
    problems = []
    for text, runs in _paragraph_texts(part.raw_xml):
        if "{" not in text and "}" not in text:
            continue
        opens = len(re.findall(r"\{[{%#]", text))
        closes = len(re.findall(r"[}%#]\}", text))
        if opens != closes:
            problems.append(Problem(
                "erreur",
                "balise non fermée dans ce paragraphe : chaque « {{ » ou « {% » doit se terminer par "
                "« }} » ou « %} » dans le même paragraphe",
                _short(text), part.name,
            ))
            continue
        paragraph_tag = re.search(r"\{%\s*p\s.*?%\}", text)
        if paragraph_tag and text.strip() != paragraph_tag.group(0).strip():
            problems.append(Problem(
                "avertissement",
                f"la balise « {_short(paragraph_tag.group(0), 60)} » remplace tout son paragraphe : le reste du "
                "texte de ce paragraphe disparaîtra. Mettez-la seule dans un paragraphe",
                _short(text), part.name,
            ))
        # Map each character of the paragraph to its run; a tag covering several runs was split.
        owners = [index for index, run in enumerate(runs) for _ in run]
        for match in TAG_RE.finditer(text):
            spanned = set(owners[match.start():match.end()])
            if len(spanned) > 1:
                problems.append(Problem(
                    "avertissement",
                    f"la balise « {_short(match.group(0), 60)} » est coupée en {len(spanned)} morceaux par Word "
                    "(mise en forme ou correcteur différents) ; Bons Jours la recolle, mais sa mise en forme "
                    "sera celle du premier morceau. Retapez-la d'un seul trait pour être sûr du résultat",
                    _short(text), part.name,
                ))
    return problems


def _line_texts(patched_xml: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", line) for line in patched_xml.splitlines()]


def _private_name(expr) -> Optional[str]:
    """The name of an attribute the sandbox refuses (``__init__``, ``_secret``), or None."""
    from jinja2 import nodes

    if isinstance(expr, nodes.Getattr) and expr.attr.startswith("_"):
        return expr.attr
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str) \
            and expr.arg.value.startswith("_"):
        return expr.arg.value
    return None


def _walk_names(node, scope: dict[str, Optional[str]], known: set[str], found: list[tuple[str, int]],
                filters: set[str], bad_filters: list[tuple[str, int]],
                forbidden: Optional[list[tuple[str, int]]] = None) -> None:
    """Collect documented-path violations, resolving loop variables to their documented path, and
    accesses to Python internals (which the sandbox refuses at generation)."""
    from jinja2 import nodes

    if forbidden is None:
        forbidden = []

    def path_of(expr) -> Optional[str]:
        if isinstance(expr, nodes.Name):
            if expr.name in scope:
                return scope[expr.name]
            if expr.name in JINJA_GLOBALS:
                return None
            return expr.name
        if isinstance(expr, nodes.Getattr):
            base = path_of(expr.node)
            return f"{base}.{expr.attr}" if base else None
        if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const) and isinstance(expr.arg.value, str):
            base = path_of(expr.node)
            return f"{base}.{expr.arg.value}" if base else None
        if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
            base = path_of(expr.node)
            return f"{base}[]" if base else None
        return None

    def check_expr(expr) -> None:
        private = _private_name(expr)
        if private is not None:
            forbidden.append((private, expr.lineno))
            return
        if isinstance(expr, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path = path_of(expr)
            if path is not None and path not in known:
                found.append((path, expr.lineno))
                return
            if path is not None:
                return
        if isinstance(expr, nodes.Filter):
            if expr.name not in filters:
                bad_filters.append((expr.name, expr.lineno))
        for child in expr.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                check_expr(child)
            else:
                visit(child)

    def visit(stmt) -> None:
        if isinstance(stmt, nodes.For):
            check_expr(stmt.iter)
            iterable = path_of(stmt.iter) if isinstance(stmt.iter, (nodes.Name, nodes.Getattr, nodes.Getitem)) else None
            inner = dict(scope)
            if isinstance(stmt.target, nodes.Name):
                inner[stmt.target.name] = f"{iterable}[]" if iterable else None
            for target in stmt.target.find_all(nodes.Name):
                inner[target.name] = None
            inner["loop"] = None
            for child in stmt.body + stmt.else_:
                _walk_names(child, inner, known, found, filters, bad_filters, forbidden)
            if stmt.test is not None:
                _walk_names(stmt.test, inner, known, found, filters, bad_filters, forbidden)
            return
        if isinstance(stmt, nodes.Assign):
            check_expr(stmt.node)
            for target in [stmt.target, *stmt.target.find_all(nodes.Name)]:
                if isinstance(target, nodes.Name):
                    scope[target.name] = None
            return
        if isinstance(stmt, (nodes.Macro, nodes.CallBlock)):
            for arg in getattr(stmt, "args", []):
                scope[arg.name] = None
        if isinstance(stmt, nodes.With):
            for target, value in zip(stmt.targets, stmt.values):
                check_expr(value)
                for name in [target, *target.find_all(nodes.Name)]:
                    if isinstance(name, nodes.Name):
                        scope[name.name] = None
            for child in stmt.body:
                _walk_names(child, scope, known, found, filters, bad_filters, forbidden)
            return
        if isinstance(stmt, nodes.Expr):
            check_expr(stmt)
            return
        for child in stmt.iter_child_nodes():
            visit(child)

    visit(node)


def check_template(path: Path, kind: str) -> list[Problem]:
    """Every problem found in the template; an empty list means it can be used for that kind."""
    from jinja2 import TemplateSyntaxError

    if kind not in KIND_LABELS:
        raise DocumentError(f"Type de document inconnu « {kind} » (possibles : {', '.join(KIND_LABELS)}).")
    template = _load_template(Path(path))
    env = make_environment()
    known = variable_names(kind)
    problems: list[Problem] = []
    for part in _parts(template):
        problems += _split_tags(part)
        # The same preparation docxtpl does before rendering, one line per paragraph.
        patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(part.raw_xml))
        lines = _line_texts(patched)

        def paragraph(lineno: Optional[int]) -> str:
            if lineno and 0 < lineno <= len(lines):
                return _short(lines[lineno - 1])
            return ""

        try:
            tree = env.parse(patched)
        except TemplateSyntaxError as exc:
            problems.append(Problem("erreur", translate_jinja_message(exc.message or ""), paragraph(exc.lineno), part.name))
            continue
        unknown: list[tuple[str, int]] = []
        bad_filters: list[tuple[str, int]] = []
        forbidden: list[tuple[str, int]] = []
        _walk_names(tree, {}, known, unknown, set(env.filters), bad_filters, forbidden)
        for name, lineno in forbidden:
            problems.append(Problem(
                "erreur", f"accès interdit à « {name} » : les éléments internes de Python sont interdits dans un "
                "modèle ; utilisez seulement les variables documentées", paragraph(lineno), part.name))
        seen: set[tuple[str, str]] = set()
        for name, lineno in unknown:
            display = name.replace("[]", "")
            if (display, part.name) in seen:
                continue
            seen.add((display, part.name))
            problems.append(Problem(
                "erreur",
                f"variable inconnue « {display} » pour le document « {KIND_LABELS[kind]} » "
                "(voir la liste des variables disponibles)",
                paragraph(lineno), part.name,
            ))
        for name, lineno in bad_filters:
            problems.append(Problem("erreur", f"filtre inconnu « {name} » (filtres : {', '.join(sorted(env.filters))})",
                                    paragraph(lineno), part.name))
    if not any(p.severity == "erreur" for p in problems):
        trial = _trial_render(template, path, kind)
        if trial is not None:
            problems.append(trial)
    return problems


def _example_value(text: str):
    """A documented example as the value the context would hold: a number, a date, else the text."""
    import datetime as dt

    if re.fullmatch(r"-?\d+", text or ""):
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def sample_context(kind: str) -> dict:
    """A context shaped like the real one, filled with the documented examples (one element per list)."""
    from .catalogue import VARIABLES

    root: dict = {}
    for variable in sorted(VARIABLES[kind], key=lambda v: v.name.count(".")):
        node = root
        parts = variable.name.split(".")
        for index, part in enumerate(parts):
            is_list = part.endswith("[]")
            key = part[:-2] if is_list else part
            last = index == len(parts) - 1
            if is_list:
                if not isinstance(node.get(key), list) or not node[key]:
                    node[key] = [{}]
                if not isinstance(node[key][0], dict):
                    node[key] = [{}]
                node = node[key][0]
                continue
            if last:
                if key not in node or not isinstance(node[key], (dict, list)):
                    node[key] = _example_value(variable.example)
            else:
                if not isinstance(node.get(key), dict):
                    node[key] = {}
                node = node[key]
    return root


def _trial_render(template, path: Path, kind: str) -> Optional[Problem]:
    """Fill the template with the documented examples, as generation would, to catch what only shows
    when it runs (adding text to a number, calling what is not a function…). The template object is
    the check's own, used up by this render."""
    from .engine import render_document_errors

    try:
        render_document_errors(template, sample_context(kind), path.name)
    except DocumentError as exc:
        return Problem("erreur", f"le modèle ne peut pas être rempli avec les valeurs d'exemple ({exc})")
    return None


_VERDICTS: dict[tuple, list[Problem]] = {}


def _checked(path: Path, kind: str) -> list[Problem]:
    """check_template, remembered while the file is unchanged (same size and modification time)."""
    try:
        stat = Path(path).stat()
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size, kind)
    except OSError:
        return check_template(path, kind)
    if key not in _VERDICTS:
        if len(_VERDICTS) > 32:
            _VERDICTS.clear()
        _VERDICTS[key] = check_template(path, kind)
    return _VERDICTS[key]


def ensure_template_usable(path: Path, kind: str) -> None:
    """Refuse, before anything is written, a template that « Vérifier le modèle » calls wrong.

    Generation and the check share this one verdict: every error the check reports stops the
    generation with the same words (the first error, and how many there are), and a template
    the check accepts is rendered."""
    errors = [p for p in _checked(path, kind) if p.severity == "erreur"]
    if not errors:
        return
    from .typography import plural

    first = errors[0]
    where = f" — {first.part}" + (f", paragraphe « {first.paragraph} »" if first.paragraph else "")
    count = f"{len(errors)} {plural(len(errors), 'erreur')}"
    raise DocumentError(
        f"Le modèle « {Path(path).name} » contient {count}"
        + (", dont la première" if len(errors) > 1 else "")
        + f" : {first.message}{where} ; rien n'a été produit. Vérifiez-le avec « Vérifier le modèle »."
    )


def guess_kind(path: Path) -> str:
    """The kind whose variables fit the template best (fewest errors); default names decide first."""
    from .catalogue import DEFAULT_TEMPLATES

    for kind, name in DEFAULT_TEMPLATES.items():
        if Path(path).name.lower() == name:
            return kind
    scores = []
    for index, kind in enumerate(KIND_LABELS):
        errors = sum(1 for p in check_template(path, kind) if p.severity == "erreur")
        scores.append((errors, index, kind))
    return min(scores)[2]
