"""`sbu db`: create or migrate the database schema."""

from __future__ import annotations

import typer

from sbu.cli.base import application, cli, console

db_cli = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    from sbu.db.migrate import current_revision, head_revision, upgrade

    with application(migrated=False) as app:
        before = current_revision(app.db)
        upgrade(app.db)
        after = current_revision(app.db)
        url = app.db.url.render_as_string(hide_password=True)
        if before == after:
            console.print(f"The database {url} is up to date (revision {after}).")
        else:
            console.print(
                f"Migrated {url} from {before or 'empty'} to {after} (head {head_revision(app.db)})."
            )


@db_cli.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    from sbu.db.migrate import current_revision, head_revision

    with application(migrated=False) as app:
        current, head = current_revision(app.db), head_revision(app.db)
        state = "up to date" if current == head else f"behind head {head}: run `sbu db upgrade`"
        console.print(f"Revision {current or 'none (empty database)'}, {state}.")
