"""`sbu departments`: the teams of the company."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from sbu.cli.base import application, cli, cli_actor, console, new_table
from sbu.org import services
from sbu.org.queries import find_department, list_departments
from sbu.org.roles import DEPARTMENT_KINDS

departments_cli = typer.Typer(help="List and add departments.", no_args_is_help=True)
cli.add_typer(departments_cli, name="departments")

KINDS = ", ".join(DEPARTMENT_KINDS)


@departments_cli.command("list")
def departments_list() -> None:
    """List the departments with their headcounts and number of members."""
    with application() as app, app.db.session() as session:
        rows = list_departments(session)
        if not rows:
            console.print("There are no departments yet: add one with `sbu departments add`.")
            return
        table = new_table("Id", "Name", "Kind", "Parent", "Headcount", "Customer-facing",
                      "Members", "Time zone", "Active")  # fmt: skip
        for row in rows:
            d = row.department
            table.add_row(str(d.id), escape(d.name), d.kind, escape(row.parent_name or "-"),
                          str(d.headcount), str(d.customer_facing_headcount), str(row.members),
                          d.timezone, "yes" if d.active else "no")  # fmt: skip
        console.print(table)


@departments_cli.command("add")
def departments_add(
    name: Annotated[str, typer.Argument(help="A unique name, e.g. 'Service client'.")],
    kind: Annotated[str, typer.Option("--kind", help=f"What it does: {KINDS}.")],
    parent: Annotated[
        str | None,
        typer.Option("--parent", help="The department it belongs to (a regional hub): name or id."),
    ] = None,
    headcount: Annotated[
        int | None, typer.Option("--headcount", help="How many people work in it.")
    ] = None,
    customer_facing: Annotated[
        int | None,
        typer.Option("--customer-facing", help="How many of them talk to customers."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="Time zone of its business hours (default Europe/Paris)."),
    ] = None,
) -> None:
    """Add a department (open Monday to Friday, 09:00 to 18:00, until changed)."""
    with application() as app:
        fields: dict[str, Any] = {}
        if parent is not None:
            with app.db.session() as session:
                fields["parent_id"] = find_department(session, parent).id
        if headcount is not None:
            fields["headcount"] = headcount
        if customer_facing is not None:
            fields["customer_facing_headcount"] = customer_facing
        if timezone is not None:
            fields["timezone"] = timezone
        department = services.create_department(
            app.db, app.clock, cli_actor(), name=name, kind=kind, **fields
        )
        console.print(
            f"Added the department [bold]{escape(department.name)}[/] (id {department.id}, "
            f"{department.kind})."
        )
