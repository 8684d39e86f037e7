"""Generate the bad-input corpus: files a download folder really ends up holding.

Usage: ``python tests/badinputs/make_corpus.py OUT_DIR`` (the tests call :func:`build` into a
``tmp_path``; nothing generated is committed: the zip bomb alone inflates to 1 GB).

Each file comes with a :class:`Case` saying what must happen to it:

- ``check``: :func:`extract.safety.check_file` refuses it, its message holding ``fragment``;
- ``reader``: ``check_file`` lets it through as ``format`` and the reader raises ExtractError
  (holding ``fragment`` if one is given);
- ``refused``: one of the two raises ExtractError (which one is not the point);
- ``survive``: ``check_file`` accepts it; the reader returns a Document or raises ExtractError,
  nothing else;
- ``ok``: a good file that must load (``expect`` names the extra check the tests make).
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parents[2]
SOURCE_PDF = REPO / "corpus" / "ITU_C22-61_JIU_system-wide_reports.pdf"
SOURCE_DOCX = REPO / "corpus" / "ITU_C22-61_JIU_system-wide_reports.docx"

Outcome = Literal["check", "reader", "refused", "survive", "ok"]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    outcome: Outcome
    fragment: str = ""  # expected in the error message, case-insensitive
    format: str | None = None  # what check_file returns when it lets the file through
    expect: str = ""  # for "ok": the extra check the tests make
    note: str = ""


CASES: tuple[Case, ...] = (
    Case("empty.pdf", "empty", "check", "empty file (0 bytes)"),
    Case("empty.docx", "empty", "check", "empty file (0 bytes)"),
    Case("random.pdf", "random bytes", "check", "not a PDF or DOCX"),
    Case("random.docx", "random bytes", "check", "not a PDF or DOCX"),
    Case(
        "random_pdf_header.pdf",
        "random bytes",
        "check",
        "truncated",
        note="%PDF- header then noise, no %%EOF",
    ),
    Case(
        "random_pdf_header_eof.pdf",
        "random bytes",
        "reader",
        "cannot open PDF",
        "pdf",
        note="%PDF- header, noise, %%EOF: only a parser can tell",
    ),
    Case("truncated.pdf", "truncated", "check", "truncated", note="first half of a real PDF"),
    Case(
        "truncated.docx",
        "truncated",
        "check",
        "corrupt or truncated DOCX",
        note="first half of a real DOCX: no central directory",
    ),
    Case(
        "corrupt_member.docx",
        "truncated",
        "refused",
        "",
        note="bytes flipped inside word/document.xml's deflate stream",
    ),
    Case(
        "encrypted.pdf",
        "encrypted",
        "check",
        "password-protected",
        note="reportlab, user password 'secret'",
    ),
    Case(
        "owner_password_only.pdf",
        "encrypted",
        "ok",
        format="pdf",
        expect="text",
        note="encrypted with an empty user password: opens without asking, so accepted",
    ),
    Case(
        "image_only.pdf",
        "no text layer",
        "reader",
        "no text layer",
        "pdf",
        note="shapes and an image, no text",
    ),
    Case(
        "zip_bomb.docx",
        "zip bomb",
        "check",
        "zip bomb",
        note="a real DOCX plus a member of 1 GB of zeros deflated to ~1 MB",
    ),
    Case("many_members.docx", "zip bomb", "check", "zip members", note="2,001 empty members"),
    Case(
        "xxe.docx",
        "xml dtd",
        "check",
        "DTD/entity declaration",
        note="external entity file:///etc/passwd in word/document.xml",
    ),
    Case(
        "billion_laughs.docx",
        "xml dtd",
        "check",
        "DTD/entity declaration",
        note="nested entities in word/document.xml",
    ),
    Case(
        "dtd_in_styles.docx",
        "xml dtd",
        "check",
        "DTD/entity declaration",
        note="DOCTYPE in word/styles.xml, not the main part",
    ),
    Case(
        "dtd_after_comment.docx",
        "xml dtd",
        "check",
        "DTD/entity declaration",
        note="a 20 KB comment before the DOCTYPE, to defeat a naive look at the first bytes",
    ),
    Case("html.pdf", "wrong type", "check", "HTML page", note="a 404 page saved as .pdf"),
    Case(
        "ole.docx",
        "wrong type",
        "check",
        "legacy Word .doc (OLE2)",
        note="OLE2 magic and padding, named .docx",
    ),
    Case("rtf.docx", "wrong type", "check", "RTF"),
    Case("png.pdf", "wrong type", "check", "PNG image"),
    Case(
        "workbook.docx",
        "wrong type",
        "check",
        "Excel workbook",
        note="a zip with xl/workbook.xml, named .docx",
    ),
    Case(
        "leading_junk.pdf",
        "tolerated",
        "survive",
        format="pdf",
        note="300 bytes before %PDF-: readers tolerate up to 1 KB",
    ),
    Case(
        "sdt_tables.docx",
        "good",
        "ok",
        format="docx",
        expect="sdt_tables",
        note="GOOD file: tables inside content controls (w:sdt); both tables must be read",
    ),
)

# The cell texts of sdt_tables.docx, checked by the tests.
SDT_TABLES = (
    (("Recommendation", "Acceptance", "Status"), ("Recommendation 1", "Accepted", "Implemented")),
    (("Recommendation", "Acceptance", "Status"), ("Recommendation 2", "Rejected", "Not started")),
)


def build(folder: Path) -> list[Case]:
    """Write every case's file into ``folder``; return the cases."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        _MAKERS[case.name](folder / case.name)
    return list(CASES)


