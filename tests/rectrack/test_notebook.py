"""notebooks/analysis.ipynb runs top to bottom on a small database and its rates equal v_rates."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from load import open_db
from load.export import read_view
from tests.rectrack.oversight_fixture import build_db, expected_rates

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "analysis.ipynb"
KERNEL = "python3"


def kernel_or_skip() -> None:
    """Skip, saying how to fix it, when there is no Jupyter kernel to run the notebook in."""
    pytest.importorskip("nbclient", reason="nbclient is not installed (pip install nbclient)")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        pytest.skip(
            f"no Jupyter kernel {KERNEL!r}; install it with "
            "`.venv/bin/python -m ipykernel install --sys-prefix`"
        )


def tagged_output(nb: Any, tag: str) -> str:
    (cell,) = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_the_committed_notebook_carries_its_outputs() -> None:
    """So it reads on any code host: every code cell ran, in order, without an error, and the
    charts and the rates are there (regenerate with RECTRACK_GEN_TEST_DATA=1)."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    outputs = [o for c in code for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # rates, status mix
    rates = json.loads(
        "".join(
            next(c for c in code if "rates-json" in c["metadata"].get("tags", []))["outputs"][0][
                "text"
            ]
        )
    )
    assert rates and all({"agency", "acceptance_rate"} <= set(r) for r in rates)
    first = "".join(code[0]["outputs"][0]["text"])
    assert first.startswith("rectrack.sqlite: ")  # run on the corpus database, no machine's path
    assert "/work/" not in NOTEBOOK.read_text(encoding="utf-8")


def execute(nb: Any) -> None:
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=300,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("RECTRACK_GEN_TEST_DATA") != "1",
    reason="regenerates the committed outputs: RECTRACK_GEN_TEST_DATA=1",
)
def test_regenerate_the_committed_outputs_from_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Load corpus/ into a fresh database, run the notebook on it and save it with its
    outputs (the user's db/rectrack.sqlite is left alone)."""
    kernel_or_skip()
    import nbformat

    from rectrack.config import RunConfig
    from rectrack.pipeline import run

    db = tmp_path / "rectrack.sqlite"
    summary = run([NOTEBOOK.parents[1] / "corpus"], RunConfig.build(db=str(db), workers=1))
    assert summary.outcomes
    monkeypatch.setenv("RECTRACK_DB", str(db))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    execute(nb)
    nbformat.write(nb, NOTEBOOK)


@pytest.mark.slow
def test_the_notebook_runs_and_its_rates_equal_v_rates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_or_skip()
    import nbformat

    db = build_db(tmp_path / "rectrack.sqlite")
    monkeypatch.setenv("RECTRACK_DB", str(db))  # the kernel inherits this environment
    nb = nbformat.read(NOTEBOOK, as_version=4)
    execute(nb)

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the rates, status mix and changes charts are shown"

    notebook_rates = {
        (r["agency"], r["body"]): r for r in json.loads(tagged_output(nb, "rates-json"))
    }
    engine = open_db(str(db))
    try:
        view = read_view(engine, "v_rates")
    finally:
        engine.dispose()
    assert set(notebook_rates) == set(zip(view["agency"], view["body"], strict=True))
    assert {a for a, _ in notebook_rates} == set(expected_rates())
    for row in view.to_dict("records"):
        mine = notebook_rates[(row["agency"], row["body"])]
        for key in ("recommendations", "accepted", "implemented"):
            assert mine[key] == row[key] == expected_rates()[row["agency"]][key]
        for key in ("acceptance_rate", "implementation_rate"):
            assert mine[key] == pytest.approx(row[key])
