"""Entry points: spec + variant -> file, and the representative matrix of cases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from .data import layout
from .fonts import available_ticks
from .layouts import plan_for
from .plan import Plan, PTable, jitter, permute
from .sample import sample_specs
from .spec import DocSpec
from .to_docx import render_docx
from .to_pdf import render_pdf
from .variant import PDF_FONTS, TICKS, Variant

Fmt = Literal["pdf", "docx"]


def _plan(spec: DocSpec, variant: Variant) -> Plan:
    plan = plan_for(spec, variant)
    items = []
    for item in plan.items:
        if isinstance(item, PTable):
            if variant.column_seed is not None:
                item = permute(item, variant.column_seed)
            if variant.width_seed is not None:
                item = jitter(item, variant.width_seed)
        items.append(item)
    return replace(plan, items=items)


def _target(path: Path | str, spec: DocSpec, variant: Variant, suffix: str) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / f"{spec.name}__{variant.slug}{suffix}"
    return p


def build_pdf(spec: DocSpec, path: Path | str, variant: Variant | None = None) -> Path:
    """Write ``spec`` as a PDF; ``path`` is a file, or a directory to name the file in."""
    variant = variant or Variant()
    out = _target(path, spec, variant, ".pdf")
    return render_pdf(_plan(spec, variant), out, variant, title=spec.title)


def build_docx(spec: DocSpec, path: Path | str, variant: Variant | None = None) -> Path:
    """Write ``spec`` as a DOCX; ``path`` is a file, or a directory to name the file in."""
    variant = variant or Variant()
    out = _target(path, spec, variant, ".docx")
    return render_docx(_plan(spec, variant), out, variant, title=spec.title)


@dataclass(frozen=True)
class Case:
    """One document of the matrix: which spec, in which format, rendered how."""

    spec: DocSpec
    fmt: Fmt
    variant: Variant

    @property
    def id(self) -> str:
        return f"{self.spec.name}-{self.fmt}-{self.variant.slug}"

    def build(self, directory: Path | str) -> Path:
        fn = build_pdf if self.fmt == "pdf" else build_docx
        return fn(self.spec, Path(directory) / f"{self.id}.{self.fmt}", self.variant)


# The layout's "natural" rendering: how such a report usually looks.
NATURAL = {
    "wipo_kv": Variant(page_size="A4"),
    "checkbox_matrix": Variant(landscape=True, font_size=8),
    "response_matrix": Variant(landscape=True, font_size=8),
    "agreed_rows": Variant(landscape=True, font_size=8),
    "response_rows": Variant(page_size="Letter", landscape=True, font_size=8),
}


def _alternate(spec: DocSpec, k: int) -> Variant:
    """A rendering away from the natural one; ``k`` (the spec's position) cycles every knob
    over the matrix so neighbouring specs differ."""
    lay = layout(spec.layout)
    base = NATURAL.get(spec.layout, Variant())
    return replace(base, font=PDF_FONTS[(k + 1) % len(PDF_FONTS)],
                   font_size=base.font_size + 1 + k % 2,
                   page_size="Letter" if base.page_size == "A4" else "A4",
                   landscape=base.landscape if k % 3 else not base.landscape,
                   column_seed=100 + k, width_seed=200 + k,
                   rules="rects" if lay.get("rules_required") or k % 2 else "none")


def _pdf_variants(spec: DocSpec, k: int, share: tuple[str, ...]) -> list[Variant]:
    base = NATURAL.get(spec.layout, Variant())
    alt = _alternate(spec, k)
    if spec.layout == "checkbox_matrix":
        # one PDF per tick mark of this spec's share, natural first, then varied renderings
        out = [replace(base, tick=share[0])] if share else []
        for i, t in enumerate(share[1:]):
            out.append(replace(alt, tick=t, rules=("rects", "lines")[i % 2],
                               font=PDF_FONTS[(k + i) % len(PDF_FONTS)],
                               landscape=bool(i % 2) or alt.landscape))
        return out
    if not layout(spec.layout).get("splits"):  # negatives: one PDF, natural or not
        return [base if k % 2 else alt]
    return [base, alt]


def variants(specs: list[DocSpec] | None = None) -> Iterator[Case]:
    """The representative matrix: per spec its PDFs and one DOCX.

    Status layouts get their natural PDF and one varied PDF; check-box matrices get one PDF
    per tick mark (the marks this machine has fonts for are shared out among the check-box
    specs); negatives one PDF. With the default specs this is 40 documents, and every knob
    value appears: each PDF font, A4 and Letter in both orientations, lines/rects/none,
    permuted and jittered columns.
    """
    specs = sample_specs() if specs is None else specs
    ticks = available_ticks()
    boxes = [s.name for s in specs if s.layout == "checkbox_matrix"]
    for k, spec in enumerate(specs):
        share: tuple[str, ...] = ()
        if spec.name in boxes:
            share = ticks[boxes.index(spec.name) :: len(boxes)]
        for v in _pdf_variants(spec, k, share):
            yield Case(spec, "pdf", v)
        base = NATURAL.get(spec.layout, Variant())
        yield Case(spec, "docx", replace(base, font=("Calibri", "Georgia", "Courier New")[k % 3],
                                         tick=TICKS[(k + 2) % len(TICKS)]
                                         if share else base.tick,
                                         column_seed=300 + k if k % 2 else None))
