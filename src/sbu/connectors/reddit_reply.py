"""Replying on Reddit: ``POST /api/comment`` as the account a script app signs in as.

Application-only access (no username and password) can read but not comment, so a source
without an account is refused before anything is sent. A reply is never sent twice by sbu: the
request is not retried on network errors or server errors (Reddit may have posted it before
failing); only a token Reddit refused (HTTP 401, nothing posted) is renewed and the reply sent
again. Reddit reports most refusals in the answer's ``json.errors`` (``RATELIMIT``,
``THREAD_LOCKED``, ``DELETED_COMMENT``, ``TOO_OLD``...): they become sentences too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sbu.connectors.api_client import ApiResponse
from sbu.connectors.reddit_config import RedditSourceConfig
from sbu.connectors.reddit_oauth import RedditAuth, refusal_reason
from sbu.core.errors import ConnectorError, InvalidInput, RateLimited, Transient
from sbu.listening.drafts import RawItem

COMMENT_PATH = "/api/comment"
#: Fullnames of what a comment can answer: a post (t3) or a comment (t1).
PARENT = re.compile(r"t[13]_[a-z0-9]{1,16}", re.ASCII)
#: Reddit refuses longer comments.
MAX_REPLY_CHARS = 10_000
_WAIT = re.compile(r"(\d+)\s*(second|minute|hour)", re.IGNORECASE)
_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def post_reply(
    auth: RedditAuth, source: RedditSourceConfig, parent_fullname: str, text: str
) -> RawItem:
    """Post ``text`` under ``parent_fullname``; return the new comment (a ``t1`` thing)."""
    if source.username is None or source.password is None:
        msg = (
            "Replying on Reddit needs an account: give the source the username and password of "
            "the account its script app signs in as (application-only access can only read)."
        )
        raise ConnectorError(msg)
    parent = parent_fullname.strip()
    if not PARENT.fullmatch(parent):
        msg = (
            f"{parent[:40]!r} is not the fullname of a Reddit post or comment: a reply goes "
            "under a post (t3_…) or a comment (t1_…)."
        )
        raise InvalidInput(msg)
    if not text.strip():
        msg = "The reply is empty: write the text to post on Reddit."
        raise InvalidInput(msg)
    if len(text) > MAX_REPLY_CHARS:
        msg = (
            f"The reply is {len(text):,} characters long; Reddit takes at most "
            f"{MAX_REPLY_CHARS:,}: shorten it."
        )
        raise InvalidInput(msg)
    account = f"u/{source.username}"
    with auth.open(
        source.credentials,
        platform=f"Reddit ({account})",
        owner=f"the Reddit account {account}",
        retries=False,
    ) as api:
        try:
            response = api.request(
                "POST",
                COMMENT_PATH,
                data={"api_type": "json", "thing_id": parent, "text": text},
                describe=lambda refused: _refused(refused, account, parent),
            )
        except Transient as exc:
            msg = (
                f"Reddit did not confirm the reply of {account} to {parent} (no answer or a "
                "server error): it may or may not have been posted; look at the thread on "
                "Reddit before sending it again."
            )
            raise Transient(msg) from exc
        answer = response.json()
    return RawItem("reddit", _posted(answer, account, parent), f"reply of {account} to {parent}")


def _posted(answer: Any, account: str, parent: str) -> dict[str, Any]:
    result = answer.get("json") if isinstance(answer, Mapping) else None
    if not isinstance(result, Mapping):
        result = {}
    errors = result.get("errors")
    if isinstance(errors, list) and errors:
        raise _reddit_error(errors[0], result, account, parent)
    data = result.get("data")
    things = data.get("things") if isinstance(data, Mapping) else None
    if isinstance(things, list):
        for thing in things:
            if isinstance(thing, dict) and thing.get("kind") == "t1":
                return thing
    msg = (
        f"Reddit answered the reply of {account} to {parent} without the new comment: look at "
        "the thread on Reddit before sending it again."
    )
    raise ConnectorError(msg)


def _reddit_error(
    error: Any, result: Mapping[str, Any], account: str, parent: str
) -> ConnectorError:
    parts = [str(part) for part in error] if isinstance(error, list) else [str(error)]
    code = parts[0] if parts else "ERROR"
    said = parts[1] if len(parts) > 1 else ""
    if code == "RATELIMIT":
        wait = _wait_seconds(result.get("ratelimit"), said)
        return RateLimited(
            f"Reddit asks {account} to wait before commenting again ({said[:120]}): the reply "
            f"to {parent} was not posted; send it again in {_minutes(wait)}.",
            retry_after=wait,
        )
    return ConnectorError(
        f"Reddit did not post the reply of {account} to {parent} ({code}: {said[:160]}): check "
        "that the post or comment still exists, is not locked or archived, and that the account "
        "may comment in the subreddit."
    )


def _refused(response: ApiResponse, account: str, parent: str) -> str | None:
    reason = refusal_reason(response)
    if response.status == 403:
        return (
            f"Reddit refused the reply of {account} to {parent} (HTTP 403{reason}): the account "
            "may be banned from the subreddit, or the subreddit may be private or restricted."
        )
    if response.status == 404:
        return (
            f"Reddit has no post or comment {parent} to reply to (HTTP 404{reason}): it may "
            "have been deleted."
        )
    return None


def _wait_seconds(ratelimit: Any, said: str) -> float:
    if isinstance(ratelimit, int | float) and not isinstance(ratelimit, bool) and ratelimit > 0:
        return float(ratelimit)
    found = _WAIT.search(said)
    if found is None:
        return 600.0
    return float(int(found.group(1)) * _UNIT_SECONDS[found.group(2).lower()])


def _minutes(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
