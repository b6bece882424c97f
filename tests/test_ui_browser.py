"""The web app in a real browser (Debian's /usr/bin/chromium driven by Playwright, never a
downloaded browser), as its users meet it: a resident on a 390×844 phone, staff and
partners on a 1280×800 desktop, in French and in English. One app and one browser for
the module; axe-core (bundled in axe-playwright-python) checks every tab."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.embeddings import FakeEmbedder
from eval.load import start_app
from eval.render_pdf import ARGS, CHROMIUM

from .conftest import ROOT, make_settings
from .pdfgen import make_pdf

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TABS = {
    "fr": ["Question", "Recherche", "Objectifs", "Projet", "Documents"],
    "en": ["Ask", "Search", "Objectives", "My project", "Documents"],
}
# words of one language that must not show on the other's page (outside quoted passages,
# which carry lang="fr")
FOREIGN = {
    "fr": {
        "search",
        "send",
        "clear",
        "copy",
        "use",
        "like",
        "dislike",
        "ask",
        "objective",
        "objectives",
        "loading",
        "more",
        "tabs",
        "examples",
        "residents",
        "staff",
        "plain",
        "language",
        "your",
        "question?",
        "the",
        "and",
        "of",
        "all",
        "sources of",
        "submit",
        "conversation history",
        "chatbot",
    },
    "en": {
        "envoyer",
        "rechercher",
        "recherche",
        "votre",
        "effacer",
        "langage",
        "simple",
        "exemples",
        "habitants",
        "agents",
        "objectif",
        "objectifs",
        "tous",
        "aucun",
        "projet",
        "copier",
        "nouvelle",
        "réponse",
        "le",
        "la",
        "les",
        "des",
        "du",
        "et",
        "mots",
        "chercher",
        "langue",
        "pilote",
        "partenaire",
    },
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("ui-app")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    # a PDF, so that a source can open at its page
    (corpus / "bilan-velos-bissy.pdf").write_bytes(
        make_pdf(
            [
                "Bilan de l'atelier vélo solidaire de Bissy.\nL'atelier ouvre le mercredi.",
                "Résultats de l'atelier vélo solidaire.\nEn 2023, 42 vélos ont été réparés par les habitants de Bissy.",
            ]
        )
    )
    Assistant(make_settings(tmp, corpus=corpus), embedder=FakeEmbedder()).ingest()
    env = {
        "CDV_EMBED_BACKEND": "fake",
        "CDV_INDEX_DIR": str(tmp / "index"),
        "CDV_DATA_DIR": str(tmp / "data"),
        "CDV_CORPUS_DIR": str(corpus),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    proc, url = start_app(env, log=tmp / "app.log", timeout_s=90)
    try:
        yield url, tmp / "data"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required: make browser-deps"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str, lang: str, viewport: dict):
    # the browser's own locale is the other language: the page's ?lang= must win
    ctx = browser.new_context(viewport=viewport, locale="en-US" if lang == "fr" else "fr-FR")
    page = ctx.new_page()
    page.goto(f"{url}?lang={lang}")
    page.locator("#cdv-question textarea").wait_for(timeout=20_000)
    page.wait_for_function("document.querySelectorAll('[role=tab]').length >= 5", timeout=10_000)
    return page


def ask(page, question: str) -> None:
    n = page.locator("#cdv-chat .bot-row").count()
    page.locator("#cdv-question textarea").fill(question)
    page.locator("#cdv-send").click()
    page.wait_for_function(f"document.querySelectorAll('#cdv-chat .bot-row').length > {n}", timeout=20_000)


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    vp = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vp["height"] + 1


def visible_words(page, lang: str) -> set[str]:
    """Words a reader sees or hears (text, aria-label, title, placeholder) outside parts
    marked as another language."""
    texts = page.evaluate(
        """(lang) => {
        const out = [];
        const other = (el) => { const l = el.closest('[lang]'); return l && l.lang && l.lang !== lang; };
        const shown = (el) => el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : !!el.offsetParent;
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
          const n = walk.currentNode, el = n.parentElement;
          if (!el || ['SCRIPT', 'STYLE'].includes(el.tagName) || other(el) || !shown(el)) continue;
          if (n.textContent.trim()) out.push(n.textContent);
        }
        document.querySelectorAll('[aria-label], [title], [placeholder]').forEach((el) => {
          if (other(el) || !shown(el)) return;
          for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
        });
        return out;
      }""",
        lang,
    )
    words: set[str] = set()
    for t in texts:
        low = t.lower()
        words |= set(re.findall(r"[\w'’?]+", low))
        words |= {m for m in FOREIGN[lang] if " " in m and m in low}
    return words


def switch_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_timeout(300)


@pytest.mark.parametrize(
    ("lang", "viewport"), [("fr", PHONE), ("en", DESKTOP)], ids=["fr-phone", "en-desktop"]
)
def test_question_box_and_first_answer_in_the_first_screen(app, browser, lang, viewport):
    url, _ = app
    t0 = time.perf_counter()
    page = open_page(browser, url, lang, viewport)
    loaded = time.perf_counter()
    question = "qui pilote l'objectif 12 ?" if lang == "fr" else "who leads objective 12?"
    ask(page, question)
    page.locator("#cdv-sources details").first.wait_for(timeout=10_000)
    seconds = time.perf_counter() - loaded
    answer = page.locator("#cdv-chat .bot-row").last
    assert "Ville de Chambéry" in answer.inner_text()
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
    assert in_viewport(page, page.locator("#cdv-question textarea")), "question box below the first screen"
    assert in_viewport(page, answer), "answer below the first screen"
    # the target is ≤ 2 s (figures in timing.txt and the README); the bound here leaves
    # room for a machine shared with other work, as timed tests must not be flaky
    assert seconds <= 5.0, f"first answer {seconds:.2f} s after the page loaded"
    name = f"answer-{lang}-{viewport['width']}"
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    with (ARTIFACTS / "timing.txt").open("a") as fh:
        fh.write(f"{name}: page load {loaded - t0:.2f} s, then first answer {seconds:.2f} s\n")
    page.context.close()


def test_citation_marker_opens_its_passage_in_place(app, browser):
    url, _ = app
    page = open_page(browser, url, "fr", PHONE)
    ask(page, "qui pilote l'objectif 12 ?")
    marker = page.locator("#cdv-chat .bot-row a[href='#cdv-cite-1']").last
    assert marker.inner_text() == "[1]"
    passage = page.locator("#cdv-cite-1")
    assert passage.get_attribute("open") is None
    marker.click()
    page.wait_for_function("document.getElementById('cdv-cite-1').open")
    quote = passage.locator("blockquote")
    assert in_viewport(page, quote) or in_viewport(page, passage.locator("summary"))
    assert "Grand Chambéry, Ville de Chambéry" in quote.inner_text()  # the pilots' line, quoted
    assert "Plan d'actions 2021-2022" in passage.locator("summary").inner_text()  # named by title
    page.screenshot(path=str(ARTIFACTS / "citation-open-fr-390.png"))
    page.context.close()


def test_keyboard_only_ask_open_a_source_and_switch_tab(app, browser):
    url, _ = app
    page = open_page(browser, url, "en", DESKTOP)

    def tab_to(selector: str, most: int = 60) -> None:
        for _ in range(most):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#cdv-question textarea")
    page.keyboard.type("who leads objective 12?")
    page.keyboard.press("Enter")
    page.locator("#cdv-chat a[href='#cdv-cite-1']").wait_for(timeout=20_000)
    tab_to("#cdv-chat a[href='#cdv-cite-1']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('cdv-cite-1').open")
    assert page.evaluate("document.activeElement.closest('#cdv-cite-1') !== null")
    page.locator("[role=tab][aria-selected=true]").focus()
    page.keyboard.press("Shift+Tab")  # the tab list is reached from the page, like any control
    tab_to("[role=tab]:not([aria-selected=true])")
    page.keyboard.press("Enter")
    page.locator("#cdv-search-box textarea").wait_for(timeout=5000)
    assert page.locator("[role=tab][aria-selected=true]").inner_text() == "Search"
    page.context.close()


def test_reset_forgets_conversation_memory_sources_and_feedback_target(app, browser):
    url, data = app
    page = open_page(browser, url, "fr", DESKTOP)
    ask(page, "qui pilote l'objectif 12 ?")
    page.locator("#cdv-sources details").first.wait_for()
    page.locator("#cdv-clear").click()
    page.wait_for_function("document.querySelectorAll('#cdv-chat .bot-row').length === 0")
    assert page.locator("#cdv-sources details").count() == 0
    ask(page, "et ses partenaires ?")
    follow_up = page.locator("#cdv-chat .bot-row").last.inner_text()
    assert "objectif 12" not in follow_up.lower() and "soins" not in follow_up  # no memory of 12
    page.locator("#cdv-chat").get_by_role("button", name="J'aime", exact=True).last.click()
    page.locator("#cdv-feedback-status").get_by_text("Merci").wait_for(timeout=5000)
    last = json.loads((data / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last["question"] == "et ses partenaires ?" and last["liked"] is True
    page.context.close()


def test_plain_language_shows_five_items_then_see_all(app, browser):
    url, _ = app
    page = open_page(browser, url, "fr", PHONE)
    page.locator("#cdv-simple input").check()
    # a fiche's actions (more than five, whatever the embedder ranks): the folding is tested
    ask(page, "quelles sont les actions de l'objectif 5 ?")
    answer = page.locator("#cdv-chat .bot-row").last
    folded = answer.locator("details")
    assert folded.count() == 1 and folded.locator("summary").inner_text().startswith("Voir tout")
    shown = answer.locator("li:not(details li)")
    assert 1 <= shown.count() <= 5 and all(li.is_visible() for li in shown.all())
    assert not folded.locator("li").first.is_visible()
    folded.locator("summary").click()
    assert folded.locator("li").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "plain-language-fr-390.png"))
    page.context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_visible_string_is_in_the_chosen_language(app, browser, lang):
    url, _ = app
    page = open_page(browser, url, lang, DESKTOP)
    assert page.evaluate("document.documentElement.lang") == lang
    ask(page, "qui pilote l'objectif 12 ?" if lang == "fr" else "who leads objective 12?")
    leaks: dict[str, set[str]] = {}
    for name in TABS[lang]:
        switch_tab(page, name)
        found = visible_words(page, lang) & {w for w in FOREIGN[lang] if " " not in w} | {
            w for w in FOREIGN[lang] if " " in w and w in visible_words(page, lang)
        }
        if found:
            leaks[name] = found
    assert not leaks, f"{lang} page shows words of the other language: {leaks}"
    page.context.close()


def _axe_tabs(browser, url: str, lang: str, viewport: dict) -> dict[str, list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = open_page(browser, url, lang, viewport)
    ask(page, "qui pilote l'objectif 12 ?" if lang == "fr" else "who leads objective 12?")
    page.locator("#cdv-sources details").first.wait_for()
    found: dict[str, list[str]] = {}
    for i, name in enumerate(TABS[lang]):
        switch_tab(page, name)
        if name in ("Objectifs", "Objectives"):
            page.screenshot(path=str(ARTIFACTS / f"tab3-who-is-where-{lang}-{viewport['width']}.png"))
            page.locator("#fiche-12 > summary").click()
        if name == "Documents":
            page.locator("#cdv-doc-pick input").click()
            page.get_by_role("option").first.click()
            # a whole report rendered as HTML: generous on a loaded 2-core machine
            page.locator("#cdv-doc-view .cdv-doc").wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        page.screenshot(
            path=str(
                ARTIFACTS / f"tab{i + 1}-{name.replace(' ', '-').lower()}-{lang}-{viewport['width']}.png"
            )
        )
        result = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[name] = bad
    page.context.close()
    return found


@pytest.mark.parametrize(
    ("lang", "viewport"), [("fr", PHONE), ("en", DESKTOP)], ids=["fr-phone", "en-desktop"]
)
def test_axe_no_serious_violation_on_any_tab(app, browser, lang, viewport):
    assert _axe_tabs(browser, app[0], lang, viewport) == {}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "viewport"), [("fr", DESKTOP), ("en", PHONE)], ids=["fr-desktop", "en-phone"]
)
def test_axe_no_serious_violation_rest_of_the_matrix(app, browser, lang, viewport):
    assert _axe_tabs(browser, app[0], lang, viewport) == {}


def test_search_finder_and_documents_for_their_users(app, browser):
    url, _ = app
    page = open_page(browser, url, "fr", PHONE)
    switch_tab(page, "Recherche")
    page.locator("#cdv-search-box textarea").fill("taux de pauvreté")
    page.locator("#cdv-search-btn").click()
    page.locator("#cdv-results .cdv-count").wait_for(timeout=10_000)
    results = page.locator("#cdv-results").inner_text()
    assert "passages trouvés" in results and "score" not in results
    assert page.locator("#cdv-results mark").count() > 0
    switch_tab(page, "Objectifs")
    page.locator("#cdv-actor input").click()
    options = page.get_by_role("option").all_inner_texts()
    assert "CAF" in options and not any(o[:1].isdigit() for o in options)  # actors, not sentences
    page.get_by_role("option", name="CAF", exact=True).click()
    page.locator("#cdv-crossref td").first.wait_for(timeout=10_000)
    assert "partenaire" in page.locator("#cdv-crossref").inner_text()
    switch_tab(page, "Projet")
    page.locator("#cdv-project textarea").fill("j'anime des ateliers numériques pour les seniors")
    page.locator("#cdv-finder-btn").click()
    first = page.locator("#cdv-finder-out .cdv-fit").first
    first.wait_for(timeout=10_000)
    assert "Correspond bien" in first.inner_text() and "Objectif 15" in first.inner_text()
    assert "À contacter" in first.locator(".cdv-contact").inner_text()
    switch_tab(page, "Documents")
    body = page.locator("body").inner_text()
    assert "CDV_ALLOW_UPLOADS" not in body and "administrateur" not in body  # no admin notes
    page.locator("#cdv-doc-pick input").click()
    page.get_by_role("option", name="Rapport annuel 2018 du Contrat de ville").click()
    page.locator("#cdv-doc-view").get_by_text("Hauts de Chambéry").first.wait_for(timeout=10_000)
    page.context.close()


def test_a_pdf_source_opens_at_its_page_and_nothing_else_is_served(app, browser):
    url, _ = app
    page = open_page(browser, url, "fr", DESKTOP)
    ask(page, "combien de vélos ont été réparés à Bissy en 2023 ?")
    link = page.locator("#cdv-cite-1 a.cdv-open")
    shown = re.search(r"page (\d+)", page.locator("#cdv-cite-1 summary").inner_text())
    assert shown, "a PDF source names its page"
    assert link.get_attribute("href") == f"corpus/bilan-velos-bissy.pdf#page={shown.group(1)}"
    page.locator("#cdv-cite-1 summary").click()
    assert f"page {shown.group(1)}" in link.inner_text()
    pdf = page.request.get(url + "corpus/bilan-velos-bissy.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    text = page.request.get(url + "corpus/rapport-annuel-2018.txt")
    assert text.status == 200 and "Hauts de Chambéry" in text.text()
    for probe in (
        "corpus/manifest.json",
        "corpus/glossaire.json",
        "corpus/../index/CURRENT",
        "corpus/%2e%2e/corpus/manifest.json",
        "corpus//etc/passwd",
        "corpus/",
    ):
        assert page.request.get(url + probe).status in (403, 404), probe
    page.context.close()
