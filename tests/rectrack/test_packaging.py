"""The wheel works outside the checkout: every data file the program reads ships inside it.

Builds the wheel from a copy of the sources, installs it into a fresh virtual environment in a
temporary folder (the dependencies come from this environment through a ``.pth`` file, so no
download beyond the build backend from the package registry), and runs ``run``, ``serve`` (one
HTTP request) and ``report`` from a folder that holds nothing of the checkout.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "extract", "normalize", "load", "rectrack")
#: One DOCX and one PDF, so the data files of both readers are needed.
CORPUS_FILES = (
    ROOT / "corpus" / "UNW_2021_SEA-SH_review_update.docx",
    ROOT / "corpus" / "ITU_C22-61_JIU_system-wide_reports.pdf",
)

pytestmark = pytest.mark.slow


def _copy_sources(dest: Path) -> Path:
    """What the sdist would hold: pyproject, README and the packages (no caches, no db/)."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, dest / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return dest


def _dependency_dirs() -> list[str]:
    """The site-packages folders this interpreter imports the dependencies from."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=_clean_env()
    )
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _clean_env() -> dict[str, str]:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "RECTRACK_", "VIRTUAL_ENV"))
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ folder."""
    base = tmp_path_factory.mktemp("wheel")
    src = _copy_sources(base / "src")
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", str(src), "--no-deps", "-q", "-w", str(dist)], cwd=base)
    (wheel,) = dist.glob("rectrack-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base
        ).stdout.strip()
    )
    (site / "_rectrack_test_deps.pth").write_text("\n".join(_dependency_dirs()) + "\n")
    _run([*pip, "--python", str(python), "install", "--no-deps", "-q", str(wheel)], cwd=base)
    return venv / "bin"


def test_the_installed_package_is_the_wheel_not_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    where = _run(
        [str(installed / "python"), "-c", "import rectrack; print(rectrack.__file__)"], tmp_path
    ).stdout.strip()
    assert where.startswith(str(installed.parent)), where
    assert not where.startswith(str(ROOT))


def test_run_serve_and_report_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    (work / "in").mkdir(parents=True)
    for source in CORPUS_FILES:
        shutil.copy(source, work / "in")
    rectrack = str(installed / "rectrack")

    run = _run([rectrack, "run", "in", "--db", "out.sqlite", "-j", "1", "-q"], work)
    assert "2 files: 2 loaded" in run.stdout, run.stdout
    assert all(f.name in run.stdout for f in CORPUS_FILES)

    port = _free_port()
    server = subprocess.Popen(
        [rectrack, "serve", "--db", "out.sqlite", "--port", str(port)],
        cwd=work,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.5)
        assert page, server.stderr.read() if server.poll() is not None else "no answer in 60 s"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Acceptance and implementation rates by agency" in page  # the packaged template
    assert "UN-Women" in page and "ITU" in page and "/-/rectrack.css" in page
    assert "One review&#39;s recommendations across all agencies" in page  # packaged metadata

    report = _run([rectrack, "report", "--db", "out.sqlite", "--out", "rep"], work)
    assert "index.html written" in report.stdout
    index = (work / "rep" / "index.html").read_text(encoding="utf-8")
    assert "UN-Women" in index and (work / "rep" / "rates.png").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["in", "out.sqlite", "rep"]
