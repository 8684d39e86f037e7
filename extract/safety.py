"""Checks a file must pass before any parser opens it.

Readers run third-party parsers (pdfminer, pdfium, python-docx/lxml) over files downloaded from
the web. These checks are cheap, bounded in time and memory, and decide what a reader cannot say
clearly: what the file really is (by content, whatever its suffix), whether it is empty,
oversized, truncated, password-protected, a zip bomb or carries an XML DTD. Every refusal is an
:class:`~core.errors.ExtractError` with one line a person can act on.

What python-docx does on its own (python-docx 1.2, ``docx/oxml/parser.py`` and
``docx/opc/oxml.py``): it parses every XML part with
``lxml.etree.XMLParser(remove_blank_text=True, resolve_entities=False)``. lxml's defaults add
``no_network=True``, ``load_dtd=False`` and ``huge_tree=False``, so external entities are not
fetched and internal ones are not expanded: XXE and the billion-laughs bomb are already defused
there. We refuse any DTD anyway, because a WordprocessingML part never needs one, another XML
library (or a later parser setting) may not be as careful, and a refusal is a clearer result than
a document whose text silently lost its entity references. python-docx also reads every zip
member whole into memory (``ZipFile.read``), which is why the zip-bomb check must come first.

``zipfile`` trusts the sizes in the central directory: it never returns more than a member's
declared ``file_size`` (``ZipExtFile._read1`` truncates, then the CRC check fails), so checking
declared sizes bounds what python-docx can inflate.

``check_file`` opens PDFium only for a PDF whose bytes mention ``/Encrypt``; run it in the
worker that will parse the file (see :mod:`rectrack.isolate`) all the same.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal
from xml.parsers import expat

from core.errors import ExtractError

Detected = Literal["pdf", "docx"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what a reader is allowed to open. Defaults leave a wide margin over real
    progress reports (a few MB, a few hundred zip members)."""

    max_bytes: int = 200 * MB  # file size on disk
    max_members: int = 2_000  # DOCX zip members
    max_uncompressed: int = 300 * MB  # DOCX: sum of declared uncompressed sizes
    max_ratio: float = 200.0  # DOCX: uncompressed/compressed, per member ...
    ratio_min_bytes: int = 1 * MB  # ... only for members inflating past this (tiny XML is fine)
    xml_prolog_bytes: int = 64 * 1024  # DOCX: how far into each XML part to look for a DTD
    pdf_header_window: int = 1024  # leading junk readers tolerate before %PDF-
    pdf_eof_window: int = 4096  # trailing junk tolerated after the last %%EOF
    sniff_bytes: int = 2048  # how much of the file's start is read to decide its type


DEFAULT_LIMITS = Limits()

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"

# Things people save under a .pdf/.docx name by mistake: (magic at offset 0, what to tell them).
_KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (_OLE2, "legacy Word .doc (OLE2) or encrypted Office file: save it as .docx"),
    (b"{\\rtf", "an RTF file, not a DOCX: save it as .docx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image, not a PDF or DOCX"),
    (b"\xff\xd8\xff", "a JPEG image, not a PDF or DOCX"),
    (b"GIF8", "a GIF image, not a PDF or DOCX"),
    (b"II*\x00", "a TIFF image, not a PDF or DOCX"),
    (b"MM\x00*", "a TIFF image, not a PDF or DOCX"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (_ZIP_EMPTY, "an empty ZIP archive, not a DOCX"),
)

_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)

# Zip archives that are not Word documents, told apart by a member only they have.
_OTHER_ZIPS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx), not a DOCX"),
    ("ppt/presentation.xml", "a PowerPoint file (.pptx), not a DOCX"),
    ("content.xml", "an OpenDocument file (.odt?): save it as .docx"),
)

