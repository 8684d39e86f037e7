"""notebooks/analysis.ipynb runs top to bottom on a small database and its rates equal v_rates."""

from __future__ import annotations

import json
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


def test_the_committed_notebook_has_no_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_the_notebook_runs_and_its_rates_equal_v_rates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_or_skip()
    import nbformat
    from nbclient import NotebookClient

    db = build_db(tmp_path / "rectrack.sqlite")
    monkeypatch.setenv("RECTRACK_DB", str(db))  # the kernel inherits this environment
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the rates, status mix and changes charts are shown"

    notebook_rates = {r["agency"]: r for r in json.loads(tagged_output(nb, "rates-json"))}
    engine = open_db(str(db))
    try:
        view = read_view(engine, "v_rates")
    finally:
        engine.dispose()
    assert set(notebook_rates) == set(view["agency"]) == set(expected_rates())
    for row in view.to_dict("records"):
        mine = notebook_rates[row["agency"]]
        for key in ("recommendations", "accepted", "implemented"):
            assert mine[key] == row[key] == expected_rates()[row["agency"]][key]
        for key in ("acceptance_rate", "implementation_rate"):
            assert mine[key] == pytest.approx(row[key])
