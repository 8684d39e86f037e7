"""Pre-parse checks: every file of the generated bad-input corpus gets its expected outcome."""

from __future__ import annotations

import contextlib
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.errors import ExtractError, RectrackError
from extract.safety import DEFAULT_LIMITS, Limits, check_file, sniff
from tests.badinputs import make_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
TIME_LIMIT_S = 2.0




@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("badinputs")
    make_corpus.build(folder)
    return folder


def reader(fmt: str) -> Callable[[Path], object]:
    """The reader for ``fmt``, or skip while it is not written yet."""
    module = pytest.importorskip(f"extract.{fmt}", reason=f"extract.{fmt} not importable yet")
    convert = getattr(module, "convert", None)
    if convert is None:
        pytest.skip(f"extract.{fmt}.convert not written yet")
    return convert


def _one_line(exc: RectrackError) -> None:
    assert exc.message.strip() and "\n" not in str(exc)


@pytest.mark.parametrize("case", make_corpus.CASES, ids=lambda c: c.name)
def test_bad_input_gets_its_expected_outcome(bad_dir: Path, case: Any) -> None:
    path = bad_dir / case.name
    start = time.perf_counter()
    try:
        fmt = check_file(path)
    except ExtractError as exc:
        assert case.outcome in ("check", "refused"), f"check_file refused it: {exc}"
        assert case.fragment.lower() in exc.message.lower()
        assert exc.file == case.name
        _one_line(exc)
    else:
        assert case.outcome != "check", f"check_file let {case.name} through as {fmt}"
        if case.format:
            assert fmt == case.format
        convert = reader(fmt)
        if case.outcome in ("reader", "refused"):
            with pytest.raises(ExtractError) as info:
                convert(path)
            assert case.fragment.lower() in info.value.message.lower()
            _one_line(info.value)
        elif case.outcome == "survive":
            try:
                convert(path)
            except ExtractError as exc:
                _one_line(exc)
        else:
            document = convert(path)
            _check_good(case, document)
    assert time.perf_counter() - start < TIME_LIMIT_S


def _check_good(case: Any, document: object) -> None:
    from core.model import Document

    assert isinstance(document, Document)
    if case.expect == "text":
        assert "Recommendation 1" in document.text()
    elif case.expect == "sdt_tables":
        # Tables inside content controls (w:sdt) must not be skipped by the DOCX reader.
        got = [tuple(tuple(c.text for c in row.cells) for row in t.rows) for t in document.tables]
        assert got == [tuple(rows) for rows in make_corpus.SDT_TABLES]


def test_the_corpus_covers_every_outcome_and_file_maker() -> None:
    assert {c.outcome for c in make_corpus.CASES} == {"check", "reader", "refused", "survive", "ok"}
    assert {c.name for c in make_corpus.CASES} == set(make_corpus._MAKERS)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.*")), ids=lambda p: p.name)
def test_real_reports_pass(path: Path) -> None:
    assert check_file(path) == path.suffix.lstrip(".")


@pytest.mark.parametrize("src", ["pdf", "docx"])
def test_content_decides_not_the_suffix(tmp_path: Path, src: str) -> None:
    other = {"pdf": "docx", "docx": "pdf"}[src]
    path = tmp_path / f"misnamed.{other}"
    shutil.copy(next(CORPUS.glob(f"*.{src}")), path)
    assert check_file(path) == src


def test_missing_file_is_an_extract_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="cannot read"):
        check_file(tmp_path / "gone.pdf")


def test_size_cap(tmp_path: Path) -> None:
    path = next(CORPUS.glob("*.pdf"))
    with pytest.raises(ExtractError, match="too large"):
        check_file(path, Limits(max_bytes=path.stat().st_size - 1))


def test_pdf_header_after_too_much_junk_is_not_a_pdf() -> None:
    head = b"x" * (DEFAULT_LIMITS.pdf_header_window + 10) + b"%PDF-1.7"
    with pytest.raises(ExtractError, match="not a PDF or DOCX"):
        sniff(head)
    assert sniff(b"x" * 500 + b"%PDF-1.7") == "pdf"


