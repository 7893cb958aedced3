"""What build_installer.spec leaves out of the one-folder application, and the Linux-only shrinking it does.

Used by the spec only (PyInstaller's build environment). Three tools, each safe to skip:

* ``drop_orphans``: after the spec drops Qt plugins (GTK theme, EGLFS, VNC…), the shared libraries that
  only those plugins needed (cairo, pango, gdk-pixbuf…) go too. Dependencies are read from the ELF
  ``DT_NEEDED`` entries (Linux); elsewhere nothing is pruned.
* ``strip_binaries``: pyenv and some wheels ship libraries with their symbol tables and debug
  information (libpython: 22 Mo, 5 Mo stripped). Only ELF files that still have a ``.symtab`` are
  stripped, into the build folder; a stripped copy whose segments no longer load (libraries rewritten
  by patchelf, such as numpy's OpenBLAS) is replaced by the original.
* ``trim_icu``: Qt's ICU data (libicudata, 32 Mo) holds every language's collation, names, calendars
  and converters. The application speaks French: the data is repackaged with the root, French and
  English locales, all the non-locale tables (normalisation, properties, time zones, break rules) and
  the Western European converters, then linked into a new libicudata (6 Mo) with the same soname and
  symbol. Needs a C compiler (``cc``); without one the full library stays.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import struct
import subprocess
from pathlib import Path, PurePath

_SHT_SYMTAB, _SHT_DYNAMIC = 2, 6
_DT_NEEDED, _DT_SONAME = 1, 14


def _elf(path: str) -> dict | None:
    """Section table and dynamic entries of a 64-bit little-endian ELF file; None for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return None
            shoff, shentsize, shnum, shstrndx = (struct.unpack_from("<Q", head, 0x28)[0],
                                                 *struct.unpack_from("<HHH", head, 0x3A))
            if not shoff or shentsize != 64:
                return None
            f.seek(shoff)
            table = f.read(shentsize * shnum)
            sections = [struct.unpack_from("<IIQQQQIIQQ", table, i * 64) for i in range(shnum)]

            def data(index: int) -> bytes:
                f.seek(sections[index][4])
                return f.read(sections[index][5])

            names = data(shstrndx)
            by_name = {names[s[0]:names.index(b"\0", s[0])].decode(): s for s in sections}
            needed: list[str] = []
            soname = None
            for s in sections:
                if s[1] != _SHT_DYNAMIC:
                    continue
                strings, dynamic = data(s[6]), data(sections.index(s))
                for offset in range(0, len(dynamic) - 15, 16):
                    tag, value = struct.unpack_from("<qQ", dynamic, offset)
                    if tag in (_DT_NEEDED, _DT_SONAME):
                        text = strings[value:strings.index(b"\0", value)].decode()
                        if tag == _DT_NEEDED:
                            needed.append(text)
                        else:
                            soname = text
            return {"sections": by_name, "symtab": any(s[1] == _SHT_SYMTAB for s in sections),
                    "needed": needed, "soname": soname}
    except (OSError, ValueError, struct.error, IndexError):
        return None


def _loadable(path: Path) -> bool:
    """Whether every PT_LOAD segment keeps its offset and address congruent modulo its alignment: strip
    breaks that on libraries rewritten by patchelf (auditwheel's *.libs), which then refuse to load."""
    with open(path, "rb") as f:
        head = f.read(64)
        phoff, (phentsize, phnum) = struct.unpack_from("<Q", head, 0x20)[0], struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, _filesz, _memsz, align = struct.unpack_from("<IIQQQQQQ", table, i * phentsize)
        if kind == 1 and align > 1 and offset % align != vaddr % align:
            return False
    return True


