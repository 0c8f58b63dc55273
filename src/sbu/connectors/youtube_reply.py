"""Replying on YouTube: ``comments.insert`` as the channel's account, with OAuth 2.0.

An API key can read but not write: a reply needs an access token of the Google account that
owns (or manages) the channel. The source keeps an OAuth client (id and secret, from the Google
Cloud console) and a **refresh token** the account granted once with the
``https://www.googleapis.com/auth/youtube.force-ssl`` scope; for each reply sbu exchanges the
refresh token for an access token at ``https://oauth2.googleapis.com/token`` and posts the
comment with it. Access tokens are not kept.

A reply is never sent twice by sbu: the request is not retried on network or server errors
(YouTube may have posted it before failing). YouTube threads are one level deep: a reply to a
reply (id ``<top-level id>.<reply id>``) is posted under the top-level comment, as YouTube
does. Each reply costs 50 quota units of the key's project; they are not counted in the
source's quota meter (the meter lives in the poll cursor).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from sbu.connectors.api_client import ApiClient, ApiResponse, Clock, Sleep
from sbu.connectors.youtube_client import (
    API_PATH,
    DAILY_QUOTA_REASONS,
    SHORT_LIMIT_REASONS,
    GoogleError,
    google_error,
    refusal,
)
from sbu.connectors.youtube_source import CREDENTIALS_PAGE, YouTubeSourceConfig
from sbu.core.errors import AuthFailed, ConnectorError, InvalidInput, Transient
from sbu.listening.drafts import RawItem
from sbu.settings import ConnectorSettings

TOKEN_BASE_URL = "https://oauth2.googleapis.com"  # noqa: S105 (an address, not a secret)
TOKEN_PATH = "/token"  # noqa: S105 (an address, not a secret)
SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
#: Comment ids: a top-level comment, or a reply (``<top-level id>.<reply id>``).
COMMENT_ID = re.compile(r"([A-Za-z0-9_-]{12,64})(?:\.[A-Za-z0-9_-]{1,64})?", re.ASCII)
VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}", re.ASCII)
#: YouTube refuses longer comments.
MAX_REPLY_CHARS = 10_000


def post_reply(
    settings: ConnectorSettings,
    source: YouTubeSourceConfig,
    parent_comment_id: str,
    text: str,
    *,
    api_base_url: str,
    token_base_url: str,
    sleep: Sleep,
    clock: Clock,
) -> RawItem:
    """Post ``text`` under the comment ``parent_comment_id``; return the new comment."""
    parent = _top_level(parent_comment_id)
    if not text.strip():
        msg = "The reply is empty: write the text to post on YouTube."
        raise InvalidInput(msg)
    if len(text) > MAX_REPLY_CHARS:
        msg = (
            f"The reply is {len(text):,} characters long; YouTube takes at most "
            f"{MAX_REPLY_CHARS:,}: shorten it."
        )
        raise InvalidInput(msg)
    once = settings.model_copy(update={"attempts": 1})
    token = _access_token(settings, source, token_base_url, sleep, clock)  # safe to retry
    http = ApiClient(
        "YouTube",
        api_base_url.rstrip("/"),
        once,
        headers=lambda: {"Authorization": f"Bearer {token}"},
        sleep=sleep,
        clock=clock,
    )
    try:
        response = http.request(
            "POST",
            f"{API_PATH}/comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": parent, "textOriginal": text}},
        )
    except Transient as exc:
        msg = (
            f"YouTube did not confirm the reply to the comment {parent} (no answer or a server "
            "error): it may or may not have been posted; look at the comment on YouTube before "
            "sending it again."
        )
        raise Transient(msg) from exc
    except ConnectorError as exc:
        refused = http.last_refused
        if refused is None:
            raise
        raise _reply_refused(refused.status, google_error(refused), parent, clock()) from exc
    finally:
        http.close()
    answer = response.json()
    if not isinstance(answer, dict) or answer.get("kind") != "youtube#comment":
        msg = (
            f"YouTube answered the reply to the comment {parent} without the new comment: look "
            "at the comment on YouTube before sending it again."
        )
        raise ConnectorError(msg)
    return RawItem("youtube", answer, f"reply to the YouTube comment {parent}")


def _top_level(parent_comment_id: str) -> str:
    parent = parent_comment_id.strip()
    if VIDEO_ID.fullmatch(parent):
        msg = (
            f"{parent!r} is the id of a video: sbu replies under comments only; answer the "
            "person who commented, or comment on the video on YouTube."
        )
        raise InvalidInput(msg)
    found = COMMENT_ID.fullmatch(parent)
    if found is None:
        msg = (
            f"{parent[:80]!r} is not the id of a YouTube comment: a reply goes under a comment "
            "(an id such as UgyKq7nT3vWx9LmZ2pB4AaABAg)."
        )
        raise InvalidInput(msg)
    return found.group(1)


def _access_token(
    settings: ConnectorSettings,
    source: YouTubeSourceConfig,
    token_base_url: str,
    sleep: Sleep,
    clock: Clock,
) -> str:
    if (
        source.oauth_client_id is None
        or source.oauth_client_secret is None
        or source.refresh_token is None
    ):
        msg = (
            "Replying on YouTube needs the channel account's OAuth credentials: give the source "
            "oauth_client_id, oauth_client_secret and refresh_token (see the YouTube connector's "
            "page in the documentation); an API key can only read."
        )
        raise ConnectorError(msg)
    http = ApiClient("Google", token_base_url.rstrip("/"), settings, sleep=sleep, clock=clock)
    try:
        response = http.request(
            "POST",
            TOKEN_PATH,
            data={
                "grant_type": "refresh_token",
                "client_id": source.oauth_client_id,
                "client_secret": source.oauth_client_secret.get_secret_value(),
                "refresh_token": source.refresh_token.get_secret_value(),
            },
        )
    except ConnectorError as exc:
        refused = http.last_refused
        if refused is None:
            raise
        raise _grant_refused(_oauth_error(refused)) from exc
    finally:
        http.close()
    body = response.json()
    value = body.get("access_token") if isinstance(body, Mapping) else None
    if not isinstance(value, str) or not value:
        msg = (
            "Google answered the token request without an access token: try again later; if it "
            "lasts, check the OAuth client at " + CREDENTIALS_PAGE + "."
        )
        raise ConnectorError(msg)
    return value


def _oauth_error(response: ApiResponse) -> str:
    """Google's OAuth error code (``{"error": "invalid_grant", ...}``)."""
    try:
        body = response.json()
    except ConnectorError:
        return "unknown"
    error = body.get("error") if isinstance(body, Mapping) else None
    return error[:60] if isinstance(error, str) else "unknown"