_WORD_MAIN_TYPES = (
    b"wordprocessingml.document.main+xml",
    b"wordprocessingml.template.main+xml",
    b"ms-word.document.macroenabled.main+xml",
    b"ms-word.template.macroenabledtemplate.main+xml",
)


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> Detected:
    """The file's real format, or an ExtractError saying why no reader should open it."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(limits.sniff_bytes)
    except OSError as exc:
        raise ExtractError(f"cannot read the file ({exc.strerror or exc})", file=name) from exc
    if size == 0:
        raise ExtractError("empty file (0 bytes)", file=name)
    if size > limits.max_bytes:
        raise ExtractError(
            f"file too large ({size / MB:.0f} MB, limit {limits.max_bytes / MB:.0f} MB)",
            file=name,
        )
    try:
        kind = sniff(head, limits)
    except ExtractError as exc:
        raise _with_file(exc, name) from None
    if kind == "pdf":
        _check_pdf(path, size, limits)
    else:
        _check_docx(path, limits)
    return kind


def sniff(head: bytes, limits: Limits = DEFAULT_LIMITS) -> Detected:
    """Format from the file's first bytes, as real readers decide it (not from its suffix)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_ZIP):
        return "docx"  # confirmed (or refused) by _check_docx from the zip's member list
    for magic, message in _KNOWN_OTHERS:
        if head.startswith(magic):
            raise ExtractError(message)
    if b"%PDF-" in head[: limits.pdf_header_window + 5]:
        return "pdf"  # leading junk (a mail header, a BOM): pdfminer and pdfium skip it
    text = head.removeprefix(b"\xef\xbb\xbf")
    if _HTML.match(text) or (text.lstrip().startswith(b"<?xml") and b"<html" in text.lower()):
        raise ExtractError("an HTML page, not a PDF: download the PDF itself")
    raise ExtractError(f"not a PDF or DOCX (starts with {head[:16]!r})")


def _with_file(exc: ExtractError, name: str) -> ExtractError:
    exc.file = name
    return exc


# --- PDF ---------------------------------------------------------------------------------


def _check_pdf(path: Path, size: int, limits: Limits) -> None:
    with path.open("rb") as fh:
        fh.seek(max(0, size - limits.pdf_eof_window))
        tail = fh.read()
        if b"%%EOF" not in tail:
            raise ExtractError(
                "PDF is truncated (no %%EOF marker at its end): download it again", file=path.name
            )
        fh.seek(0)
        scan = _scan_pdf(fh)
    loop = _alias_loop(scan)
    if loop:
        chain = " -> ".join(f"{n} {g} R" for n, g in loop)
        raise ExtractError(
            f"corrupt PDF: objects refer to each other in a loop ({chain}); "
            "download it again or ask the publisher",
            file=path.name,
        )
    if scan.mentions_encrypt:
        _check_pdf_password(path)


_ALIAS_END = re.compile(rb"R\s*endobj")  # a literal start: found fast in binary data
_ALIAS = re.compile(
    rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\s*(\d{1,10})\s+(\d{1,5})\s+R\s*endobj\Z"
)
_ALIAS_WINDOW = 64  # bytes before "R endobj" in which an alias object's header must lie
_CARRY = 256  # bytes kept between chunks: longer than any match above

ObjId = tuple[int, int]


@dataclass
class _PdfScan:
    mentions_encrypt: bool = False
    aliases: dict[ObjId, tuple[ObjId, int]] = field(default_factory=dict)  # -> (target, at)
    last_header: dict[ObjId, int] = field(default_factory=dict)  # an alias's last definition


def _chunks(fh: BinaryIO, chunk: int = 4 * MB) -> Iterator[tuple[int, bytes]]:
    """(file offset, bytes) of overlapping chunks: each begins with the end of the one before
    (cut at a token boundary), so a match across a chunk border is found whole."""
    carry = b""
    start = 0
    while block := fh.read(chunk):
        data = carry + block
        yield start, data
        carry = data[-_CARRY:]
        space = re.search(rb"\s", carry)  # begin the carry on a token boundary: no match
        carry = carry[space.end() :] if space else b""  # may start inside a number
        start += len(data) - len(carry)


def _scan_pdf(fh: BinaryIO) -> _PdfScan:
    """Whether the file mentions ``/Encrypt``, and which objects (outside object streams)
    are nothing but a reference to another object, with where each is last defined. One
    bounded pass; a second one only for a file that has such objects (rare)."""
    scan = _PdfScan()
    for start, data in _chunks(fh):
        if not scan.mentions_encrypt and b"/Encrypt" in data:
            scan.mentions_encrypt = True
        for end in _ALIAS_END.finditer(data):
            at = max(0, end.start() - _ALIAS_WINDOW)
            m = _ALIAS.search(data, at, end.end())
            if m:
                scan.aliases[(int(m[1]), int(m[2]))] = ((int(m[3]), int(m[4])), start + m.start())
    if scan.aliases:
        numbers = b"|".join(str(n).encode() for n in {obj[0] for obj in scan.aliases})
        header = re.compile(rb"(?<![0-9])(" + numbers + rb")\s+(\d{1,5})\s+obj\b")
        fh.seek(0)
        for start, data in _chunks(fh):
            for m in header.finditer(data):
                obj = (int(m[1]), int(m[2]))
                scan.last_header[obj] = max(scan.last_header.get(obj, -1), start + m.start())
    return scan


