"""Run the assistant on a gold file and report quality, retrieval and speed."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.assistant import Assistant

from . import metrics as M


def evaluate_answers(assistant: Assistant, gold: Sequence[dict], k: int = 5) -> list[dict]:
    records = []
    for g in gold:
        t0 = time.perf_counter()
        ans = assistant.ask(g["question"])
        ms = (time.perf_counter() - t0) * 1000
        pred = {"answer": ans.text, "refused": ans.refused}
        cited = [c.text for c in ans.citations]
        rec: dict[str, Any] = {
            "id": g["id"],
            "kind": g["kind"],
            "lang": g["lang"],
            "persona": g["persona"],
            "question": g["question"],
            "answer": ans.text,
            "refused": ans.refused,
            "intent": ans.intent,
            "ms": round(ms, 2),
            "correct": M.answer_correct(g, pred),
            "must_include": g["must_include"],
        }
        if g["kind"] != "unanswerable":
            rec["citation_hit"], rec["citation_precision"] = M.citation_scores(cited, g["evidence"])
        records.append(rec)
    return records


def evaluate_retrieval(
    search: Callable[[str, int], list[str]], gold: Sequence[dict], k: int = 5
) -> dict[str, float]:
    rr, rec = [], []
    for g in gold:
        if g["kind"] == "unanswerable":
            continue
        passages = search(g["question"], k)
        rr.append(M.reciprocal_rank(passages, g["evidence"], k))
        rec.append(M.recall_at_k(passages, g["evidence"], k))
    return {f"recall@{k}": M.mean(rec), f"mrr@{k}": M.mean(rr)}


def summarize(records: Sequence[dict]) -> dict[str, Any]:
    answerable = [r for r in records if r["kind"] != "unanswerable"]
    unanswerable = [r for r in records if r["kind"] == "unanswerable"]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for r in records:
        by_kind[r["kind"]].append(r["correct"])
        by_lang[r["lang"]].append(r["correct"])
    lat = [r["ms"] for r in records]
    answered = [r for r in answerable if not r["refused"]]
    return {
        "questions": len(records),
        "accuracy_answerable": M.mean(r["correct"] for r in answerable),
        "accuracy_all": M.mean(r["correct"] for r in records),
        "pilot_questions_right": f"{sum(r['correct'] for r in answerable if _is_pilot(r))}/{sum(_is_pilot(r) for r in answerable)}",
        "refusal_correct_on_unanswerable": M.mean(r["refused"] for r in unanswerable),
        "refusal_wrong_on_answerable": M.mean(r["refused"] for r in answerable),
        "citation_hit": M.mean(r["citation_hit"] for r in answered),
        "citation_precision": M.mean(r["citation_precision"] for r in answered),
        "accuracy_by_kind": {k: M.mean(v) for k, v in sorted(by_kind.items())},
        "accuracy_by_lang": {k: M.mean(v) for k, v in sorted(by_lang.items())},
        "ask_ms_p50": M.percentile(lat, 50),
        "ask_ms_p95": M.percentile(lat, 95),
    }


def _is_pilot(r: dict) -> bool:
    q = r["question"].lower()
    return r["kind"] == "fiche_field" and any(w in q for w in ("pilot", "lead", "in charge", "porte"))


def measure_memory(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def write_report(out_dir: Path, summary: dict[str, Any], records: Sequence[dict], extra_md: str = "") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d")
    (out_dir / f"{stamp}.json").write_text(
        json.dumps({"summary": summary, "records": list(records)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    md = render_markdown(summary, records) + extra_md
    (out_dir / f"{stamp}.md").write_text(md, encoding="utf-8")
    (out_dir / "latest.md").write_text(md, encoding="utf-8")
    return out_dir / f"{stamp}.md"


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def render_markdown(summary: dict[str, Any], records: Sequence[dict]) -> str:
    lines = [f"# Évaluation — {time.strftime('%Y-%m-%d')}", "", "| mesure | valeur |", "|---|---|"]
    for k, v in summary.items():
        if isinstance(v, dict):
            continue  # per-group tables and sub-reports are rendered below
        lines.append(f"| {k} | {_fmt(v)} |")
    for group in ("accuracy_by_kind", "accuracy_by_lang"):
        lines += ["", f"## {group}", "", "| groupe | exactitude |", "|---|---|"]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in summary[group].items()]
    fails = [r for r in records if not r["correct"]]
    lines += ["", f"## Échecs ({len(fails)})", ""]
    for r in fails:
        short = r["answer"].replace("\n", " ")[:220]
        lines.append(
            f"- `{r['id']}` ({r.get('set', '')}) [{r['kind']}] {r['question']} — attendu {r['must_include']} — "
            f"{'REFUS' if r['refused'] else 'réponse'} : {short}"
        )
    return "\n".join(lines) + "\n"
