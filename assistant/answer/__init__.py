"""Answering a question, one way down the stages:
understand (understand.py, frame.py) → candidates (units.py, fiche_answers.py) → rank (rank.py)
→ compose (compose.py, citations.py; llm.py optionally rewrites, checked)."""

from .answerer import Answerer

__all__ = ["Answerer"]