def _alias_loop(scan: _PdfScan) -> list[ObjId]:
    """A chain of objects, each only a reference to the next, that comes back to itself.
    pdfminer resolves such a reference forever (``resolve1``: while the value is a reference,
    follow it), in the safety check and in the reader alike; PDFium gives up. Only each
    object's last definition counts (an incremental update may replace an earlier one)."""
    alias = {
        obj: target for obj, (target, at) in scan.aliases.items() if scan.last_header.get(obj) == at
    }
    done: set[ObjId] = set()
    for first in alias:
        path: list[ObjId] = []
        on_path: set[ObjId] = set()
        cur: ObjId | None = first
        while cur is not None and cur in alias and cur not in done:
            if cur in on_path:
                return [*path[path.index(cur) :], cur]
            path.append(cur)
            on_path.add(cur)
            cur = alias[cur]
        done.update(path)
    return []


def _check_pdf_password(path: Path) -> None:
    """Refuse a PDF that needs a password to open.

    A PDF encrypted with an empty user password (only an owner password restricting printing
    or copying, common in published reports) opens without asking, in PDFium as in pdfminer:
    it is accepted. PDFium decides here, not pdfminer: pdfminer's pure-Python resolver follows
    an object that refers to itself forever (a 400-byte file whose ``/Encrypt 4 0 R`` names
    ``4 0 obj 4 0 R endobj`` kept a worker busy until its timeout, before any reader ran),
    where PDFium, in C, bounds its walks. A PDF too broken for this check is left to the
    reader, which reports a password it cannot supply as well.
    """
    import pypdfium2 as pdfium

    try:
        pdfium.PdfDocument(str(path)).close()
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise ExtractError(
                "PDF is password-protected: ask the publisher for an unprotected copy",
                file=path.name,
            ) from None
        if "security" in reason:
            raise ExtractError(
                f"PDF uses an unsupported encryption ({exc}): save an unprotected copy",
                file=path.name,
            ) from None
        return  # not an encryption matter: the reader reports what is wrong


# --- DOCX --------------------------------------------------------------------------------


