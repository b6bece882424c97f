from pathlib import Path

import pytest

from assistant.ingest import IngestError, read_corpus, read_document
from assistant.textclean import clean_document, sanitize, unbreak

from .pdfgen import make_pdf


def test_pdf_pages_keep_their_numbers(tmp_path: Path):
    pdf = tmp_path / "rapport-2020.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                "Bilan 2020\nLe jardin partagé a réuni 40 familles.",
                "Page deux\nLa médiation de nuit continue.",
            ]
        )
    )
    doc = read_document(pdf)
    assert "jardin partagé" in doc.text
    assert doc.page_at(doc.text.index("médiation")) == 2
    assert doc.page_at(doc.text.index("jardin")) == 1
    assert doc.meta.year == 2020


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("vide.pdf", b"", "fichier vide"),
        ("faux.pdf", b"ceci n'est pas un PDF" * 20, "PDF illisible"),
        ("tronque.pdf", make_pdf(["Un texte"])[:120], "PDF illisible"),
        ("image.pdf", make_pdf([""]), "OCR nécessaire"),
    ],
)
def test_unreadable_files_get_a_clear_reason(tmp_path: Path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as err:
        read_document(path)
    assert err.value.source == name
    assert reason in err.value.reason


def test_a_broken_file_is_skipped_and_the_others_are_read(tmp_path: Path):
    (tmp_path / "bon.txt").write_text("Un document lisible.\n", encoding="utf-8")
    (tmp_path / "casse.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "notes.docx").write_bytes(b"PK")  # unsupported: not even listed
    docs, errors = read_corpus(tmp_path)
    assert [d.source for d in docs] == ["bon.txt"]
    assert [e.source for e in errors] == ["casse.pdf"]


def test_clean_document_removes_markup_noise_but_keeps_lines():
    raw = "Titre\n\n**Grand Chambéry** (32%)\n<p>Renouvellement :</p> <ul><li>Impliquer</li><li>Articuler</li></ul>\n---\t---\n1^{er} semestre\n-\n"
    out = clean_document(raw)
    assert "**" not in out and "<p>" not in out and "---" not in out
    assert "Grand Chambéry (32%)" in out
    assert "- Impliquer\n- Articuler" in out
    assert "1er semestre" in out
    assert out.split("\n")[1] == ""  # blank lines are structure: kept


def test_sanitize_drops_controls_surrogates_and_invisible_text():
    assert sanitize("a\x00b\x07c\ud800d\u200be") == "abcde"


def test_unbreak_joins_broken_sentences_only():
    lines = [
        "La part de personnes est moins",
        "représentée dans les quartiers.",
        "- Une puce",
        "- Une autre puce qui",
        "continue ici",
    ]
    assert unbreak(lines) == (
        "La part de personnes est moins représentée dans les quartiers.\n- Une puce\n- Une autre puce qui continue ici"
    )


def test_note_marks_are_kept_and_unpaired_bold_markers_dropped():
    text = "\tA\tTaux de pauvreté**\n** part de la population\nun **mot** et **demi"
    assert clean_document(text).split("\n") == [
        "\tA\tTaux de pauvreté**",
        "** part de la population",
        "un mot et demi",
    ]
    # a note stays on its own line, never glued to the line above
    assert unbreak(["*Médiane du revenu disponible", "** part de la population"]).count("\n") == 1
