"""French typography for generated documents, and real plurals.

One filter, :func:`french_typography`, is applied to every text of every generated document — the
template's own words and the data poured into it — by :func:`typeset_docx_xml` after rendering:

* typographic apostrophe: ``l'occasion`` → ``l’occasion``;
* no-break spaces: a space typed before « : » becomes a no-break space (U+00A0), before « ; ! ? » a
  narrow no-break space (U+202F), and the spaces inside « » become no-break spaces;
* numbers kept with their unit or with what follows them: ``10 h``, ``14 h 30``, ``40 €``,
  ``5,5 %``, ``12 km``, ``1 200`` (thousands), ``p. 12``, ``n° 3``.

Every change replaces one character by one character: nothing is added or removed, so the text
stays as the coordinator typed it and the replacement can be written back run by run in the Word
XML (a word may be spread over several runs). Web addresses, e-mail addresses and times written
``14:30`` are left untouched, and so are field codes (``w:instrText``), which are not text.

No library is used: the maintained French-typography packages (french-typo, polytypo) insert or
remove characters, turn straight quotes and dashes into other signs (the text would no longer be
"as typed"), work on plain text or HTML rather than on Word runs, and polytypo pulls in
tree-sitter binaries; the length-preserving rules below are a few regular expressions.
"""

from __future__ import annotations

import re
from typing import Optional

NBSP = "\u00a0"
NNBSP = "\u202f"
APOSTROPHE = "\u2019"

_LETTER = r"[^\W\d_]"
# Web and e-mail addresses: never touched (an apostrophe or a "?" in them is part of the address).
_PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s«»<>\"]+"
    r"|www\.[^\s«»<>\"]+"
    r"|(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_APOSTROPHE = re.compile(rf"(?<={_LETTER})'(?={_LETTER})")
# A typed space before a double punctuation mark (the mark ends a word or the text).
_BEFORE_COLON = re.compile(r" (?=:(?:\s|$|[»)\]]))")
_BEFORE_OTHER = re.compile(r" (?=[;!?](?:\s|$|[»)\]!?;]))")
_AFTER_OPENING = re.compile(r"(?<=«) ")
_BEFORE_CLOSING = re.compile(r" (?=»)")
_UNITS = (
    r"€|k€|M€|%|‰|°C?|h|min|s|j|km|m|cm|mm|m²|m2|m³|kg|g|t|l|L|ml|cl|kW|kWh|Wh|Mo|Go|ko|"
    r"ans?|mois|jours?|heures?|minutes?|semaines?|personnes|visiteurs|boutiques|exemplaires|affiches"
)
_NUMBER_UNIT = re.compile(rf"(?<=\d) (?=(?:{_UNITS})(?![\w²³'’]))")
_THOUSANDS = re.compile(r"(?<=\b\d) (?=\d{3}\b)|(?<=\b\d\d) (?=\d{3}\b)|(?<=\b\d\d\d) (?=\d{3}\b)")
_HOUR_MINUTES = re.compile(r"(?<=\d h) (?=\d{2}\b)")
_ABBREVIATION_NUMBER = re.compile(r"(?<=\bp\.) (?=\d)|(?<=\bpp\.) (?=\d)|(?<=n°) (?=\d)|(?<=\bN°) (?=\d)")

_DIGIT = re.compile(r"\d ")
# (pattern, replacement, quick test: the pattern cannot match a text that fails it)
_RULES: tuple = (
    (_APOSTROPHE, APOSTROPHE, lambda t: "'" in t),
    (_BEFORE_COLON, NBSP, lambda t: " :" in t),
    (_BEFORE_OTHER, NNBSP, lambda t: " ;" in t or " !" in t or " ?" in t),
    (_AFTER_OPENING, NBSP, lambda t: "« " in t),
    (_BEFORE_CLOSING, NBSP, lambda t: " »" in t),
    (_NUMBER_UNIT, NBSP, lambda t: _DIGIT.search(t) is not None),
    (_THOUSANDS, NNBSP, lambda t: _DIGIT.search(t) is not None),
    (_HOUR_MINUTES, NBSP, lambda t: " h " in t),
    (_ABBREVIATION_NUMBER, NBSP, lambda t: "p. " in t or "° " in t),
)
# Every text one of the rules could change contains one of these: the others (most of a document's
# paragraphs) are returned at once, without trying each rule.
_MAY_CHANGE = re.compile(r"'|[ ](?=[:;!?»])|« |\d |p\. |° ")


