"""warm_up: what forked workers inherit instead of importing and building per file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from rectrack.warm import warm_up
before = {m: m in sys.modules for m in ("pdfplumber", "pypdfium2", "spacy", "docx", "wordfreq")}
warm_up()
from normalize.nlp import blank_nlp
from extract.identify import default_catalog
from normalize import addressee, prose
after = {m: m in sys.modules for m in before}
import gc
frozen = gc.get_freeze_count()
print(json.dumps({"before": before, "after": after,
                  "nlp": blank_nlp.cache_info().currsize,
                  "catalog": default_catalog.cache_info().currsize,
                  "matchers": [m._matcher.cache_info().currsize for m in (addressee, prose)],
                  "frozen": frozen}))
"""


@pytest.mark.slow
def test_warm_up_imports_readers_and_builds_caches() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(result["before"].values())  # a fresh interpreter has none of them
    assert all(result["after"].values())
    assert result["nlp"] == 1 and result["catalog"] == 1
    assert result["matchers"] == [1, 1]  # the spaCy matchers, built from the vocabulary
    # the warmed heap is out of the collector's reach, so forked workers do not copy it
    assert result["frozen"] > 50_000


NO_RELOAD = """
import json, sys
from pathlib import Path
from rectrack.warm import warm_up
warm_up()
import core.datafile
read = []
real_load = core.datafile.load
core.datafile.load = lambda path, schema: read.append(str(path)) or real_load(path, schema)
from rectrack.pipeline import parse_file
for name in sys.argv[1:]:
    parse_file(Path(name))
print(json.dumps(read))
"""


@pytest.mark.slow
def test_a_parse_after_warm_up_reads_no_knowledge_file() -> None:
    """Each file's worker is forked from the warmed process and dies after the file: a
    knowledge file the warm-up left unread is parsed again for every file (it was: three YAML
    files, ~60 ms a file, 30% of a worker's time on small documents)."""
    files = [
        "corpus/WO_PBC_34_6.pdf",
        "corpus/UNW_2021_SEA-SH_review_update.docx",
        "corpus/real/DP_2025_7.pdf",
    ]
    done = subprocess.run(
        [sys.executable, "-c", NO_RELOAD, *files], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
