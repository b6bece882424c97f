"""Every string the page shows, in French and English, in one place.

Static labels go to the browser through `gr.I18n` (translated there, with Gradio's own
labels, from the page's language); text built on the server (answers' frames, search
results, fiches) reads the same table with the session's language."""

from __future__ import annotations

from typing import Any

LANGS = ("fr", "en")

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Assistant du Contrat de ville — Grand Chambéry",
        "intro": "Questions sur le Contrat de ville de Grand Chambéry : chaque réponse cite ses sources.",
        "skip": "Aller à la question",
        "lang_nav": "Langue",
        "tab_chat": "Question",
        "tab_search": "Recherche",
        "tab_fiches": "Objectifs",
        "tab_finder": "Projet",
        "tab_docs": "Documents",
        "chat_label": "Conversation",
        "chat_empty": "Posez une question ci-dessous, ou choisissez un exemple.",
        "question": "Votre question",
        "placeholder": "Ex. : qui pilote l'objectif 12 ?",
        "send": "Envoyer",
        "simple": "Langage simple",
        "clear": "Nouvelle conversation",
        "sources": "Sources de la dernière réponse",
        "no_sources": "Les sources de la réponse s'affichent ici : cliquez sur [1] dans la réponse pour lire le passage.",
        "examples": "Exemples",
        "examples_staff": "Agents",
        "examples_partners": "Associations",
        "examples_residents": "Habitants",
        "comment": "Un commentaire sur la réponse (facultatif)",
        "send_comment": "Envoyer le commentaire",
        "thanks": "Merci, votre avis est enregistré.",
        "no_answer_yet": "Posez d'abord une question : le commentaire porte sur la dernière réponse.",
        "see_also": "Voir aussi (passages proches, qui ne répondent pas forcément)",
        "see_all": "Voir tout",
        "details": "Détails",
        "in_short": "En bref",
        "page": "page",
        "objective": "Objectif",
        "axis": "Axe",
        "search": "Mots à chercher",
        "search_btn": "Rechercher",
        "doc": "Document",
        "kind": "Type de document",
        "all": "Tous",
        "all_doc": "Tous les documents",
        "all_kind": "Tous les types",
        "all_axis": "Tous les axes",
        "all_objective": "Tous les objectifs",
        "kind_plan": "Plan d'actions",
        "kind_rapport annuel": "Rapport annuel",
        "kind_page web": "Page web",
        "count": "{n} passages trouvés, du plus pertinent au moins pertinent. Passages {a} à {b} :",
        "count_one": "1 passage trouvé :",
        "no_result": "Aucun passage ne correspond à ces mots.",
        "no_result_filter": "Aucun passage avec le filtre « {label} : {value} » : sans ce filtre, {n} passages correspondent.",
        "no_result_filters": "Aucun passage avec ces filtres ensemble ({labels}) : retirez-en un.",
        "prev": "◀ Précédents",
        "next": "Suivants ▶",
        "partner": "Un partenaire ou un pilote",
        "crossref": "Où intervient cet acteur ?",
        "crossref_pick": "Choisissez un acteur pour voir les objectifs où il intervient.",
        "role_lead": "pilote",
        "role_partner": "partenaire",
        "col_objective": "Objectif",
        "col_title": "Intitulé",
        "col_role": "Rôle",
        "leads": "Pilote(s)",
        "partners": "Partenaires",
        "tools": "Outils",
        "actions": "Actions",
        "source_passage": "Passage source",
        "finder_intro": "Décrivez votre projet en quelques phrases : l'assistant indique les objectifs du Contrat de ville "
        "qui lui correspondent, à quel point, et qui contacter.",
        "finder_box": "Votre projet",
        "finder_btn": "Trouver les objectifs",
        "fit_strong": "Correspond bien",
        "fit_partial": "Correspond en partie",
        "fit_none": "Aucun objectif ne correspond bien à cette description. Les plus proches sont indiqués ci-dessous ; "
        "précisez le public, le quartier ou le type d'action.",
        "fit_nothing": "Aucun objectif ne correspond à cette description.",
        "contact": "À contacter",
        "matching_words": "Mots de votre description retrouvés",
        "matching_actions": "Actions proches",
        "docs_intro": "Les documents de l'assistant. Choisissez-en un pour le lire.",
        "doc_pick": "Document à lire",
        "doc_open": "Ouvrir",
        "open_doc": "Ouvrir le document",
        "open_doc_page": "Ouvrir le document à la page {page}",
        "new_tab": "(nouvel onglet)",
        "col_doc": "Document",
        "col_kind": "Type",
        "col_year": "Année",
        "col_passages": "Passages",
        "upload": "Ajouter un PDF (administrateur)",
        "reindex": "Réindexer",
        "upload_refused": "Fichier refusé : {reason}",
        "upload_added": "« {name} » ajouté ; réindexation en cours.",
        "export": "Télécharger les fiches et les tableaux (ODS, CSV)",
        "export_files": "Tableur",
        "upload_renamed": "(un fichier « {wanted} » existait déjà : nouveau nom)",
        "upload_queued": "Il sera indexé dès la fin de la réindexation en cours.",
        "not_ready": "L'index est en cours de construction : réessayez dans quelques secondes.",
        "building": "Construction de l'index",
    },
    "en": {
        "title": "Contrat de ville assistant — Grand Chambéry",
        "intro": "Questions about Grand Chambéry's Contrat de ville: every answer cites its sources.",
        "skip": "Go to the question",
        "lang_nav": "Language",
        "tab_chat": "Ask",
        "tab_search": "Search",
        "tab_fiches": "Objectives",
        "tab_finder": "My project",
        "tab_docs": "Documents",
        "chat_label": "Conversation",
        "chat_empty": "Ask a question below, or pick an example.",
        "question": "Your question",
        "placeholder": "E.g.: who leads objective 12?",
        "send": "Send",
        "simple": "Plain language",
        "clear": "New conversation",
        "sources": "Sources of the last answer",
        "no_sources": "The answer's sources show here: click [1] in the answer to read the passage.",
        "examples": "Examples",
        "examples_staff": "Staff",
        "examples_partners": "Associations",
        "examples_residents": "Residents",
        "comment": "A comment on the answer (optional)",
        "send_comment": "Send comment",
        "thanks": "Thank you, your feedback is saved.",
        "no_answer_yet": "Ask a question first: the comment is about the last answer.",
        "see_also": "See also (nearby passages, which may not answer)",
        "see_all": "See all",
        "details": "Details",
        "in_short": "In short",
        "page": "page",
        "objective": "Objective",
        "axis": "Axis",
        "search": "Words to search",
        "search_btn": "Search",
        "doc": "Document",
        "kind": "Document type",
        "all": "All",
        "all_doc": "All documents",
        "all_kind": "All types",
        "all_axis": "All axes",
        "all_objective": "All objectives",
        "kind_plan": "Action plan",
        "kind_rapport annuel": "Annual report",
        "kind_page web": "Web page",
        "count": "{n} passages found, most relevant first. Passages {a} to {b}:",
        "count_one": "1 passage found:",
        "no_result": "No passage matches these words.",
        "no_result_filter": "No passage with the filter “{label}: {value}”: without it, {n} passages match.",
        "no_result_filters": "No passage with these filters together ({labels}): remove one.",
        "prev": "◀ Previous",
        "next": "Next ▶",
        "partner": "A partner or lead",
        "crossref": "Where does this actor take part?",
        "crossref_pick": "Pick an actor to see the objectives they take part in.",
        "role_lead": "lead",
        "role_partner": "partner",
        "col_objective": "Objective",
        "col_title": "Title",
        "col_role": "Role",
        "leads": "Lead(s)",
        "partners": "Partners",
        "tools": "Tools",
        "actions": "Actions",
        "source_passage": "Source passage",
        "finder_intro": "Describe your project in a few sentences: the assistant shows which objectives of the "
        "Contrat de ville it fits, how well, and whom to contact.",
        "finder_box": "Your project",
        "finder_btn": "Find objectives",
        "fit_strong": "Good fit",
        "fit_partial": "Partial fit",
        "fit_none": "No objective fits this description well. The closest ones are below; "
        "say more about the people, the neighbourhood or the kind of action.",
        "fit_nothing": "No objective fits this description.",
        "contact": "Whom to contact",
        "matching_words": "Words of your description found",
        "matching_actions": "Related actions",
        "docs_intro": "The assistant's documents. Pick one to read it.",
        "doc_pick": "Document to read",
        "doc_open": "Open",
        "open_doc": "Open the document",
        "open_doc_page": "Open the document at page {page}",
        "new_tab": "(new tab)",
        "col_doc": "Document",
        "col_kind": "Type",
        "col_year": "Year",
        "col_passages": "Passages",
        "upload": "Add a PDF (administrator)",
        "reindex": "Re-index",
        "upload_refused": "File refused: {reason}",
        "upload_added": "“{name}” added; re-indexing.",
        "export": "Download the fiches and tables (ODS, CSV)",
        "export_files": "Spreadsheet",
        "upload_renamed": "(a file “{wanted}” already existed: new name)",
        "upload_queued": "It will be indexed when the current re-indexing ends.",
        "not_ready": "The index is being built: please try again in a few seconds.",
        "building": "Building the index",
    },
}

