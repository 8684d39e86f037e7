"""Generated test documents whose expected records are known by construction.

A :class:`DocSpec` lists the records a document must yield; :func:`build_pdf` and
:func:`build_docx` print it in one of several layouts and renderings (:class:`Variant`);
:func:`sample_specs` and :func:`variants` give a small seeded matrix for tests. See README.md.
"""

from .build import Case, build_docx, build_pdf, variants
from .fonts import available_ticks
from .sample import sample_specs
from .spec import DocSpec, ExpectedRecord
from .variant import TICKS, Variant

__all__ = [
    "TICKS",
    "Case",
    "DocSpec",
    "ExpectedRecord",
    "Variant",
    "available_ticks",
    "build_docx",
    "build_pdf",
    "sample_specs",
    "variants",
]
