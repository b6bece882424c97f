"""Answers read from the parsed fiche records (exact and complete), each citing the
card or action passage where the field is written."""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Chunk, Fiche
from ..textnorm import fold
from .citations import CitationList
from .membership import Membership, Mention
from .understand import A_DEVELOPPER, ACTIONS, AXIS, EN_COURS, PARTNERS, PILOTS, TITLE, TOOLS, Question


def join_names(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    last = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def quote(text: str, lang: str) -> str:
    return f"« {text} »" if lang == "fr" else f"“{text}”"


class FicheAnswers:
    def __init__(self, fiches: Sequence[Fiche], chunks: Sequence[Chunk]) -> None:
        self.by_number: dict[int, Fiche] = {}
        for f in fiches:
            self.by_number.setdefault(f.number, f)
        self.cards: dict[int, Chunk] = {}
        self.action_chunks: dict[int, list[Chunk]] = {}
        sources = {f.number: f.source for f in fiches}
        for c in chunks:
            if c.objective is None or sources.get(c.objective) != c.source:
                continue
            if c.chunk_type == "fiche":
                self.cards.setdefault(c.objective, c)
            elif c.chunk_type == "actions":
                self.action_chunks.setdefault(c.objective, []).append(c)

    def name(self, f: Fiche, lang: str) -> str:
        if lang == "fr":
            return f"l’objectif {f.number} {quote(f.title, lang)}"
        # the plan's own label beside the English one, to find the fiche in the French document
        return f"objective {f.number} (« Objectif {f.number} ») {quote(f.title, lang)}"

    def _cite_card(self, f: Fiche, field: str, cites: CitationList) -> str:
        card = self.cards.get(f.number)
        if card is None:
            return ""
        return " " + cites.cite(card, card.spans.get(field))

    def _action_chunk(self, f: Fiche, i: int) -> Chunk | None:
        """The passage that holds action `i` of fiche `f`."""
        return next((c for c in self.action_chunks.get(f.number, []) if f"action:{i}" in c.spans), None)

    def _cite_action(self, f: Fiche, i: int, cites: CitationList) -> str:
        chunk = self._action_chunk(f, i)
        return f" {cites.cite(chunk, chunk.spans[f'action:{i}'])}" if chunk else ""

    # --- one fiche, some fields ------------------------------------------------------

    def _unread(self, f: Fiche, what: str, lang: str, cites: CitationList) -> str:
        """Never an empty answer for a field the reader could not read."""
        mark = self._cite_card(f, "title", cites)
        if lang == "fr":
            return f"Le champ « {what} » de l’objectif {f.number} n’a pas pu être lu dans le document, voir{mark}."
        return f"The “{what}” field of objective {f.number} could not be read from the document, see{mark}."

    def fields(self, q: Question, f: Fiche, cites: CitationList) -> str:
        lang = q.lang
        fr = lang == "fr"
        parts: list[str] = []
        name = self.name(f, lang)
        cap = name[0].upper() + name[1:]
        for field in q.fields or (TITLE,):
            if field == PILOTS:
                if not f.pilots:
                    # every fiche names its pilot: an empty one was not read (a PDF layout), not absent
                    parts.append(self._unread(f, "pilote" if fr else "lead", lang, cites))
                    continue
                verb = "est piloté par" if fr else "is led by"
                parts.append(
                    f"{cap} {verb} {join_names(f.pilots, lang)}{self._cite_card(f, 'pilots', cites)}."
                )
            elif field == PARTNERS:
                label = f"Partenaires de {name}" if fr else f"Partners of {name}"
                if f.partners:
                    parts.append(f"{label} : {', '.join(f.partners)}{self._cite_card(f, 'partners', cites)}.")
                elif f.spans.get("partners"):
                    # the label is in the document but nothing was read after it
                    parts.append(self._unread(f, "partenaires" if fr else "partners", lang, cites))
                else:
                    none = "La fiche ne cite pas de partenaires" if fr else "The fiche lists no partners"
                    parts.append(f"{none}{self._cite_card(f, 'title', cites)}.")
            elif field == TOOLS:
                if f.tools:
                    label = f"Outils d'interventions de {name}" if fr else f"Intervention tools of {name}"
                    parts.append(f"{label} : {' ; '.join(f.tools)}{self._cite_card(f, 'tools', cites)}.")
                else:
                    # no « Outils » block, but an action may name the tools (objective 4: « Utiliser
                    # les outils mobilisables suivants … (ateliers sociolinguistiques, …) »)
                    naming = [(i, a) for i, a in enumerate(f.actions) if "outil" in fold(a.text)]
                    if naming:
                        none = (
                            f"La fiche de {name} n'a pas de rubrique « Outils d'interventions » ; ses actions en citent"
                            if fr
                            else f"The fiche of {name} has no “Outils d'interventions” section; its actions name some"
                        )
                        parts.append(f"{none}{self._cite_card(f, 'title', cites)}{' :' if fr else ':'}")
                        parts += [f"- {a.text}{self._cite_action(f, i, cites)}" for i, a in naming]
                        continue
                    none = (
                        f"La fiche de {name} ne mentionne pas d'outils d'interventions"
                        if fr
                        else f"The fiche of {name} lists no intervention tools"
                    )
                    parts.append(f"{none}{self._cite_card(f, 'title', cites)}.")
            elif field == AXIS:
                sub = ""
                if f.sub_theme:
                    sub = f" (sous-thème : {f.sub_theme})" if fr else f" (sub-theme: {f.sub_theme})"
                verb = "relève de l'axe" if fr else "belongs to axis"
                label = "" if fr else f" (« Axe {f.axis} »)"  # the plan's own label, for English readers
                parts.append(
                    f"{cap} {verb} {f.axis}{label} {quote(f.axis_title or '', lang)}{sub}{self._cite_card(f, 'axis', cites)}."
                )
            elif field == ACTIONS:
                parts.append(self.actions(f, q.status, lang, cites))
            elif field == TITLE:
                verb = "s'intitule" if fr else "is"
                label = f"L'objectif {f.number}" if fr else f"Objective {f.number}"
                parts.append(f"{label} {verb} {quote(f.title, lang)}{self._cite_card(f, 'title', cites)}.")
        return "\n".join(parts)

    def actions(self, f: Fiche, status: str | None, lang: str, cites: CitationList) -> str:
        fr = lang == "fr"
        wanted = [(i, a) for i, a in enumerate(f.actions) if status is None or a.status == status]
        label = {
            EN_COURS: "en cours" if fr else "under way",
            A_DEVELOPPER: "à développer" if fr else "to be developed",
        }
        head = (
            (
                f"Actions {label[status]} de {self.name(f, lang)}"
                if fr
                else f"Actions {label[status]} of {self.name(f, lang)}"
            )
            if status
            else (f"Actions de {self.name(f, lang)}" if fr else f"Actions of {self.name(f, lang)}")
        )
        if not wanted:
            none = "La fiche ne liste pas d'actions de ce type" if fr else "The fiche lists no such actions"
            return f"{none}{self._cite_card(f, 'title', cites)}."
        lines = [f"{head} :"]
        for i, a in wanted:
            chunk = self._action_chunk(f, i)
            mark = f" {cites.cite(chunk, self._actions_span(chunk, wanted))}" if chunk else ""
            tag = f" ({label[a.status]})" if status is None and a.status else ""
            lines.append(f"- {a.text}{tag}{mark}")
        return "\n".join(lines)

    @staticmethod
    def _actions_span(chunk: Chunk, wanted: Sequence[tuple[int, object]]) -> tuple[int, int] | None:
        spans = [chunk.spans[f"action:{i}"] for i, _ in wanted if f"action:{i}" in chunk.spans]
        return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None

    def summary(self, q: Question, f: Fiche, cites: CitationList) -> str:
        fr = q.lang == "fr"
        n_cours = sum(a.status == EN_COURS for a in f.actions)
        n_dev = sum(a.status == A_DEVELOPPER for a in f.actions)
        cap = self.name(f, q.lang)
        cap = cap[0].upper() + cap[1:]
        lines = [
            f"{cap}{self._cite_card(f, 'title', cites)}",
            (f"Axe {f.axis} : {f.axis_title}" if fr else f"Axis {f.axis}: {f.axis_title}")
            + (f" ({f.sub_theme})" if f.sub_theme else ""),
            (
                f"Pilote(s) : {join_names(f.pilots, q.lang)}"
                if fr
                else f"Lead(s): {join_names(f.pilots, q.lang)}"
            ),
            (f"Partenaires : {', '.join(f.partners)}" if fr else f"Partners: {', '.join(f.partners)}"),
        ]
        if f.tools:
            lines.append(
                f"Outils d'interventions : {' ; '.join(f.tools)}" if fr else f"Tools: {' ; '.join(f.tools)}"
            )
        lines.append(
            f"{len(f.actions)} actions ({n_cours} en cours, {n_dev} à développer)"
            if fr
            else f"{len(f.actions)} actions ({n_cours} under way, {n_dev} to be developed)"
        )
        return "\n".join(lines)

    # --- across fiches -----------------------------------------------------------------

    def list_axes(self, q: Question, cites: CitationList) -> str:
        fr = q.lang == "fr"
        by_axis: dict[int, list[Fiche]] = {}
        for f in self.by_number.values():
            if f.axis is not None:
                by_axis.setdefault(f.axis, []).append(f)
        head = (
            f"Le plan d'actions compte {len(by_axis)} axes stratégiques :"
            if fr
            else f"The action plan has {len(by_axis)} strategic axes:"
        )
        lines = [head]
        for axis in sorted(by_axis):
            fs = sorted(by_axis[axis], key=lambda x: x.number)
            nums = ", ".join(str(x.number) for x in fs)
            objs = f"objectifs {nums}" if fr else f"objectives {nums}"
            lines.append(f"{axis}. {fs[0].axis_title} ({objs}){self._cite_card(fs[0], 'axis', cites)}")
        return "\n".join(lines)

    def list_objectives(self, q: Question, cites: CitationList) -> str:
        fr = q.lang == "fr"
        fiches = sorted(self.by_number.values(), key=lambda x: x.number)
        if q.axes:
            fiches = [f for f in fiches if f.axis in q.axes]
            if not fiches:
                return ""
            title = fiches[0].axis_title or ""
            head = (
                f"Objectifs de l'axe {fiches[0].axis} {quote(title, 'fr')} :"
                if fr
                else f"Objectives of axis {fiches[0].axis} {quote(title, 'en')}:"
            )
        else:
            head = (
                f"Les {len(fiches)} objectifs opérationnels :"
                if fr
                else f"The {len(fiches)} operational objectives:"
            )
        lines = [head] + [f"- {f.number}. {f.title}{self._cite_card(f, 'title', cites)}" for f in fiches]
        return "\n".join(lines)

    def organisation(self, q: Question, cites: CitationList) -> str:
        """Every objective where an organisation is pilot or partner."""
        words = q.topic.split()
        if not words:
            return ""

        def mentions(item: str) -> bool:
            folded = f" {' '.join(fold(item).replace(chr(39), ' ').split())} "
            return all(f" {w} " in folded for w in words)

        roles = [r for r in (PILOTS, PARTNERS) if r in q.fields] or [PILOTS, PARTNERS]
        fr = q.lang == "fr"
        lines: list[str] = []
        for role in roles:
            hits = [
                f
                for f in sorted(self.by_number.values(), key=lambda x: x.number)
                if any(mentions(x) for x in (f.pilots if role == PILOTS else f.partners))
            ]
            label = (
                {PILOTS: "Pilote", PARTNERS: "Partenaire"} if fr else {PILOTS: "Lead", PARTNERS: "Partner"}
            )[role]
            for f in hits:
                lines.append(
                    f"- {label} : {self.name(f, q.lang)}{self._cite_card(f, 'pilots' if role == PILOTS else 'partners', cites)}"
                )
        if not lines:
            return ""
        who = q.topic.upper() if len(q.topic) <= 5 else q.topic
        head = f"« {who} » dans les fiches-actions :" if fr else f"“{who}” in the action sheets:"
        return "\n".join([head, *lines])

    def mentions(self, q: Question, name: str, found: Sequence[Mention], cites: CitationList) -> str:
        """Every fiche that names an organisation or a place: its role there, the actions
        that name it, each cited."""
        fr = q.lang == "fr"
        role_label = (
            {"pilots": "pilote", "partners": "partenaire", "tools": "outil"}
            if fr
            else {"pilots": "lead", "partners": "partner", "tools": "tool"}
        )
        who = name.upper() if len(name) <= 5 else name
        n = len(found)
        if fr:
            head = f"« {who} » apparaît dans {n} fiche{'s' if n > 1 else ''} du plan d’actions :"
        else:
            head = f"“{who}” appears in {n} action sheet{'s' if n > 1 else ''} of the plan:"
        lines = [head]
        for m in found:
            f = m.fiche
            bits = [f"{role_label[r]}{self._cite_card(f, r, cites)}" for r in m.roles]
            line = f"- {self.name(f, q.lang)}" + (f" : {', '.join(bits)}" if bits else "")
            lines.append(line)
            for role, item in m.items:
                lines.append(f"  - {role_label[role].capitalize()} : {item}{self._cite_card(f, role, cites)}")
            for i in m.actions:
                lines.append(f"  - {f.actions[i].text}{self._cite_action(f, i, cites)}")
        return "\n".join(lines)

    def membership(
        self,
        q: Question,
        f: Fiche,
        found: Sequence[Membership],
        cites: CitationList,
        shown: Sequence[str] = (),
    ) -> str:
        """Yes or no for each organisation asked, from the fiche's own lists, then the lists
        (`shown`: fields another part's answer already gives)."""
        fr = q.lang == "fr"
        name = self.name(f, q.lang)
        role_fr = {"pilots": "les pilotes", "partners": "les partenaires"}
        role_en = {"pilots": "the leads", "partners": "the partners"}
        yes = [m for m in found if m.role]
        no = [m for m in found if not m.role]
        lines = []
        for role in ("pilots", "partners"):
            named = [m.name for m in yes if m.role == role]
            if named:
                mark = self._cite_card(f, role, cites)
                lines.append(
                    f"Oui : {join_names(named, 'fr')} {'figure' if len(named) == 1 else 'figurent'} parmi "
                    f"{role_fr[role]} de {name}{mark}."
                    if fr
                    else f"Yes: {join_names(named, 'en')} {'is' if len(named) == 1 else 'are'} among "
                    f"{role_en[role]} of {name}{mark}."
                )
        for m in no:
            where = join_names([str(n) for n in m.elsewhere], q.lang)
            other = ""
            if m.elsewhere and fr:
                plural = len(m.elsewhere) > 1
                other = f" ; {'les fiches le citent pour les objectifs' if plural else 'la fiche le cite pour l’objectif'} {where}"
            elif m.elsewhere:
                other = f"; it is listed for objective{'s' if len(m.elsewhere) > 1 else ''} {where}"
            lines.append(
                f"Non : {m.name} ne figure pas parmi les pilotes et partenaires de {name}{other}."
                if fr
                else f"No: {m.name} is not among the leads and partners of {name}{other}."
            )
        if (
            f.pilots
            and "pilots" not in shown
            and (any(m.role == "pilots" for m in yes) or "pilots" in q.fields)
        ):
            # « c'est qui les pilotes ? il me semble que l'IEN en fait partie »: the list the
            # yes is about, whole
            label = "Pilotes :" if fr else "Leads:"
            lines.append(f"{label} {', '.join(f.pilots)}{self._cite_card(f, 'pilots', cites)}.")
        if f.partners:
            label = "Partenaires :" if fr else "Partners:"
            lines.append(f"{label} {', '.join(f.partners)}{self._cite_card(f, 'partners', cites)}.")
        return "\n".join(lines)

    def finder(
        self, q: Question, ranked: Sequence[tuple[Fiche, Sequence[int], bool]], cites: CitationList
    ) -> str:
        """The objectives a project fits, best first, each marked as a good or a partial fit
        (the finder's calibrated probability), with its closest actions and whom to contact."""
        fr = q.lang == "fr"
        if any(strong for *_, strong in ranked):
            head = (
                "Objectifs qui correspondent à votre projet :" if fr else "Objectives that fit your project:"
            )
        else:
            head = (
                "Aucun objectif ne correspond bien ; les plus proches :"
                if fr
                else "No objective fits well; the closest ones:"
            )
        blocks = [head]
        for rank, (f, action_ids, strong) in enumerate(ranked, 1):
            cap = self.name(f, q.lang)
            cap = cap[0].upper() + cap[1:]
            axis = f" (axe {f.axis})" if fr else f" (axis {f.axis}, « Axe {f.axis} »)"
            fit = (
                ("correspond bien" if strong else "correspond en partie")
                if fr
                else ("good fit" if strong else "partial fit")
            )
            block = [f"{rank}. {cap}{axis}{self._cite_card(f, 'title', cites)} — {fit}"]
            if action_ids:
                block.append("   Actions proches :" if fr else "   Related actions:")
                for i in action_ids:
                    block.append(f"   - {f.actions[i].text}{self._cite_action(f, i, cites)}")
            who = "Pilote(s) à contacter" if fr else "Lead(s) to contact"
            block.append(
                f"   {who}{' :' if fr else ':'} {join_names(f.pilots, q.lang)}{self._cite_card(f, 'pilots', cites)}"
            )
            blocks.append("\n".join(block))
        return "\n\n".join(blocks)
