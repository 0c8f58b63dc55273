"""Bluesky sessions: signing in with an app password, refreshing, and XRPC calls that carry them.

``com.atproto.server.createSession`` (the handle and an app password) answers an access token
(``accessJwt``, valid for about two hours) and a refresh token (``refreshJwt``, about two
months). Bluesky allows few sign-ins (30 per 5 minutes and 300 a day per account), so
:class:`BlueskySessions` keeps one session per account in memory and renews it with
``com.atproto.server.refreshSession`` when the access token is due, or when a call is answered
``400 ExpiredToken``; only a refused refresh signs in again. The tokens' expiry times are read
from the JWTs' ``exp`` claim (no signature check: the tokens are only sent back to the server
that made them).

Every call goes through the shared :class:`~sbu.connectors.api_client.ApiClient`, which also
reads Bluesky's rate-limit headers.
Passwords and tokens never appear in messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
from pydantic import SecretStr

from sbu.connectors.api_client import ApiClient, ApiResponse, Clock, RateLimitState, Sleep
from sbu.connectors.api_connector import utc_now
from sbu.connectors.bluesky_http import error_detail, error_name
from sbu.core.errors import AuthFailed, ConnectorError
from sbu.settings import ConnectorSettings

CREATE_SESSION = "/xrpc/com.atproto.server.createSession"
REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession"
APP_PASSWORDS = "Settings → Privacy and security → App passwords"
#: An access token is refreshed this long before its ``exp``.
RENEW_BEFORE = timedelta(seconds=60)
#: Errors that mean "this token is no longer good": refresh (or sign in) and try again.
TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
CHECK_SETTINGS = "check the source's settings"

Headers = Callable[[], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class BlueskyAccount:
    """Who signs in: a handle (or DID) and an app password, on a service."""

    handle: str
    app_password: SecretStr
    service: str

    def fingerprint(self) -> str:
        parts = (self.service, self.handle, self.app_password.get_secret_value())
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Session:
    did: str
    handle: str
    access_jwt: str = field(repr=False)
    refresh_jwt: str = field(repr=False)
    access_expires_at: datetime | None
    refresh_expires_at: datetime | None


@dataclass
class _Slot:
    """What is kept per account: its session and Bluesky's rate-limit state."""

    session: Session | None = None
    rate_limit: RateLimitState = field(default_factory=RateLimitState)
    lock: threading.Lock = field(default_factory=threading.Lock)


class BlueskySessions:
    """Signs accounts in and keeps their sessions; opens :class:`Xrpc` clients with them.

    ``base_url`` replaces every account's service (tests, proxies); ``sleep``, ``clock``,
    ``rng`` and ``transport`` go to every :class:`ApiClient`.
    """

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.base_url = base_url.rstrip("/") if base_url else None
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter of retries, not cryptography
        self.transport = transport
        self._slots: dict[str, _Slot] = {}
        self._lock = threading.Lock()

    def open(self, account: BlueskyAccount, owner: str) -> Xrpc:
        """A client of ``account``'s service for one fetch or one reply; ``owner`` names the
        source or the account in messages."""
        with self._lock:
            slot = self._slots.setdefault(account.fingerprint(), _Slot())
        return Xrpc(self, account, slot, owner)

    def client(self, account: BlueskyAccount, slot: _Slot, headers: Headers = dict) -> ApiClient:
        return ApiClient(
            f"Bluesky ({account.service.removeprefix('https://')})",
            self.base_url or account.service,
            self.settings,
            headers=headers,
            transport=self.transport,
            sleep=self.sleep,
            clock=self.clock,
            rng=self.rng,
            rate_limit=slot.rate_limit,
        )

    def session(self, account: BlueskyAccount, slot: _Slot, owner: str, *, stale: str) -> Session:
        """The account's session, renewed when it is due or when it is ``stale`` (the access
        token that was just refused; "" when none was)."""
        with slot.lock:
            current = slot.session
            now = self.clock()
            due = current is not None and (
                current.access_jwt == stale
                or (
                    current.access_expires_at is not None
                    and now >= current.access_expires_at - RENEW_BEFORE
                )
            )
            if current is not None and not due:
                return current
            fresh = self._refresh(account, slot, current, owner) if current is not None else None
            slot.session = fresh or self._create(account, slot, owner)
            return slot.session

    def _create(self, account: BlueskyAccount, slot: _Slot, owner: str) -> Session:
        body = {"identifier": account.handle, "password": account.app_password.get_secret_value()}
        with self.client(account, slot) as http:
            try:
                response = http.request("POST", CREATE_SESSION, json=body)
            except ConnectorError as exc:
                refused = http.last_refused
                if refused is None:
                    raise
                raise _sign_in_refused(account, owner, refused) from exc
        return _session(response, account, owner)

    def _refresh(
        self, account: BlueskyAccount, slot: _Slot, current: Session, owner: str
    ) -> Session | None:
        """A renewed session, or None when the refresh token is no longer accepted."""
        headers = {"Authorization": f"Bearer {current.refresh_jwt}"}
        with self.client(account, slot) as http:
            try:
                response = http.request("POST", REFRESH_SESSION, headers=headers)
            except ConnectorError:
                refused = http.last_refused
                if refused is not None and refused.status in (400, 401):
                    return None  # expired or revoked: sign in again
                raise
        return _session(response, account, owner)