def drop_orphans(binaries: list, dropped: set[str]) -> tuple[list, list[str]]:
    """binaries without the entries in dropped and the libraries only they (transitively) needed."""
    needs = {}
    for dest, src, _kind in binaries:
        info = _elf(src)
        needs[dest] = set(info["needed"]) if info else set()
    dropped = set(dropped)
    while True:
        kept = [entry for entry in binaries if entry[0] not in dropped]
        wanted = set().union(*(needs[dest] for dest, _src, _kind in kept))
        freed = set().union(*(needs[dest] for dest in dropped if dest in needs))
        orphans = {dest for dest, _src, kind in kept
                   if kind == "BINARY" and PurePath(dest).name in freed and PurePath(dest).name not in wanted}
        if not orphans:
            return kept, sorted(dropped)
        dropped |= orphans


def without_dangling_links(binaries: list, datas: list) -> tuple[list, list]:
    """binaries and datas without the links PyInstaller made to files that are no longer collected
    (libQt6Network.so.6 -> PySide6/Qt/lib/libQt6Network.so.6: it puts such links among the datas)."""
    present = {dest.replace("\\", "/") for dest, _src, kind in binaries + datas if kind != "SYMLINK"}

    def kept(entries: list) -> list:
        return [(dest, src, kind) for dest, src, kind in entries if kind != "SYMLINK"
                or posixpath.normpath(posixpath.join(posixpath.dirname(dest.replace("\\", "/")), src)) in present]

    return kept(binaries), kept(datas)


def _cached(work: Path, src: str, tag: str) -> Path:
    """A per-source output path in the build folder: valid while the source keeps its size and date and
    this file (the recipe) is unchanged."""
    stat = Path(src).stat()
    recipe = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()
    key = hashlib.sha1(f"{src}|{stat.st_size}|{stat.st_mtime_ns}|{tag}|{recipe}".encode()).hexdigest()[:16]
    return work / key / PurePath(src).name


def strip_binaries(binaries: list, work: Path) -> tuple[list, int]:
    """binaries with every ELF file that still has a symbol table replaced by a stripped copy."""
    strip = shutil.which("strip")
    if not strip:
        return binaries, 0
    out, count = [], 0
    for dest, src, kind in binaries:
        info = _elf(src) if kind in ("BINARY", "EXTENSION") else None
        if info and info["symtab"]:
            target = _cached(work, src, "strip")
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                done = subprocess.run([strip, "--strip-unneeded", "-o", str(target), src], capture_output=True)
                if done.returncode != 0 or not _loadable(target):
                    shutil.copyfile(src, target)  # kept whole: the stripped copy would not load
            count += target.stat().st_size < Path(src).stat().st_size
            src = str(target)
        out.append((dest, src, kind))
    return out, count


# The ICU data the French application keeps; everything else in libicudata is other languages.
ICU_LANGUAGES = ("fr", "en")  # with their regional variants (fr_CA, en_GB…) and root, the fallback of all
ICU_CONVERTERS = {  # besides UTF-8/16/32, ASCII and Latin-1, which ICU handles without data
    "ibm-5348_P100-1997.cnv",  # windows-1252
    "ibm-1252_P100-2000.cnv",  # ibm-1252
    "ibm-923_P100-1998.cnv",  # ISO-8859-15
    "ibm-850_P100-1995.cnv",  # DOS Latin-1
    "ibm-437_P100-1995.cnv",  # DOS
    "macos-0_2-10.2.cnv",  # Mac Roman
}
_LOCALE = re.compile(r"^([a-z]{2,3})(_[A-Za-z0-9]+)*$")


def keep_icu_item(name: str) -> bool:
    """Whether an item of ICU's common data ("icudt73l/coll/fr.res") stays in the French build."""
    parts = name.split("/")
    file = parts[-1]
    if len(parts) > 2 and parts[1] == "translit":
        return False  # transliterators: Qt never asks for them
    if file.endswith(".dict"):
        return False  # word dictionaries for Chinese, Japanese, Thai, Khmer, Lao, Burmese segmentation
    if file.endswith(".cnv"):
        return file in ICU_CONVERTERS
    stem = file.rsplit(".", 1)[0]
    match = _LOCALE.match(stem)
    if file.endswith(".res") and match and stem not in ("root", "res_index"):
        return match.group(1) in ICU_LANGUAGES
    return True


