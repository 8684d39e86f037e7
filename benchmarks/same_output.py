"""Did a change to the reader change what it reads? Dump, then compare.

    .venv/bin/python benchmarks/same_output.py dump OUT.json FILE_OR_DIR...   # on one commit
    .venv/bin/python benchmarks/same_output.py diff A.json B.json             # two dumps

``dump`` parses every PDF (read, identify, recognize, normalize: ``rectrack.pipeline``) and
writes per file the whole Document (every block and table with its boxes,
``core.model.to_dict``) and the records (assessments and unmapped labels). ``diff`` lists the
files whose document or records differ, and counts records on both sides, so a speed-up can
be shown to change nothing, or exactly what it changes. ``--engine`` picks the PDF engine;
``--no-skip`` reads every page in full (extract.pdf_cues off), to measure the skipping.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    return out


def dump(out: Path, paths: list[str], engine: str, skip: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from core.errors import RectrackError
    from core.model import to_dict
    from extract import pdf
    from extract.pdf_config import PdfSettings
    from rectrack.pipeline import parse_document

    settings: dict[str, Any] = {"engine": engine}
    if not skip and "skip_unlikely" in {f.name for f in dataclasses.fields(PdfSettings)}:
        settings["skip_unlikely"] = False
    result: dict[str, Any] = {}
    for f in _files(paths):
        try:
            doc = pdf.convert(f, settings)
            parsed = parse_document(doc, f.name)
        except RectrackError as exc:
            result[f.name] = {"error": str(exc)}
            continue
        result[f.name] = {
            "document": to_dict(doc),
            "assessments": [dataclasses.asdict(a) for a in parsed.assessments],
            "unmapped": [dataclasses.asdict(u) for u in parsed.unmapped],
        }
        print(f"{f.name}: {len(parsed.assessments)} records", file=sys.stderr)
    out.write_text(json.dumps(result, sort_keys=True, default=str))


def diff(a_path: Path, b_path: Path) -> int:
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    bad = 0
    records = [0, 0]
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name), b.get(name)
        records[0] += len((x or {}).get("assessments", []))
        records[1] += len((y or {}).get("assessments", []))
        if x == y:
            continue
        bad += 1
        if x is None or y is None or "error" in x or "error" in y:
            print(f"{name}: {x and x.get('error')} | {y and y.get('error')}")
            continue
        parts = [k for k in ("document", "assessments", "unmapped") if x[k] != y[k]]
        print(
            f"{name}: differs in {', '.join(parts)} "
            f"(records {len(x['assessments'])} -> {len(y['assessments'])})"
        )
    print(f"{len(set(a) | set(b))} files, {bad} differ; records {records[0]} -> {records[1]}")
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("paths", nargs="+")
    d.add_argument("--engine", default="pdfium")
    d.add_argument("--no-skip", action="store_true")
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out, args.paths, args.engine, not args.no_skip)
    else:
        sys.exit(diff(args.a, args.b))


if __name__ == "__main__":
    main()