# --- makers ------------------------------------------------------------------------------


def _noise(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _empty(out: Path) -> None:
    out.write_bytes(b"")


def _random(out: Path) -> None:
    out.write_bytes(b"\x00RND" + _noise(50_000, seed=len(out.name)))


def _pdf_header_noise(out: Path) -> None:
    out.write_bytes(b"%PDF-1.7\n" + _noise(50_000, seed=1))


def _pdf_header_noise_eof(out: Path) -> None:
    out.write_bytes(b"%PDF-1.7\n" + _noise(50_000, seed=2) + b"\nstartxref\n123\n%%EOF\n")


def _half(src: Path) -> Callable[[Path], None]:
    def make(out: Path) -> None:
        data = src.read_bytes()
        out.write_bytes(data[: len(data) // 2])

    return make


def _corrupt_member(out: Path) -> None:
    data = bytearray(SOURCE_DOCX.read_bytes())
    with zipfile.ZipFile(SOURCE_DOCX) as zf:
        info = zf.getinfo("word/document.xml")
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 64, start + info.compress_size - 64, 97):
        data[i] ^= 0x5A
    out.write_bytes(bytes(data))


def _reportlab_pdf(out: Path, encrypt: object = None, text: bool = True) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(out), encrypt=encrypt)
    if text:
        c.drawString(72, 720, "Recommendation 1: accepted, implemented.")
    else:
        from PIL import Image

        c.rect(72, 600, 300, 100, fill=1)
        c.line(72, 580, 372, 580)
        img = Image.new("RGB", (120, 40), (200, 30, 30))
        c.drawImage(ImageReader(img), 72, 400, width=240, height=80)
    c.showPage()
    c.save()


def _encrypted(out: Path) -> None:
    _reportlab_pdf(out, encrypt="secret")


def _owner_only(out: Path) -> None:
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canCopy=0, canModify=0)
    _reportlab_pdf(out, encrypt=enc)


def _image_only(out: Path) -> None:
    _reportlab_pdf(out, text=False)


def _rewrite_docx(
    out: Path, edits: dict[str, Callable[[bytes], bytes]], extra: Iterable[tuple[str, bytes]] = ()
) -> None:
    """Copy the source DOCX with some members transformed and ``extra`` (name, bytes) added."""
    with (
        zipfile.ZipFile(SOURCE_DOCX) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            dst.writestr(info.filename, data)
        for name, data in extra:
            dst.writestr(name, data)


def _insert_dtd(dtd: bytes, entity_ref: bytes = b"") -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        decl = re.match(rb"<\?xml[^>]*\?>\s*", xml)
        at = decl.end() if decl else 0
        xml = xml[:at] + dtd + b"\n" + xml[at:]
        if entity_ref:
            xml = re.sub(rb"(<w:t(?: [^>]*)?>)", rb"\1" + entity_ref, xml, count=1)
        return xml

    return edit


_XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = (
    b'<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def _xxe(out: Path) -> None:
    _rewrite_docx(out, {"word/document.xml": _insert_dtd(_XXE, b"&xxe;")})


def _laughs(out: Path) -> None:
    _rewrite_docx(out, {"word/document.xml": _insert_dtd(_LAUGHS, b"&lol9;")})


def _dtd_in_styles(out: Path) -> None:
    _rewrite_docx(out, {"word/styles.xml": _insert_dtd(b"<!DOCTYPE w:styles [<!ENTITY a 'b'>]>")})


def _dtd_after_comment(out: Path) -> None:
    comment = b"<!--" + b" padding" * 2_500 + b"-->\n"
    _rewrite_docx(out, {"word/document.xml": _insert_dtd(comment + _XXE, b"&xxe;")})


def _many_members(out: Path) -> None:
    _rewrite_docx(out, {}, extra=[(f"customXml/extra{i}.bin", b"") for i in range(2_001)])


def _zip_bomb(out: Path, gigabytes: int = 1) -> None:
    """A real DOCX plus ``word/media/bomb.bin``: ``gigabytes`` GB of zeros, written raw.

    Deflating 1 GB takes seconds; after a full flush, deflate's output for the same input is
    the same block, so one 1 MB block is compressed once and repeated. The CRC is honest.
    """
    chunk = bytes(1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.flush(zlib.Z_FINISH)
    n_chunks = gigabytes * 1024
    crc = 0
    for _ in range(n_chunks):
        crc = zlib.crc32(chunk, crc)
    size = n_chunks * len(chunk)
    compressed = len(block) * n_chunks + len(tail)

    buf = io.BytesIO()
    with (
        zipfile.ZipFile(SOURCE_DOCX) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    entries = _split_zip(buf.getvalue())
    name = b"word/media/bomb.bin"
    with out.open("wb") as fh:
        central = []
        for local, cdir in entries:
            offset = fh.tell()
            fh.write(local)
            central.append(cdir[:42] + struct.pack("<I", offset) + cdir[46:])
        offset = fh.tell()
        fh.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, compressed, size, len(name), 0
            )
            + name
        )
        for _ in range(n_chunks):
            fh.write(block)
        fh.write(tail)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                compressed,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
        cd_start = fh.tell()
        for entry in central:
            fh.write(entry)
        cd_size = fh.tell() - cd_start
        fh.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size, cd_start, 0
            )
        )