def _check_docx(path: Path, limits: Limits) -> None:
    name = path.name
    declared = _declared_member_count(path)
    if declared is not None and declared > limits.max_members:
        raise _too_many_members(declared, name, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_unique_names(infos, name)
            _check_is_word(zf, infos, name, limits)
            _check_sizes(infos, name, limits)
            for info in infos:
                if info.file_size and _looks_like_xml(zf, info):
                    _check_xml_prolog(zf, info, name, limits)
            _check_no_outside_content(zf, infos, name, limits)
    except zipfile.BadZipFile as exc:
        raise ExtractError(
            f"corrupt or truncated DOCX (zip unreadable: {exc}): download it again", file=name
        ) from exc
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        # zlib.error is not an OSError; it is caught in _check_xml_prolog
        raise ExtractError(f"corrupt DOCX (zip: {exc}): download it again", file=name) from exc


def _declared_member_count(path: Path) -> int | None:
    """Member count from the end-of-central-directory record, read before ``zipfile`` builds
    a ZipInfo per entry (millions of entries would cost seconds and gigabytes). None if the
    record is not found: ``zipfile`` then reports the damage."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        start = max(0, size - (22 + 0xFFFF))
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(_ZIP_EMPTY)
        if at < 0 or len(tail) < at + 22:
            return None
        (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
        locator = tail[at - 20 : at] if at >= 20 else b""
        if count != 0xFFFF or not locator.startswith(b"PK\x06\x07"):
            return count
        (zip64_at,) = struct.unpack("<Q", locator[8:16])
        fh.seek(zip64_at)
        record = fh.read(56)
        if len(record) < 40 or not record.startswith(b"PK\x06\x06"):
            return None
        return int(struct.unpack("<Q", record[32:40])[0])


def _too_many_members(count: int, name: str, limits: Limits) -> ExtractError:
    return ExtractError(
        f"DOCX has {count} zip members (limit {limits.max_members}): refused as a possible "
        "zip bomb",
        file=name,
    )


def _check_is_word(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits
) -> None:
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return
    if "[Content_Types].xml" in names:
        with zf.open("[Content_Types].xml") as fh:
            types = fh.read(limits.xml_prolog_bytes).lower()
        if any(t in types for t in _WORD_MAIN_TYPES):
            return
    for member, message in _OTHER_ZIPS:
        if member in names:
            raise ExtractError(message, file=name)
    raise ExtractError("a ZIP archive but not a Word document (no word/document.xml)", file=name)


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise _too_many_members(len(infos), name, limits)
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise ExtractError(
            f"DOCX would inflate to {total / MB:.0f} MB (limit "
            f"{limits.max_uncompressed / MB:.0f} MB): refused as a possible zip bomb",
            file=name,
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ExtractError("DOCX zip is encrypted: save an unprotected copy", file=name)
        if info.file_size > limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ExtractError(
                    f"DOCX member {info.filename} compresses {ratio:.0f}:1 (limit "
                    f"{limits.max_ratio:.0f}:1): refused as a possible zip bomb",
                    file=name,
                )


def _check_unique_names(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse two members under one name (OPC part names ignore ASCII case): a reader would
    read one of them and silently drop the other."""
    seen: set[str] = set()
    for info in infos:
        key = info.filename.lower()
        if key in seen:
            raise ExtractError(
                f"DOCX has two zip members named {info.filename}: refused (which one is the "
                "document?); open and save it again in Word",
                file=name,
            )
        seen.add(key)


# Relationships whose target holds document content that the reader does not read: an
# imported chunk (HTML, RTF, another DOCX: w:altChunk) or a master document's subdocument.
_OUTSIDE_CONTENT = (b"relationships/afchunk", b"relationships/subdocument")
_RELS_SCAN_BYTES = 4 * MB


def _check_no_outside_content(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits
) -> None:
    """Refuse a document whose text partly lives in parts python-docx does not read, rather
    than load it in part."""
    for info in infos:
        if not info.filename.lower().endswith(".rels"):
            continue
        with zf.open(info) as fh:
            rels = fh.read(_RELS_SCAN_BYTES).replace(b"\x00", b"").lower()
        if any(kind in rels for kind in _OUTSIDE_CONTENT):
            raise ExtractError(
                "DOCX keeps part of its text in embedded content (altChunk or subdocument) "
                "that is not read: open it in Word and save it as a plain .docx",
                file=name,
            )


_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _looks_like_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member is XML by its first bytes, whatever its name's case or suffix (an
    XML part may be named ``item1``, ``Document.XML`` or anything a content type allows)."""
    import zlib

    try:
        with zf.open(info) as fh:
            head = fh.read(64)
    except zlib.error:
        return True  # the prolog check reads it again and reports the damage
    text = head.lstrip(b" \t\r\n")
    return text.startswith(_XML_STARTS) or text.replace(b"\x00", b"").startswith(b"<")


def _dtd_refused(name: str) -> ExtractError:
    return ExtractError(
        "DOCX contains a DTD/entity declaration (possible XXE or entity bomb): refused", file=name
    )


class _PrologDone(Exception):
    """Raised from expat's handlers to stop reading a part once its root element starts."""

    def __init__(self, has_dtd: bool):
        self.has_dtd = has_dtd


def _check_xml_prolog(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits
) -> None:
    """Refuse a DTD (DOCTYPE or ENTITY) in the part's prolog, the only place one can be.

    Streams the part through expat in small chunks and stops at the root element's start tag,
    so at most ``xml_prolog_bytes`` are inflated however big the part is. expat handles
    comments, processing instructions and UTF-16 correctly, where a byte search would not.
    """
    import zlib

    parser = expat.ParserCreate()

    def on_doctype(*_: object) -> None:
        raise _PrologDone(has_dtd=True)

    def on_start(*_: object) -> None:
        raise _PrologDone(has_dtd=False)

    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_doctype
    parser.StartElementHandler = on_start
    seen = bytearray()
    try:
        with zf.open(info) as fh:
            while len(seen) < limits.xml_prolog_bytes:
                chunk = fh.read(4096)
                seen += chunk
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except _PrologDone as done:
        if done.has_dtd:
            raise _dtd_refused(name) from None
        return
    except expat.ExpatError:
        # Malformed for expat (say, UTF-16 bytes declared UTF-8), which libxml2 may still
        # read: fall back to a plain search, NULs dropped so UTF-16/32 text shows too.
        plain = bytes(seen).replace(b"\x00", b"").lower()
        if b"<!doctype" in plain or b"<!entity" in plain:
            raise _dtd_refused(name) from None
        return  # otherwise lxml fails on it too, and the reader reports it
    except zlib.error as exc:
        raise ExtractError(
            f"corrupt DOCX (zip member {info.filename}: {exc}): download it again", file=name
        ) from exc
    if len(seen) >= limits.xml_prolog_bytes:
        raise ExtractError(
            f"DOCX part {info.filename} has no root element in its first "
            f"{limits.xml_prolog_bytes // 1024} KB: refused",
            file=name,
        )
