"""The named API of the web app, which Gradio also serves as MCP tools.

Gradio builds each MCP tool from the function: its name is the tool's name, its
docstring (description, `Args:`, `Returns:`) the tool's description, in French and
English because the AI assistants calling it read it to choose a tool. Every tool
returns plain JSON (dicts and lists), the same as `python -m assistant ... --json`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..assistant import Assistant
from ..cli import answer_json

NOT_READY = "L'index est en cours de construction : réessayez dans quelques secondes."


def api_functions(
    assistant: Assistant, not_ready: Callable[[str], str] | None = None
) -> list[Callable[..., Any]]:
    """ask, search, fiches, find: to register with `gr.api(fn, api_name=fn.__name__)`.
    `not_ready(lang)` says why there is no index yet (being built, or failed and what to run)."""

    def waiting() -> str:
        return not_ready("fr") if not_ready else NOT_READY

    def ask(question: str, simple: bool = False) -> dict:
        """Répond à une question sur le Contrat de ville de Grand Chambéry (politique de la ville) à partir de ses documents, avec des citations numérotées ; refuse quand les documents ne le disent pas. / Answers a question about Grand Chambéry's Contrat de ville (French urban policy contract) from its documents, with numbered citations; refuses when the documents do not say.

        Args:
            question: la question, en français ou en anglais (ex. « qui pilote l'objectif 12 ? ») / the question, in French or English (e.g. "who leads objective 3?")
            simple: langage simple, sigles développés / plain language, acronyms spelled out

        Returns:
            JSON : answer (la réponse / the answer text, citing [1], [2]...), refused (true si les documents ne le disent pas / true when the documents do not say it), citations (liste / list of {n, source = document, page, objective = numéro d'objectif / objective number, section, text = passage cité / quoted passage}), see_also (passages proches quand la réponse est refusée / nearby passages when refused), lang, ms
        """
        if not assistant.ready():
            return {"error": waiting()}
        t0 = time.perf_counter()
        ans = assistant.ask(question[:2000], simple=simple)
        return answer_json(ans, (time.perf_counter() - t0) * 1000)

    def search(query: str, k: int = 5) -> list:
        """Recherche hybride (mots-clés et sens) dans les documents du Contrat de ville de Grand Chambéry. / Hybrid (keyword and semantic) search in the documents of Grand Chambéry's Contrat de ville.

        Args:
            query: la recherche, en langage courant / the search, in plain words
            k: nombre de passages, 1 à 50 / number of passages, 1 to 50

        Returns:
            JSON : liste de passages, du plus pertinent au moins pertinent / list of passages, best first: {source = document, page, objective = numéro d'objectif / objective number, section, text, score}
        """
        if not assistant.ready():
            return []
        if not isinstance(query, str) or not query.strip():
            import gradio as gr  # the message reaches the client (other errors stay hidden)

            raise gr.Error("La recherche est vide : tapez quelques mots.")
        hits = assistant.search(query[:500], k=max(1, min(int(k), 50)))
        return [h.as_json() for h in hits]

    def fiches() -> list:
        """Les 19 fiches-actions (objectifs opérationnels) du plan d'actions du Contrat de ville de Grand Chambéry, en données structurées. / The 19 action sheets (operational objectives) of Grand Chambéry's Contrat de ville action plan, as structured data.

        Returns:
            JSON : liste / list of {objective = numéro / number, title, axis, axis_title, sub_theme, pilots = pilotes / leads, partners = partenaires, tools = outils, actions = [{text, status = « en cours » / « à développer » / null, scope}], source = document}
        """
        return [f.as_json() for f in assistant.fiches()] if assistant.ready() else []

    def find(description: str, simple: bool = False) -> dict:
        """Trouve les objectifs du Contrat de ville de Grand Chambéry qui correspondent à un projet ou une activité décrite en quelques phrases, avec les actions proches et les pilotes à contacter. / Finds the objectives of Grand Chambéry's Contrat de ville that fit a project or activity described in a few sentences, with the matching actions and the leads to contact.

        Args:
            description: le projet ou l'activité (ex. « j'anime des ateliers numériques pour les seniors ») / the project or activity (e.g. "I run digital workshops for seniors")
            simple: langage simple, sigles développés / plain language, acronyms spelled out

        Returns:
            JSON : answer (les objectifs qui correspondent, leurs pilotes / the fitting objectives and their leads), refused, citations (liste / list of {n, source = document, page, objective = numéro d'objectif / objective number, section, text}), lang, ms
        """
        if not assistant.ready():
            return {"error": waiting()}
        t0 = time.perf_counter()
        ans = assistant.find(description[:3000], simple=simple)
        return answer_json(ans, (time.perf_counter() - t0) * 1000)

    return [ask, search, fiches, find]
