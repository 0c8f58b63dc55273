"""Typed settings, read from the environment (prefix ``SBU_``, nested with ``__``).

There is no module-level instance: the composition root (:mod:`sbu.bootstrap`) receives a
:class:`Settings` object and hands the parts each component needs to that component.
Every field here is documented in ``docs/settings.md`` (a test checks it).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The value every secret has until an administrator sets a real one. Accepted only in dev.
PLACEHOLDER_SECRET = "change-me-dev-only"  # noqa: S105 - a placeholder that is refused outside dev


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class DatabaseSettings(BaseModel):
    """Where mentions, sources and everything else are stored."""

    url: str = Field(
        default="sqlite:///var/sbu.db",
        description="SQLAlchemy URL: sqlite:///path/to/file.db or postgresql+psycopg://user@host/db.",
    )
    echo: bool = Field(default=False, description="Log every SQL statement (debugging only).")
    pool_size: int = Field(default=5, ge=1, le=100, description="PostgreSQL connection pool size.")
    sqlite_cache_mb: int = Field(
        default=64, ge=2, le=4096, description="SQLite page cache per connection, in MiB."
    )


class BusSettings(BaseModel):
    """The message bus between the parts of sbu."""

    backend: Literal["memory", "nats"] = Field(
        default="memory", description="memory (one process) or nats (NATS JetStream, scale-out)."
    )
    nats_url: str = Field(default="nats://127.0.0.1:4222", description="NATS server URL.")
    stream: str = Field(default="SBU", description="JetStream stream that holds sbu's subjects.")


class WebSettings(BaseModel):
    """The web server (HTML pages and JSON API)."""

    host: str = Field(default="127.0.0.1", description="Address `sbu serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `sbu serve` listens on.")
    secret_key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET),
        description="Signs cookies. Set a long random value outside dev.",
    )
    page_size: int = Field(default=50, ge=5, le=500, description="Rows per page in lists.")
    default_language: Literal["en", "fr"] = Field(
        default="en", description="UI language when the browser states no preference we speak."
    )


class AuthSettings(BaseModel):
    """Signing in: sessions, lockout, first administrator."""

    session_hours: int = Field(
        default=12, ge=1, le=24 * 30, description="How long a sign-in lasts before asking again."
    )
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Mark cookies Secure: auto (when the request came over https), always, never.",
    )
    max_failed_logins: int = Field(
        default=5, ge=2, le=100, description="Failed sign-ins in a row that lock an email address."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="How long a locked email address stays locked."
    )
    first_admin_email: str = Field(
        default="admin@sbu.local",
        description="Email of the administrator `sbu users ensure-admin` (and `make run`) creates.",
    )


class IngestSettings(BaseModel):
    """How collected items become mentions."""

    batch_size: int = Field(
        default=2000, ge=1, le=100_000, description="Items written per database transaction."
    )
    import_workers: int = Field(
        default=1,
        ge=0,
        le=1,
        description="Worker processes that prepare `sbu import` batches (0: prepare in-process).",
    )
    max_line_bytes: int = Field(
        default=1_000_000,
        ge=1024,
        description="Longest line `sbu import` accepts; longer lines are rejected, not loaded.",
    )
    max_text_chars: int = Field(
        default=100_000,
        ge=100,
        description="Longest post text accepted; longer posts are rejected.",
    )
    duplicate_min_chars: int = Field(
        default=24,
        ge=1,
        description="Texts shorter than this (after normalisation) are never flagged as copies.",
    )
    near_duplicate_similarity: float = Field(
        default=0.8,
        ge=0.5,
        le=1.0,
        description="Word-overlap (Jaccard) from which two texts are near-duplicates.",
    )
    near_duplicate_window_days: int = Field(
        default=14,
        ge=0,
        description="Near-duplicates are looked for among posts created this many days around.",
    )


class FeedSettings(BaseModel):
    """RSS and Atom polling."""

    user_agent: str = Field(
        default="sbu-feed-reader/0.1 (+https://github.com/sbu-platform/sbu)",
        description="User-Agent sent to feed servers.",
    )
    timeout_seconds: float = Field(default=20.0, gt=0, description="HTTP timeout per request.")
    default_poll_seconds: int = Field(
        default=900,
        ge=30,
        description="Poll interval for a new feed source unless it says otherwise.",
    )
    max_bytes: int = Field(
        default=10_000_000, ge=1024, description="Largest feed document accepted, in bytes."
    )


class ConnectorSettings(BaseModel):
    """How platform API clients behave (Mastodon, Reddit, YouTube, Bluesky, X...): the shared
    reliability layer of sbu.connectors.api_client."""

    user_agent: str = Field(
        default="sbu-listening/0.1 (+https://github.com/sbu-platform/sbu)",
        description="User-Agent sent to platform APIs (Reddit asks for a descriptive one).",
    )
    timeout_seconds: float = Field(
        default=20.0, gt=0, description="Timeout of one API request, in seconds."
    )
    attempts: int = Field(
        default=4,
        ge=1,
        le=10,
        description="Tries per request on network errors, timeouts, HTTP 429 and 5xx.",
    )
    backoff_base_seconds: float = Field(
        default=1.0,
        ge=0,
        description="First retry waits up to this long; each next one up to twice as long.",
    )
    backoff_max_seconds: float = Field(
        default=60.0, ge=0, description="Longest wait between two retries, in seconds."
    )
    max_inline_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        description=(
            "A Retry-After or rate-limit reset up to this long is waited for; a longer one "
            "moves the source's next poll instead."
        ),
    )


class CredentialSettings(BaseModel):
    """Encryption at rest of the credentials of sources (tokens, client secrets, passwords)."""

    key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET),
        description=(
            "Encrypts source credentials in the database (32 characters or more). Keep it apart "
            "from database backups; without it stored credentials cannot be read."
        ),
    )
    previous_keys: list[SecretStr] = Field(
        default_factory=list,
        description=(
            "Keys used before, as a JSON list, so credentials saved with them can still be "
            "read while `sbu sources rekey` re-encrypts them with the current key."
        ),
    )


class AlertSettings(BaseModel):
    """Alerts on sick sources: failing, paused, stalled, token about to expire, quota nearly
    used (shown in the app, published on the bus and sent to a webhook)."""

    webhook_url: str | None = Field(
        default=None,
        description="Where alerts are POSTed as JSON (a chat or incident tool's incoming webhook).",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="Signs the alert webhook like sbu's own ingest webhook (X-Sbu-Signature).",
    )
    failures: int = Field(
        default=3, ge=1, le=100, description="Failed polls in a row before a source is failing."
    )
    stall_factor: float = Field(
        default=4.0,
        ge=1,
        description="A source is stalled after this many poll intervals without a success.",
    )
    stall_min_minutes: int = Field(
        default=120, ge=1, description="... and at least this many minutes."
    )
    token_warning_days: int = Field(
        default=7, ge=0, le=90, description="Warn this many days before a token expires."
    )
    quota_warning_ratio: float = Field(
        default=0.9,
        gt=0,
        le=1,
        description="Warn when a source has used this share of its quota or budget.",
    )
    check_seconds: float = Field(
        default=60.0, gt=0, description="How often the scheduler checks the sources' health."
    )


class DemoSettings(BaseModel):
    """The demo scenario (`sbu demo`, `make run`)."""

    seed: int = Field(default=42, description="Seed of the deterministic demo generator.")
    days: int = Field(default=30, ge=1, le=365, description="Days of history `sbu demo` writes.")
    posts: int = Field(
        default=50_000, ge=100, description="Approximate number of posts in the history."
    )
    live_interval_seconds: float = Field(
        default=5.0, gt=0, description="How often the live demo delivers new posts."
    )


class SchedulerSettings(BaseModel):
    """The in-process scheduler that polls sources in `sbu serve`."""

    enabled: bool = Field(default=True, description="Poll due sources from `sbu serve`.")
    tick_seconds: float = Field(default=1.0, gt=0, description="How often due sources are checked.")
    max_concurrent_polls: int = Field(
        default=4, ge=1, le=64, description="Sources polled at the same time, in all."
    )
    max_polls_per_connector: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Sources of one connector (one platform) polled at the same time.",
    )


class EnrichmentSettings(BaseModel):
    """The enrichment pipeline (topic matching) and its background worker."""

    worker: bool = Field(
        default=True,
        description="Run the enrichment worker in `sbu serve` (topic matches of new mentions, re-matching).",
    )
    poll_seconds: float = Field(
        default=2.0,
        gt=0,
        le=3600,
        description="How long the idle worker waits for a new mention before looking again anyway.",
    )
    batch_size: int = Field(
        default=1000, ge=1, le=100_000, description="Mentions each stage processes per transaction."
    )
    rematch_chunk: int = Field(
        default=5000,
        ge=1,
        le=1_000_000,
        description="Mentions a re-match job rewrites per transaction (its progress is saved after each).",
    )


class SearchSettings(BaseModel):
    """Search over history and the preview of draft queries (Listening → Search)."""

    max_candidates: int = Field(
        default=100_000,
        ge=100,
        le=100_000_000,
        description="Candidates one search page or count checks at most; past it the count says 'at least'.",
    )
    preview_max_candidates: int = Field(
        default=200_000,
        ge=100,
        le=100_000_000,
        description="Candidates a preview checks at most; past it counts say 'at least' unless exact in SQL.",
    )
    preview_terms_from: int = Field(
        default=2000,
        ge=100,
        le=10_000_000,
        description="Newest matches a preview counts the co-occurring words in.",
    )
    preview_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days of history a preview covers unless asked otherwise.",
    )


class Settings(BaseSettings):
    """All of sbu's settings. Environment variables: ``SBU_<FIELD>``, ``SBU_<GROUP>__<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix="SBU_",
        env_nested_delimiter="__",
        env_file=None,
        extra="forbid",
    )

    env: Environment = Field(default=Environment.DEV, description="dev, test or prod.")
    data_dir: Path = Field(default=Path("var"), description="Where sbu keeps local files.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Log verbosity."
    )
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    bus: BusSettings = Field(default_factory=BusSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)
    connectors: ConnectorSettings = Field(default_factory=ConnectorSettings)
    credentials: CredentialSettings = Field(default_factory=CredentialSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    demo: DemoSettings = Field(default_factory=DemoSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    enrichment: EnrichmentSettings = Field(default_factory=EnrichmentSettings)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.env is Environment.DEV:
            return self
        secrets = {
            "SBU_WEB__SECRET_KEY": self.web.secret_key,
            "SBU_CREDENTIALS__KEY": self.credentials.key,
        }
        for name, value in secrets.items():
            secret = value.get_secret_value()
            if secret == PLACEHOLDER_SECRET or len(secret) < 32:
                msg = (
                    f"{name} is the development placeholder or shorter than 32 characters, "
                    f"which is refused when SBU_ENV={self.env.value}. Set it to a long random "
                    'value, for example the output of: python -c "import secrets; '
                    'print(secrets.token_urlsafe(48))"'
                )
                raise ValueError(msg)
        return self


def setting_env_names() -> list[str]:
    """Every environment variable a setting can be read from (used by the docs test)."""
    names: list[str] = []
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(f"SBU_{name.upper()}__{sub.upper()}" for sub in annotation.model_fields)
        else:
            names.append(f"SBU_{name.upper()}")
    return names