def test_zip_bomb_ratio_refused_in_milliseconds(bad_dir: Path) -> None:
    """1 MB on disk inflating to 1 GB, refused from the central directory alone."""
    path = bad_dir / "zip_bomb.docx"
    assert path.stat().st_size < 2 * 1024 * 1024
    roomy = Limits(max_uncompressed=10 * 1024**3)  # let the ratio rule decide
    start = time.perf_counter()
    with pytest.raises(ExtractError, match=r"compresses \d+:1 .*zip bomb"):
        check_file(path, roomy)
    assert time.perf_counter() - start < 0.2


def test_total_uncompressed_limit() -> None:
    path = next(CORPUS.glob("*.docx"))
    with zipfile.ZipFile(path) as zf:
        total = sum(i.file_size for i in zf.infolist())
    with pytest.raises(ExtractError, match="would inflate"):
        check_file(path, Limits(max_uncompressed=total - 1))
    assert check_file(path, Limits(max_uncompressed=total)) == "docx"


def _docx_with(tmp_path: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    out = tmp_path / "edited.docx"
    make_corpus._rewrite_docx(out, {member: edit})
    return out


def test_utf16_part_with_dtd_is_refused(tmp_path: Path) -> None:
    """A byte search for '<!DOCTYPE' misses UTF-16; expat decodes before looking."""

    def to_utf16(xml: bytes) -> bytes:
        text = re.sub(r"encoding=.UTF-8.", 'encoding="UTF-16"', xml.decode("utf-8"), count=1)
        head, rest = text.split("?>", 1)
        return (head + "?><!DOCTYPE w:styles [<!ENTITY a 'b'>]>" + rest).encode("utf-16")

    path = _docx_with(tmp_path, "word/styles.xml", to_utf16)
    with pytest.raises(ExtractError, match="DTD/entity declaration"):
        check_file(path)


def test_dtd_in_a_part_expat_cannot_read_is_refused(tmp_path: Path) -> None:
    """UTF-16 bytes declared UTF-8: expat stops, libxml2 might not; the fallback looks."""

    def mislabel(xml: bytes) -> bytes:
        head, rest = xml.decode("utf-8").split("?>", 1)
        return (head + "?><!DOCTYPE w:styles [<!ENTITY a 'b'>]>" + rest).encode("utf-16")

    path = _docx_with(tmp_path, "word/styles.xml", mislabel)
    with pytest.raises(ExtractError, match="DTD/entity declaration"):
        check_file(path)


def test_doctype_text_inside_the_body_is_not_a_dtd(tmp_path: Path) -> None:
    def add_comment(xml: bytes) -> bytes:
        return xml.replace(b"<w:body>", b"<w:body><!-- <!DOCTYPE x> <!ENTITY y 'z'> -->", 1)

    path = _docx_with(tmp_path, "word/document.xml", add_comment)
    assert check_file(path) == "docx"


def test_prolog_scan_is_bounded(tmp_path: Path) -> None:
    def long_comment(xml: bytes) -> bytes:
        at = xml.index(b"?>") + 2
        return xml[:at] + b"<!--" + b"x" * 100_000 + b"-->" + xml[at:]

    path = _docx_with(tmp_path, "word/document.xml", long_comment)
    with pytest.raises(ExtractError, match="no root element"):
        check_file(path, Limits(xml_prolog_bytes=16 * 1024))


def test_python_docx_does_not_expand_entities() -> None:
    """What safety.py's docstring claims about python-docx's parser, checked."""
    from docx.oxml.parser import parse_xml

    xxe = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    assert "root:" not in "".join(parse_xml(xxe).itertext())
    laughs = (
        b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<r>&b;</r>"
    )
    assert len("".join(parse_xml(laughs).itertext())) < 10


def test_pdfminer_opens_owner_only_encryption(bad_dir: Path) -> None:
    """Why check_file accepts a PDF encrypted with an empty user password."""
    from pdfminer.high_level import extract_text

    assert "Recommendation 1" in extract_text(bad_dir / "owner_password_only.pdf")


def test_member_count_is_read_before_the_central_directory(tmp_path: Path) -> None:
    """The end record's count decides before zipfile walks the central directory (it
    would find only the real members here, so without the early check this passes)."""
    data = bytearray(next(CORPUS.glob("*.docx")).read_bytes())
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd + 8 : eocd + 12] = (50_000).to_bytes(2, "little") * 2
    path = tmp_path / "claims_many.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractError, match="zip members"):
        check_file(path, Limits(max_members=1_000))


