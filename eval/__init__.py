"""Evaluation harness: gold sets, pure metrics, the runner (`python -m eval`)."""