def _grant_refused(error: str) -> ConnectorError:
    if error == "invalid_grant":
        return AuthFailed(
            "Google refused the refresh token of the YouTube source (invalid_grant): it expired "
            "or was revoked (tokens of an OAuth app still in 'Testing' expire after 7 days, and "
            "a password change revokes them); get a new refresh token and save it in Settings → "
            "Sources."
        )
    if error in ("invalid_client", "unauthorized_client"):
        return AuthFailed(
            f"Google refused the OAuth client of the YouTube source ({error}): copy the client "
            f"id and secret again from {CREDENTIALS_PAGE}; the refresh token must have been "
            "issued to that same client."
        )
    return ConnectorError(
        f"Google refused to give the YouTube source an access token ({error}): check the OAuth "
        f"client at {CREDENTIALS_PAGE} and the refresh token, then try again."
    )


def _reply_refused(status: int, error: GoogleError, parent: str, now: datetime) -> ConnectorError:
    reasons = error.reasons
    said = f" ({error.message})" if error.message else ""
    if reasons & (DAILY_QUOTA_REASONS | SHORT_LIMIT_REASONS):
        return refusal(
            status, error, owner="the YouTube source", what=f"reply to {parent}", now=now
        )
    if status == 401 or reasons & {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}:
        return AuthFailed(
            f"YouTube refused the account's access token for the reply to {parent} (HTTP "
            f"{status}{error.detail}): the refresh token must be granted the scope {SCOPE}; get "
            "a new one and save it in Settings → Sources."
        )
    if status == 404 or reasons & {"parentCommentNotFound", "commentNotFound"}:
        return ConnectorError(
            f"YouTube has no comment {parent} to reply to (HTTP {status}{error.detail}): it may "
            "have been deleted or held for review."
        )
    if status == 403:
        return ConnectorError(
            f"YouTube did not let the account reply to {parent} (HTTP {status}{error.detail})"
            f"{said}: comments may be disabled on the video, or the account may not comment there."
        )
    return ConnectorError(
        f"YouTube refused the reply to {parent} (HTTP {status}{error.detail}){said}: the reply "
        "was not posted; check its text (at most 10,000 characters) and send it again."
    )
