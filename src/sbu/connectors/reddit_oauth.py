"""Reddit OAuth2: the access tokens of a source's app, cached and renewed, and the requests
that carry them.

Reddit's API (``https://oauth.reddit.com``) wants a bearer token. A token comes from
``POST https://www.reddit.com/api/v1/access_token`` with HTTP Basic authentication (the app's
client id and secret) and a form: ``grant_type=client_credentials`` (application-only access:
reads public subreddits) or ``grant_type=password`` with ``username`` and ``password`` (a
"script" app acting as the account of one of its developers: can also comment). A token lasts
``expires_in`` seconds (an hour or a day). :class:`RedditAuth` keeps one per set of credentials
in memory, asks for a new one a minute before it expires, and once more when the API answers
401 (a token revoked early).

The same cache keeps Reddit's rate-limit state (the ``X-Ratelimit-*`` headers, read by
:class:`~sbu.connectors.api_client.ApiClient`) per set of credentials: Reddit counts requests per
OAuth client and account, not per poll, so a poll that comes soon after Reddit said "no requests
left for 5 minutes" waits without sending anything.

Reddit answers a wrong client id or secret with HTTP 401, and a wrong username or password with
HTTP 200 and ``{"error": "invalid_grant"}``: both become :class:`~sbu.core.errors.AuthFailed`
with a sentence saying which credential to check. Secrets never appear in messages or logs, and
the cache is keyed by a hash of the credentials.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr

from sbu.connectors.api_client import ApiClient, ApiResponse, Clock, RateLimitState, Sleep
from sbu.connectors.api_connector import utc_now
from sbu.core.errors import AuthFailed, ConnectorError
from sbu.settings import ConnectorSettings

AUTH_BASE_URL = "https://www.reddit.com"
API_BASE_URL = "https://oauth.reddit.com"
TOKEN_PATH = "/api/v1/access_token"  # noqa: S105 (an address, not a secret)
APPS_PAGE = "https://www.reddit.com/prefs/apps"
#: Lifetime assumed when Reddit's answer has no ``expires_in``, in seconds.
DEFAULT_LIFETIME = 3600.0
#: A token is renewed this long before it expires (half its lifetime for very short ones).
RENEW_BEFORE = 60.0

#: Turns an answer Reddit refused (401, 403, 404, other 4xx) into a sentence, or None to keep
#: the generic one of the ApiClient.
Describe = Callable[[ApiResponse], str | None]


@dataclass(frozen=True, slots=True)
class RedditCredentials:
    """A Reddit app's client id and secret, and the account it signs in as (if any)."""

    client_id: str
    client_secret: SecretStr
    username: str | None = None
    password: SecretStr | None = None

    @property
    def signs_in(self) -> bool:
        """Whether the app acts as an account (password grant), which can also comment."""
        return self.username is not None and self.password is not None

    def form(self) -> dict[str, str]:
        if self.username is not None and self.password is not None:
            return {
                "grant_type": "password",
                "username": self.username,
                "password": self.password.get_secret_value(),
            }
        return {"grant_type": "client_credentials"}

    def fingerprint(self, auth_base_url: str) -> str:
        password = self.password.get_secret_value() if self.password is not None else ""
        parts = (
            auth_base_url,
            self.client_id,
            self.client_secret.get_secret_value(),
            self.username or "",
            password,
        )
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass
@dataclass(slots=True)
class _Token:
    value: str = field(repr=False)
    renew_at: datetime