class Xrpc:
    """XRPC calls with an account's session: signed in on first use, renewed once when
    Bluesky answers that the access token expired."""

    def __init__(
        self, sessions: BlueskySessions, account: BlueskyAccount, slot: _Slot, owner: str
    ) -> None:
        self.owner = owner
        self._sessions = sessions
        self._account = account
        self._slot = slot
        self._token = ""
        self.session: Session | None = None
        self.http = sessions.client(account, slot, headers=self._headers)

    def __enter__(self) -> Xrpc:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    @property
    def did(self) -> str:
        return self._session("").did

    def get(self, nsid: str, params: Mapping[str, Any], *, advice: str = CHECK_SETTINGS) -> Any:
        return self.call("GET", nsid, params=params, advice=advice)

    def post(self, nsid: str, body: Mapping[str, Any], *, advice: str = CHECK_SETTINGS) -> Any:
        return self.call("POST", nsid, body=body, advice=advice)

    def call(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        advice: str = CHECK_SETTINGS,
    ) -> Any:
        """The JSON answer of ``nsid``; a refused token is renewed and the call sent again.
        ``advice`` ends the sentence of a refusal (what to do)."""
        stale = ""
        for _ in range(2):
            self._session(stale)
            try:
                response = self.http.request(method, f"/xrpc/{nsid}", params=params, json=body)
            except ConnectorError as exc:
                refused = self.http.last_refused
                if refused is None or (isinstance(exc, AuthFailed) and not _token_error(refused)):
                    raise
                if not stale and _token_error(refused):
                    stale = self._token
                    continue
                msg = (
                    f"{self.http.platform} refused {nsid} (HTTP {refused.status}"
                    f"{error_detail(refused)}): {advice}."
                )
                raise type(exc)(msg) from exc
            return response.json()
        raise AssertionError("unreachable")  # pragma: no cover

    def _session(self, stale: str) -> Session:
        self.session = self._sessions.session(self._account, self._slot, self.owner, stale=stale)
        self._token = self.session.access_jwt
        return self.session

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT as a UTC time, or None when it has none readable."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _session(response: ApiResponse, account: BlueskyAccount, owner: str) -> Session:
    body = response.json()
    values = {
        name: body.get(name) if isinstance(body, dict) else None
        for name in ("did", "handle", "accessJwt", "refreshJwt")
    }
    if not all(isinstance(v, str) and v for v in values.values()):
        msg = (
            f"Bluesky ({account.service}) signed {owner} in without a complete session (did, "
            "handle and tokens): check that the source's service is a Bluesky server (for "
            "example https://bsky.social)."
        )
        raise ConnectorError(msg)
    access, refresh = str(values["accessJwt"]), str(values["refreshJwt"])
    return Session(
        did=str(values["did"]),
        handle=str(values["handle"]),
        access_jwt=access,
        refresh_jwt=refresh,
        access_expires_at=jwt_expiry(access),
        refresh_expires_at=jwt_expiry(refresh),
    )


def _sign_in_refused(account: BlueskyAccount, owner: str, refused: ApiResponse) -> ConnectorError:
    name = error_name(refused)
    where = f"Bluesky ({account.service})"
    if name == "AuthFactorTokenRequired":
        return AuthFailed(
            f"{where} asks {owner} for an emailed sign-in code, which means the account's own "
            f"password was given: create an app password ({APP_PASSWORDS}) and enter it in "
            "Settings → Sources; the source stays paused until then."
        )
    if name in ("AccountTakedown", "AccountDeactivated"):
        return AuthFailed(
            f"{where} says the account {account.handle} of {owner} is suspended or deactivated "
            f"({name}): sign in on bsky.app to see why, or use another account; the source "
            "stays paused until then."
        )
    if refused.status in (401, 403) or name == "AuthenticationRequired":
        return AuthFailed(
            f"{where} refused the handle or app password of {owner} (HTTP {refused.status}"
            f"{': ' + name if name else ''}): check the handle {account.handle}, create a new "
            f"app password ({APP_PASSWORDS}) and enter it in Settings → Sources; the source "
            "stays paused until then."
        )
    return ConnectorError(
        f"{where} could not sign {owner} in (HTTP {refused.status}"
        f"{': ' + name if name else ''}): check that the source's service is the address of "
        "the account's server (https://bsky.social for accounts hosted by Bluesky)."
    )


def _token_error(response: ApiResponse) -> bool:
    return error_name(response) in TOKEN_ERRORS
