"""Web app: settings -> Assistant -> Gradio UI. `python app.py --help`."""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.assistant import Assistant
from assistant.cli import _progress_bar
from assistant.config import load_settings, settings_error


def main() -> None:
    p = argparse.ArgumentParser(description="Assistant du Contrat de ville : interface web (Gradio).")
    p.add_argument("--host", help="adresse d'écoute (défaut 127.0.0.1, réglage CDV_HOST)")
    p.add_argument("--port", type=int, help="port (défaut 7860, réglage CDV_PORT)")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    try:
        settings = load_settings(**overrides)
    except ValueError as exc:  # pydantic's ValidationError: refuse to start, say what to fix
        print(settings_error(exc), file=sys.stderr)
        sys.exit(2)
    # Gradio takes five seconds to import: not before --help or a refused setting.
    from assistant.ui import IndexingStatus, launch, start_indexing

    assistant = Assistant(settings)
    status = IndexingStatus()
    if assistant.store.current_generation() is None:
        # first start: build in the background, progress in this terminal and on the page
        start_indexing(assistant, status, also=_progress_bar())
    else:
        assistant.warm_up()
    print(f"Assistant prêt sur http://{assistant.settings.host}:{assistant.settings.port}", file=sys.stderr)
    launch(assistant, status)


if __name__ == "__main__":
    main()