def repackage_icu(blob: bytes, keep=keep_icu_item) -> tuple[bytes, int, int]:
    """ICU common data ("CmnD" package) with only the items keep() accepts; also the counts before/after."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("pas un paquet de données ICU")
    order = ">" if blob[8] else "<"
    toc = blob[header_size:]
    count = struct.unpack_from(order + "I", toc, 0)[0]
    entries = [struct.unpack_from(order + "II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = toc[name_offset:toc.index(b"\0", name_offset)]
        if keep(name.decode()):
            items.append((name, toc[data_offset:end]))
    names = b"".join(name + b"\0" for name, _data in items)
    position = 4 + 8 * len(items) + len(names)
    table, body = [], bytearray()
    names_at = 4 + 8 * len(items)
    for name, data in items:
        padding = -(header_size + position) % 16  # ICU reads its tables in place: 16-byte aligned
        body += b"\0" * padding
        position += padding
        table.append((names_at, position))
        names_at += len(name) + 1
        body += data
        position += len(data)
    out = bytearray(blob[:header_size])
    out += struct.pack(order + "I", len(items))
    for name_offset, data_offset in table:
        out += struct.pack(order + "II", name_offset, data_offset)
    return bytes(out + names + body), count, len(items)


def trim_icu(binaries: list, work: Path) -> tuple[list, str]:
    """binaries with libicudata replaced by a French-only build of it; the second value says what happened."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    index = next((i for i, (dest, _src, _kind) in enumerate(binaries)
                  if re.match(r"libicudata\.so\.\d+$", PurePath(dest).name)), None)
    if index is None:
        return binaries, "pas de libicudata"
    if not compiler:
        return binaries, "pas de compilateur C : libicudata complète"
    dest, src, kind = binaries[index]
    info = _elf(src)
    section = info and info["sections"].get(".rodata")
    if not info or not section or not info["soname"]:
        return binaries, "libicudata illisible : gardée complète"
    with open(src, "rb") as f:
        f.seek(section[4])
        blob = f.read(section[5])
    symbol = "icudt" + re.search(r"\d+", info["soname"]).group(0) + "_dat"
    target = _cached(work, src, "icu")
    if not (target.parent / "items.txt").exists():  # written last: an interrupted build is redone
        try:
            _build_icu_library(blob, target, symbol, info["soname"], compiler)
        except (OSError, ValueError, subprocess.CalledProcessError) as exc:
            shutil.rmtree(target.parent, ignore_errors=True)
            return binaries, f"libicudata non réduite ({exc}) : gardée complète"
    before, after = (target.parent / "items.txt").read_text().split()
    binaries = list(binaries)
    binaries[index] = (dest, str(target), kind)
    return binaries, (f"libicudata : {after} éléments sur {before} "
                      f"({Path(src).stat().st_size / 1e6:.1f} → {target.stat().st_size / 1e6:.1f} Mo)")


def _build_icu_library(blob: bytes, target: Path, symbol: str, soname: str, compiler: str) -> None:
    """The French-only data linked into a shared library exporting the same symbol under the same soname."""
    data, before, after = repackage_icu(blob)
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parent / "icudata.dat").write_bytes(data)
    (target.parent / "icudata.S").write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n'
        f'\t.incbin "icudata.dat"\n\t.size {symbol}, .-{symbol}\n\t.section .note.GNU-stack,"",@progbits\n')
    subprocess.run([compiler, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{soname}", "-o",
                    target.name, "icudata.S"], check=True, cwd=target.parent, capture_output=True)
    (target.parent / "icudata.dat").unlink()
    (target.parent / "items.txt").write_text(f"{before} {after}\n")