@dataclass
class _Account:
    """What is kept per set of credentials: the token and Reddit's rate-limit state."""

    token: _Token | None = None
    rate_limit: RateLimitState = field(default_factory=RateLimitState)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RedditAuth:
    """Issues, caches and renews the access tokens of Reddit apps, one per set of credentials."""

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        auth_base_url: str = AUTH_BASE_URL,
        api_base_url: str = API_BASE_URL,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.auth_base_url = auth_base_url.rstrip("/")
        self.api_base_url = api_base_url.rstrip("/")
        self.sleep = sleep
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._lock = threading.Lock()

    def open(
        self, credentials: RedditCredentials, *, platform: str, owner: str, retries: bool = True
    ) -> RedditApi:
        """A client of the API for one fetch or one reply; ``platform`` names Reddit and the
        scope in messages ("Reddit (r/bretagne/new)"), ``owner`` the source or account ("the
        source 'Reddit Bretagne'"). Without ``retries`` a failed request is not sent again."""
        key = credentials.fingerprint(self.auth_base_url)
        with self._lock:
            account = self._accounts.setdefault(key, _Account())
        settings = self.settings if retries else self.settings.model_copy(update={"attempts": 1})
        return RedditApi(
            self, credentials, account, platform=platform, owner=owner, settings=settings
        )

    def token(
        self, credentials: RedditCredentials, account: _Account, owner: str, *, renew: bool
    ) -> str:
        with account.lock:
            token = account.token
            if renew or token is None or self.clock() >= token.renew_at:
                account.token = None
                token = self._request_token(credentials, owner)
                account.token = token
            return token.value

    def _request_token(self, credentials: RedditCredentials, owner: str) -> _Token:
        http = ApiClient(
            "Reddit", self.auth_base_url, self.settings, sleep=self.sleep, clock=self.clock
        )
        try:
            response = http.request(
                "POST",
                TOKEN_PATH,
                data=credentials.form(),
                auth=(credentials.client_id, credentials.client_secret.get_secret_value()),
            )
        except AuthFailed as exc:
            refused = http.last_refused
            status = refused.status if refused is not None else 401
            msg = (
                f"Reddit refused the client id and secret of {owner} (HTTP {status}): copy "
                f"them again from the app at {APPS_PAGE} (the id is the string under the "
                "app's name, the secret is next to 'secret') and save them in Settings → "
                "Sources; the source stays paused until then."
            )
            raise AuthFailed(msg) from exc
        finally:
            http.close()
        body = response.json()
        if not isinstance(body, Mapping):
            msg = (
                f"Reddit answered the token request of {owner} with a JSON "
                f"{type(body).__name__} instead of a token: check that the sign-in address "
                "points at https://www.reddit.com."
            )
            raise ConnectorError(msg)
        if body.get("error") is not None:
            raise _grant_refused(owner, str(body["error"]))
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            msg = (
                f"Reddit answered the token request of {owner} without an access token: try "
                f"again later; if it lasts, check the app at {APPS_PAGE}."
            )
            raise ConnectorError(msg)
        lifetime = _lifetime(body.get("expires_in"))
        margin = min(RENEW_BEFORE, lifetime / 2)
        return _Token(value, self.clock() + timedelta(seconds=lifetime - margin))


class RedditApi:
    """Requests to Reddit's API with the account's bearer token: the token is fetched when
    missing or due, and renewed once when Reddit answers 401."""

    def __init__(
        self,
        auth: RedditAuth,
        credentials: RedditCredentials,
        account: _Account,
        *,
        platform: str,
        owner: str,
        settings: ConnectorSettings,
    ) -> None:
        self.owner = owner
        self._auth = auth
        self._credentials = credentials
        self._account = account
        self._token: str | None = None
        self._http = ApiClient(
            platform,
            auth.api_base_url,
            settings,
            headers=self._headers,
            sleep=auth.sleep,
            clock=auth.clock,
            rate_limit=account.rate_limit,
        )

    def __enter__(self) -> RedditApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        describe: Describe | None = None,
    ) -> ApiResponse:
        response = self._send(method, path, params, data, describe, renew=False)
        if response is None:  # the token was refused before it was due: a new one, once
            response = self._send(method, path, params, data, describe, renew=True)
        if response is None:
            msg = (
                f"Reddit refused a new access token of {self.owner} (HTTP 401): the app or the "
                f"account may have been suspended or deleted; check the app at {APPS_PAGE} and "
                "enter its credentials again in Settings → Sources."
            )
            raise AuthFailed(msg)
        return response

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        data: Mapping[str, str] | None,
        describe: Describe | None,
        *,
        renew: bool,
    ) -> ApiResponse | None:
        """The answer, or None when Reddit refused the token (HTTP 401)."""
        self._token = self._auth.token(self._credentials, self._account, self.owner, renew=renew)
        try:
            return self._http.request(method, path, params=params, data=data)
        except ConnectorError as exc:
            refused = self._http.last_refused
            if refused is None:  # rate limits, network, server errors: already a sentence
                raise
            if refused.status == 401:
                return None
            sentence = describe(refused) if describe is not None else None
            if sentence is None:
                raise
            raise type(exc)(sentence) from exc

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"bearer {self._token}"} if self._token else {}


def refusal_reason(response: ApiResponse) -> str:
    """Reddit's short reason for a refusal (``private``, ``quarantined``, ``banned``...), as
    ": private" to put after the status, or "" when the body has none."""
    try:
        body = response.json()
    except ConnectorError:
        return ""
    if not isinstance(body, Mapping):
        return ""
    for key in ("reason", "message"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return f": {value.strip()[:80]}"
    return ""


def _grant_refused(owner: str, error: str) -> ConnectorError:
    if error == "invalid_grant":
        return AuthFailed(
            f"Reddit refused the username or password of {owner} (invalid_grant): check them "
            "by signing in at https://www.reddit.com; the account must be a developer of the "
            "app and must not use two-factor authentication. The source stays paused until "
            "you enter working credentials in Settings → Sources."
        )
    if error in ("unauthorized_client", "unsupported_grant_type"):
        return AuthFailed(
            f"Reddit does not let the app of {owner} sign in this way ({error}): create a "
            f"'script' app at {APPS_PAGE} and enter its client id and secret in Settings → "
            "Sources."
        )
    return ConnectorError(
        f"Reddit refused to give {owner} an access token ({error[:80]}): check the app and the "
        f"credentials at {APPS_PAGE}, then poll the source again."
    )


def _lifetime(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return DEFAULT_LIFETIME
    return float(value)
