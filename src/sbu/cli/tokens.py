"""`sbu token`: personal API tokens for the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from sbu.cli.base import application, cli, cli_actor, console, fail, new_table, print_secret, when
from sbu.org import api_tokens
from sbu.org.queries import find_member, tokens_of
from sbu.org.services import DEFAULT_TOKEN_DAYS
from sbu.org.tokens import SCOPES

token_cli = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
cli.add_typer(token_cli, name="token")


@token_cli.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The member the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What it is for, e.g. 'BI export'.")],
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help=f"{', '.join(SCOPES)}; repeat for several."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            help=f"Days before it expires (default {DEFAULT_TOKEN_DAYS}; 0 = never, admins only).",
        ),
    ] = None,
) -> None:
    """Create a token and print it once: only its hash is stored."""
    if not scope:
        fail(f"Give the token at least one --scope among {', '.join(SCOPES)}.", 2)
    with application() as app:
        with app.db.session() as session:
            member = find_member(session, email)
        token, value = api_tokens.create_token(
            app.db, app.clock, cli_actor(), member.id, name=name, scopes=scope, days=days
        )
        expiry = f"expires {when(token.expires_at)}" if token.expires_at else "never expires"
        console.print(
            f"Created the API token {token.id} '{escape(token.name)}' for {member.email} "
            f"({', '.join(token.scopes)}; {expiry})."
        )
        print_secret("", value)
        console.print(
            "Copy it now: it will not be shown again. Send it as 'Authorization: Bearer <token>'."
        )


@token_cli.command("list")
def token_list(
    email: Annotated[
        str | None, typer.Argument(help="Only this member's tokens (default: everyone's).")
    ] = None,
) -> None:
    """List tokens, newest first: never their value, only its first characters."""
    with application() as app, app.db.session() as session:
        member_id = find_member(session, email).id if email else None
        rows = tokens_of(session, member_id)
        if not rows:
            console.print("There are no API tokens: create one with `sbu token create`.")
            return
        now = app.clock.now()
        table = new_table("Id", "Member", "Name", "Starts with", "Scopes", "Created", "Expires",
                      "Last used", "State")  # fmt: skip
        for token, owner in rows:
            state = (
                "revoked"
                if token.revoked_at is not None
                else "expired"
                if token.expires_at is not None and token.expires_at <= now
                else "active"
            )
            table.add_row(str(token.id), escape(owner), escape(token.name), f"{token.prefix}…",
                          ", ".join(token.scopes), when(token.created_at),
                          when(token.expires_at, "never"), when(token.last_used_at, "never"),
                          state)  # fmt: skip
        console.print(table)


@token_cli.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token: requests with it are refused from now on."""
    with application() as app:
        token = api_tokens.revoke_token(app.db, app.clock, cli_actor(), token_id)
        console.print(
            f"Revoked the API token {token.id} '{escape(token.name)}' "
            f"(revoked {when(token.revoked_at)}): requests with it are refused from now on."
        )