def _split_zip(data: bytes) -> list[tuple[bytes, bytes]]:
    """(local header + data, central directory record) per member of a plain, small zip."""
    eocd = data.rfind(b"PK\x05\x06")
    count, _cd_size, cd_start = struct.unpack("<HII", data[eocd + 10 : eocd + 20])
    out = []
    pos = cd_start
    bounds: list[int] = []
    records: list[bytes] = []
    for _ in range(count):
        n, m, k = struct.unpack("<HHH", data[pos + 28 : pos + 34])
        end = pos + 46 + n + m + k
        records.append(data[pos:end])
        bounds.append(struct.unpack("<I", data[pos + 42 : pos + 46])[0])
        pos = end
    bounds.append(cd_start)
    for i, record in enumerate(records):
        out.append((data[bounds[i] : bounds[i + 1]], record))
    return out


def _html(out: Path) -> None:
    out.write_bytes(
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
        b"<body><h1>Not Found</h1><p>The requested document was not found.</p></body></html>\n"
    )


def _ole(out: Path) -> None:
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096 - 8))


def _rtf(out: Path) -> None:
    out.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Recommendation 1\\par }")


def _png(out: Path) -> None:
    out.write_bytes(b"\x89PNG\r\n\x1a\n" + _noise(2_000, seed=3))


def _workbook(out: Path) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')


def _leading_junk(out: Path) -> None:
    out.write_bytes(b"X-Junk: mail header\r\n" * 14 + b"\r\n" + SOURCE_PDF.read_bytes())


def _sdt_tables(out: Path) -> None:
    """Two tables, each wrapped in a block-level content control (w:sdt); one nested twice."""
    import docx
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    document = docx.Document()
    document.add_paragraph("Status of implementation of recommendations")
    for nesting, rows in zip((1, 2), SDT_TABLES, strict=True):
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, texts in enumerate(rows):
            for c, text in enumerate(texts):
                table.cell(r, c).text = text
        tbl = table._tbl
        parent, index = tbl.getparent(), tbl.getparent().index(tbl)
        inner = tbl
        for _ in range(nesting):
            sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
            props = OxmlElement("w:sdtPr")
            alias = OxmlElement("w:alias")
            alias.set(qn("w:val"), "Recommendations")
            props.append(alias)
            sdt.append(props)
            sdt.append(content)
            content.append(inner)
            inner = sdt
        parent.insert(index, inner)
        document.add_paragraph("")
    document.save(str(out))


_MAKERS: dict[str, Callable[[Path], None]] = {
    "empty.pdf": _empty,
    "empty.docx": _empty,
    "random.pdf": _random,
    "random.docx": _random,
    "random_pdf_header.pdf": _pdf_header_noise,
    "random_pdf_header_eof.pdf": _pdf_header_noise_eof,
    "truncated.pdf": _half(SOURCE_PDF),
    "truncated.docx": _half(SOURCE_DOCX),
    "corrupt_member.docx": _corrupt_member,
    "encrypted.pdf": _encrypted,
    "owner_password_only.pdf": _owner_only,
    "image_only.pdf": _image_only,
    "zip_bomb.docx": _zip_bomb,
    "many_members.docx": _many_members,
    "xxe.docx": _xxe,
    "billion_laughs.docx": _laughs,
    "dtd_in_styles.docx": _dtd_in_styles,
    "dtd_after_comment.docx": _dtd_after_comment,
    "html.pdf": _html,
    "ole.docx": _ole,
    "rtf.docx": _rtf,
    "png.pdf": _png,
    "workbook.docx": _workbook,
    "leading_junk.pdf": _leading_junk,
    "sdt_tables.docx": _sdt_tables,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    for case in build(Path(argv[0])):
        print(f"{case.name:28} {case.outcome:8} {case.fragment or case.expect}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