def _rezip(
    src: Path, dest: Path, extra: list[tuple[str, bytes]], replace: dict[str, bytes]
) -> Path:
    """``src``'s members (some replaced) plus ``extra`` ones, in a new zip at ``dest``."""
    import warnings

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names
            for member, data in extra:
                zout.writestr(member, data)
    return dest


DOCX = CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx"
_DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'


@pytest.mark.parametrize("member", ["word/document.xml", "word/Document.xml"])
def test_two_members_of_one_name_are_refused(tmp_path: Path, member: str) -> None:
    body = b'<?xml version="1.0"?><w:document xmlns:w="urn:x"><w:body/></w:document>'
    path = _rezip(DOCX, tmp_path / "twice.docx", [(member, body)], {})
    with pytest.raises(ExtractError, match="two zip members named"):
        check_file(path)


@pytest.mark.parametrize("member", ["word/extra.XML", "customXml/item9", "word/glossary.Rels"])
def test_a_dtd_is_refused_whatever_the_part_is_called(tmp_path: Path, member: str) -> None:
    path = _rezip(DOCX, tmp_path / "dtd.docx", [(member, _DTD)], {})
    with pytest.raises(ExtractError, match="DTD"):
        check_file(path)


def test_an_alt_chunk_is_refused_not_read_in_part(tmp_path: Path) -> None:
    rels_name = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(DOCX) as zf:
        rels = zf.read(rels_name)
    chunk = (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/aFChunk" Target="chunk.html"/></Relationships>'
    )
    rels = rels.replace(b"</Relationships>", chunk)
    html = b"<html><body><table><tr><td>Recommendation 1</td></tr></table></body></html>"
    path = _rezip(DOCX, tmp_path / "chunk.docx", [("word/chunk.html", html)], {rels_name: rels})
    with pytest.raises(ExtractError, match="altChunk"):
        check_file(path)


def test_an_image_is_not_taken_for_xml(tmp_path: Path) -> None:
    """Every real DOCX passes: members that are not XML (images) are not prolog-checked."""
    assert check_file(DOCX) == "docx"


def _tiny_pdf(objects: list[str], trailer: str) -> bytes:
    """A minimal PDF with these objects (numbered from 1) and extra trailer entries."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer} >>\n".encode()
    return out + f"startxref\n{xref}\n%%EOF\n".encode()


def test_an_encrypt_entry_that_refers_to_itself_is_checked_at_once(tmp_path: Path) -> None:
    """pdfminer resolves ``4 0 obj 4 0 R`` forever: the check must not hand it the file."""
    path = tmp_path / "loop.pdf"
    page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"
    pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    path.write_bytes(_tiny_pdf([catalog, pages, page, "4 0 R"], "/Encrypt 4 0 R /ID [(a)(a)]"))
    assert len(path.read_bytes()) < 700
    start = time.monotonic()
    with contextlib.suppress(ExtractError):  # refused or accepted: what matters is the time
        check_file(path)
    assert time.monotonic() - start < TIME_LIMIT_S


def test_objects_that_refer_to_each_other_in_a_loop_are_refused(tmp_path: Path) -> None:
    """pdfminer (the reference engine, and the fallback for rotated pages) would resolve
    ``/MediaBox 4 0 R`` forever: refused up front, naming the loop."""
    page = "<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R >>"
    pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    path = tmp_path / "loop.pdf"
    path.write_bytes(_tiny_pdf([catalog, pages, page, "5 0 R", "4 0 R"], ""))
    start = time.monotonic()
    with pytest.raises(ExtractError, match=r"loop \(4 0 R -> 5 0 R -> 4 0 R\)"):
        check_file(path)
    assert time.monotonic() - start < TIME_LIMIT_S


def test_an_alias_replaced_by_a_later_revision_is_no_loop(tmp_path: Path) -> None:
    """Incremental updates: only an object's last definition counts."""
    page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"
    pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    catalog = "<< /Type /Catalog /Pages 2 0 R >>"
    data = _tiny_pdf([catalog, pages, page, "4 0 R"], "")
    data += b"4 0 obj\n[0 0 100 100]\nendobj\n%%EOF\n"
    path = tmp_path / "updated.pdf"
    path.write_bytes(data)
    assert check_file(path) == "pdf"