# Example questions per audience, in the page's language (the documents are French;
# English questions get French terms on the lexical side).
EXAMPLES: dict[str, dict[str, list[str]]] = {
    "fr": {
        "staff": ["qui pilote l'objectif 12 ?", "quels partenaires pour la GUP ?"],
        "partners": [
            "j'anime des ateliers numériques pour les seniors",
            "Notre association organise des cafés parents : quel objectif correspond ?",
        ],
        "residents": ["taux de pauvrete hauts de chambery", "c'est quoi un QPV ?"],
    },
    "en": {
        "staff": ["who leads objective 12?", "which partners for objective 2?"],
        "partners": ["digital workshops for senior citizens", "what are the actions of objective 15?"],
        "residents": ["poverty rate in Hauts de Chambéry", "what is a QPV?"],
    },
}


# the example questions are static labels too: one key per button
for _lg, _by in EXAMPLES.items():
    for _aud, _qs in _by.items():
        for _i, _q in enumerate(_qs):
            TEXT[_lg][f"ex_{_aud}_{_i}"] = _q


def tr(lang: str, key: str, **values: Any) -> str:
    text = TEXT.get(lang, TEXT["fr"]).get(key) or TEXT["fr"][key]
    return text.format(**values) if values else text


def lang_of(value: str | None) -> str:
    return value if value in LANGS else "fr"


def gradio_i18n() -> Any:
    """The same table for the browser: labels given as I18N(key) are translated there."""
    import gradio as gr

    return gr.I18n(**TEXT)


def key(name: str) -> Any:
    """A static label, translated in the browser (see gradio_i18n)."""
    from gradio.i18n import I18nData

    return I18nData(name)
