"""The optional LLM path against a real local HTTP server speaking the OpenAI chat API."""

from __future__ import annotations

import time

import pytest

from assistant.answer import Answerer
from assistant.answer.llm import OpenAILikeGenerator

from .fake_llm import FakeLLMServer

pytestmark = pytest.mark.server

QUESTION = "combien d'interventions des correspondants de nuit en 2018 ?"


@pytest.fixture(scope="module")
def server():
    with FakeLLMServer() as s:
        yield s


def _answerer(fake_assistant, server, model: str, timeout: float = 1.0) -> Answerer:
    base = fake_assistant.answerer
    gen = OpenAILikeGenerator(server.url, model, api_key="test-key", timeout_s=timeout)
    return Answerer(base.index, base.retriever, base.glossary, gen, base.min_coverage)


def test_a_valid_generated_answer_is_used(fake_assistant, server):
    ans = _answerer(fake_assistant, server, "good").ask(QUESTION)
    assert ans.text.startswith("Réponse générée") and ans.generator == "llm"
    req = server.requests[-1]
    assert req["model"] == "good"
    prompt = req["messages"][1]["content"]
    assert "[1]" in prompt and QUESTION in prompt  # numbered passages and the question


@pytest.mark.parametrize("model", ["badcite", "nocite", "badfigure", "error", "junk"])
def test_invalid_or_failed_generation_falls_back_to_the_extractive_answer(fake_assistant, server, model):
    extractive = fake_assistant.ask(QUESTION)
    ans = _answerer(fake_assistant, server, model).ask(QUESTION)
    assert ans.text == extractive.text and ans.generator == "extractive"
    assert ans.citations == extractive.citations


def test_a_slow_endpoint_times_out_and_falls_back(fake_assistant, server):
    t0 = time.perf_counter()
    ans = _answerer(fake_assistant, server, "slow", timeout=0.5).ask(QUESTION)
    assert time.perf_counter() - t0 < 2.5
    assert ans.generator == "extractive" and not ans.text.startswith("Trop tard")


def test_fiche_fields_never_go_through_the_llm(fake_assistant, server):
    n = len(server.requests)
    ans = _answerer(fake_assistant, server, "good").ask("qui pilote l'objectif 12 ?")
    assert len(server.requests) == n and ans.generator == "extractive"


def test_a_refusal_is_not_sent_to_the_llm(fake_assistant, server):
    n = len(server.requests)
    ans = _answerer(fake_assistant, server, "good").ask("quel temps fera-t-il samedi ?")
    assert ans.refused and len(server.requests) == n
