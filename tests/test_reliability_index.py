"""Issue 13 (index side): a bad glossary never takes the app down, generations are closed
when replaced, requests never wait for an open, the glossary is part of the index."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import threading
import time
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder

from .conftest import make_settings


def _assistant(tmp: Path, corpus: Path, **kw: object) -> Assistant:
    return Assistant(make_settings(tmp, corpus=corpus, **kw), embedder=FakeEmbedder())


# --- 1. a malformed glossaire.json -------------------------------------------------------


@pytest.mark.parametrize("bad", ['{"CCAS": "x",', '{"GUP": 3}', '["CCAS"]'])
def test_a_malformed_glossary_is_refused_by_name_and_the_previous_one_kept(
    tmp_path: Path, small_corpus: Path, bad: str
):
    a = _assistant(tmp_path, small_corpus)
    a.ingest()
    before = a.answerer.glossary.get("CCAS")
    assert before and before.startswith("centre communal")
    (small_corpus / "glossaire.json").write_text(bad, encoding="utf-8")

    _, errors = a.ingest(force=True)  # `ingest --rebuild`
    assert [e.source for e in errors] == ["glossaire.json"], errors
    # the running app still answers, plain-language mode included
    ans = a.ask("qu'est-ce que le CCAS ?", simple=True)
    assert not ans.refused and "centre communal" in ans.text
    assert a.ask("partenaires de la GUP", simple=True).citations
    # and it starts again (a new process on the same index)
    restarted = _assistant(tmp_path, small_corpus)
    assert restarted.answerer.glossary.get("CCAS") == before
    assert restarted.ask("qui pilote l'objectif 12 ?", simple=True).citations


# --- 7. glossary edits reach a running app -----------------------------------------------


def test_a_glossary_edit_is_a_reindex_and_reaches_running_apps(tmp_path: Path, small_corpus: Path):
    a = _assistant(tmp_path, small_corpus, generation_check_s=0.0)
    a.ingest()
    replica = _assistant(tmp_path, small_corpus, generation_check_s=0.0)
    assert replica.answerer.glossary.get("ZZT") is None
    path = small_corpus / "glossaire.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**entries, "ZZT": "zone zéro test"}, ensure_ascii=False), encoding="utf-8")

    report, errors = a.ingest()
    assert not report.skipped and not errors  # not « rien à faire »
    assert a.answerer.glossary.get("ZZT") == "zone zéro test"
    replica.ask("bonjour")  # the replica notices the switch on its next request
    replica.wait_for_switch()
    assert replica.answerer.glossary.get("ZZT") == "zone zéro test"
    again, _ = a.ingest()
    assert again.skipped


# --- 2. generations are closed on switch -------------------------------------------------


def _open_fds() -> list[str]:
    out = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            out.append(os.readlink(f"/proc/self/fd/{fd}"))
    return out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reindex_loop(a: Assistant, index_dir: Path, times: int) -> list[tuple[int, int, float, int]]:
    samples = []
    for _ in range(times):
        a.ingest(force=True)
        assert a.ask("qui pilote l'objectif 12 ?").citations
        assert a.search("taux de pauvreté")
        fds = _open_fds()
        ours = [f for f in fds if str(index_dir) in f]
        deleted = [f for f in ours if f.endswith("(deleted)")]
        samples.append((len(ours), threading.active_count(), _rss_mb(), len(deleted)))
    return samples


def test_reindexing_does_not_leak_clients_files_or_threads(tmp_path: Path, small_corpus: Path):
    a = _assistant(tmp_path, small_corpus)
    a.ingest()
    a.ask("bonjour")
    samples = _reindex_loop(a, tmp_path / "index", 6)
    fds, threads = [s[0] for s in samples], [s[1] for s in samples]
    # flat, not +N per re-index. Files caught open at sampling time (sqlite journals, a segment
    # Chroma is still flushing) only ever add to a sample, by up to three on a loaded CI machine,
    # so each half's floor is compared: a leak of one file per re-index lifts the later floor by
    # at least three over the earlier one.
    assert min(fds[3:]) <= min(fds[:3]) + 1, samples
    assert min(threads[3:]) <= min(threads[:3]) + 1, samples
    assert all(s[3] == 0 for s in samples), "files of pruned generations still open"
    gens = sorted(p.name for p in (tmp_path / "index" / "generations").iterdir())
    assert len(gens) == 2  # pruned on disk
    a.close()


@pytest.mark.slow
def test_thirty_reindexes_under_a_low_fd_limit_stay_flat(tmp_path: Path, small_corpus: Path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(160, len(_open_fds()) + 60), hard))
    try:
        a = _assistant(tmp_path, small_corpus)
        a.ingest()
        a.ask("bonjour")
        samples = _reindex_loop(a, tmp_path / "index", 30)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    fds, threads, rss = [s[0] for s in samples], [s[1] for s in samples], [s[2] for s in samples]
    # flat: a transient file or two, never one more per re-index (a leak added 7 each)
    assert max(fds[5:]) <= fds[4] + 8, samples
    assert sum(fds[-10:]) / 10 <= sum(fds[5:15]) / 10 + 2, samples
    assert max(threads[5:]) <= threads[4] + 2, samples
    assert rss[-1] - rss[4] < 40, f"memory grew {rss[4]:.0f} -> {rss[-1]:.0f} MB"
    assert all(s[3] == 0 for s in samples)
    a.close()


# --- 4. requests never wait for an open --------------------------------------------------


def _slow_open(a: Assistant, seconds: float) -> None:
    real = a.store.open

    def slow():  # the 2.5–4.3 s open of a real generation (machine-independent)
        time.sleep(seconds)
        return real()

    a.store.open = slow  # type: ignore[method-assign]


def _max_latency_while(a: Assistant, busy: threading.Thread) -> float:
    worst, after = 0.0, 0
    while busy.is_alive() or after < 3:  # and the first requests after the switch
        after += not busy.is_alive()
        t0 = time.perf_counter()
        ans = a.ask("qui pilote l'objectif 12 ?")
        took = time.perf_counter() - t0
        worst = max(worst, took)
        # the wait for a generation is reported with the answer (its size is the load
        # benchmark's figure: wall time here includes CPU shared with the open, not a lock)
        assert 0 <= ans.timings_ms["lease_ms"] <= took * 1000, ans.timings_ms
    return worst


def test_a_switch_in_the_serving_process_never_stalls_requests(tmp_path: Path, small_corpus: Path):
    a = _assistant(tmp_path, small_corpus)
    first, _ = a.ingest()
    a.ask("bonjour")
    _slow_open(a, 2.5)
    t = threading.Thread(target=lambda: a.ingest(force=True))
    t.start()
    worst = _max_latency_while(a, t)
    t.join()
    assert worst < 1.0, f"a request waited {worst:.2f} s for the 2.5 s open"
    assert a.index.generation != first.generation


def test_a_switch_by_another_process_is_opened_in_the_background(tmp_path: Path, small_corpus: Path):
    a = _assistant(tmp_path, small_corpus, generation_check_s=0.0)
    _first, _ = a.ingest()
    a.ask("bonjour")
    writer = _assistant(tmp_path, small_corpus)
    second, _ = writer.ingest(force=True)
    _slow_open(a, 2.5)
    t0 = time.perf_counter()
    a.ask("qui pilote l'objectif 12 ?")  # notices the switch, keeps answering from the old one
    assert time.perf_counter() - t0 < 1.0
    assert a._opener is not None
    worst = _max_latency_while(a, a._opener)
    assert worst < 1.0
    assert a.index.generation == second.generation