def french_typography(text: str) -> str:
    """The text with French typography applied; same length, one character for one character."""
    if not text or _MAY_CHANGE.search(text) is None:
        return text
    changes: dict[int, str] = {}
    for pattern, replacement, may_match in _RULES:
        if may_match(text):
            for match in pattern.finditer(text):
                changes[match.start()] = replacement
    if not changes:
        return text
    if "@" not in text and "/" not in text and "www." not in text.lower() and ":" not in text:
        protected = ()
    else:
        protected = _PROTECTED.finditer(text)
    for match in protected:
        for index in range(match.start(), match.end()):
            changes.pop(index, None)
    if not changes:
        return text
    chars = list(text)
    for index, replacement in changes.items():
        chars[index] = replacement
    return "".join(chars)


def plural(count: Optional[int], singular: str, plural: Optional[str] = None) -> str:
    """The word agreeing with count, French rule: 0 and 1 take the singular (« 1 boutique »,
    « 0 boutique », « 17 boutiques »); plural defaults to singular + "s"."""
    try:
        number = abs(int(count)) if count is not None else 0
    except (TypeError, ValueError):
        number = 0
    if number < 2:
        return singular
    return plural if plural is not None else singular + "s"


def counted(count: Optional[int], singular: str, plural_form: Optional[str] = None) -> str:
    """« 17 boutiques », « 1 boutique »: the number, a no-break space and the agreeing word."""
    from ..formatting import integer

    try:
        shown = integer(int(count)) if count is not None else "0"
    except (TypeError, ValueError):
        shown = str(count)
    return f"{french_typography(shown)}{NBSP}{plural(count, singular, plural_form)}"


# --- Word XML -----------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_T = f"{{{W_NS}}}t"
_W_P = f"{{{W_NS}}}p"
_W_TXBX = f"{{{W_NS}}}txbxContent"
_BREAKS = {f"{{{W_NS}}}{name}" for name in ("tab", "br", "cr")}


def _paragraph_texts(root) -> list[list]:
    """The w:t elements of each paragraph, in order; a tab or line break starts a new group.

    A paragraph inside another one (a text box) is its own paragraph, not part of the outer one."""
    if next(root.iter(_W_TXBX), None) is not None:
        return _nested_paragraph_texts(root)
    # No text box, so no paragraph inside another: one pass in document order, each w:p starting a new group.
    result: list[list] = []
    group: Optional[list] = None
    for element in root.iter(_W_P, _W_T, *_BREAKS):
        tag = element.tag
        if tag == _W_T:
            if group is not None:
                group.append(element)
        elif tag == _W_P:
            if group:
                result.append(group)
            group = []
        elif group:
            result.append(group)
            group = []
    if group:
        result.append(group)
    return result


def _nested_paragraph_texts(root) -> list[list]:
    """_paragraph_texts for parts with text boxes: the paragraphs being read form a stack, and the text of a
    text box's paragraph goes to it, not to the paragraph that holds the box."""
    from lxml import etree

    result: list[list] = []
    stack: list[list] = []
    for event, element in etree.iterwalk(root, events=("start", "end"), tag=(_W_P, _W_T, *_BREAKS)):
        tag = element.tag
        if tag == _W_P:
            if event == "start":
                stack.append([])
            else:
                group = stack.pop()
                if group:
                    result.append(group)
        elif event != "start" or not stack:
            continue
        elif tag == _W_T:
            stack[-1].append(element)
        elif stack[-1]:
            result.append(stack[-1])
            stack[-1] = []
    return result


def typeset_tree(root) -> int:
    """Apply :func:`french_typography` to the text of an lxml Word part; the number of changed characters."""
    changed = 0
    done: dict[str, str] = {}  # the same text recurs (hours, labels, communes): typeset once
    for texts in _paragraph_texts(root):
        whole = texts[0].text or "" if len(texts) == 1 else "".join([t.text or "" for t in texts])
        result = done.get(whole)
        if result is None:
            result = done[whole] = french_typography(whole)
        if result == whole:
            continue
        position = 0
        for t in texts:
            length = len(t.text or "")
            new = result[position:position + length]
            if new != (t.text or ""):
                changed += sum(1 for a, b in zip(new, t.text or "") if a != b)
                t.text = new
            position += length
    return changed


def typeset_docx_xml(xml: bytes) -> bytes:
    """A Word XML part (document, header, footer, notes) with French typography applied to its text."""
    from lxml import etree

    root = etree.fromstring(xml)
    if typeset_tree(root) == 0:
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
