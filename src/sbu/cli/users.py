"""`sbu users`: the members who sign in, their roles, passwords and the first administrator."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from sbu.bootstrap import App
from sbu.cli.base import application, cli, cli_actor, console, fail, new_table, print_secret, when
from sbu.core.errors import NotFound
from sbu.org import passwords, services
from sbu.org.models import Member
from sbu.org.queries import find_department, find_member, list_members
from sbu.org.roles import Role

users_cli = typer.Typer(
    help="Add and list members, reset passwords, deactivate, create the first administrator.",
    no_args_is_help=True,
)
cli.add_typer(users_cli, name="users")
# `sbu user add --admin` (as the issue and older habits say) is the same command group.
cli.add_typer(users_cli, name="user", hidden=True)

ROLES = ", ".join(r.value for r in Role)


def _department_id(app: App, department: str | None) -> int | None:
    if department is None:
        return None
    with app.db.session() as session:
        return find_department(session, department).id


def _member(app: App, email: str) -> Member:
    with app.db.session() as session:
        return find_member(session, email)


def _choose_role(role: str | None, admin: bool) -> str:
    if admin and role not in (None, Role.ADMIN.value):
        fail(f"Use either --admin or --role {role}, not both: --admin means --role admin.", 2)
    if admin:
        return Role.ADMIN.value
    if role is None:
        fail(f"Give the member a role with --role ({ROLES}), or --admin.", 2)
    return services.clean_role(role).value


def _ask_password(email: str, name: str) -> str:
    password: str = typer.prompt(f"Password for {email}", hide_input=True, confirmation_prompt=True)
    passwords.check_password_rules(password, email=email, name=name)
    return password


def _print_one_time(password: str) -> None:
    print_secret("One-time password, shown only now: ", password)


@users_cli.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="Their email address: they sign in with it.")],
    name: Annotated[str, typer.Option("--name", help="Their full name, e.g. 'Claire Morvan'.")],
    role: Annotated[str | None, typer.Option("--role", help=f"One of {ROLES}.")] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="Their department: name or id.")
    ] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Make them an administrator (same as --role admin).")
    ] = False,
    generate_password: Annotated[
        bool,
        typer.Option(
            "--generate-password",
            help="Generate a one-time password and print it once, instead of asking for one.",
        ),
    ] = False,
) -> None:
    """Add a member; asks for their password twice (hidden) unless --generate-password."""
    with application() as app:
        chosen_role = _choose_role(role, admin)
        address = services.clean_email(email)
        department_id = _department_id(app, department)
        try:
            existing = _member(app, address)
        except NotFound:
            existing = None
        if existing is not None:
            fail(
                f"A member with the email {address} already exists: `sbu users list` shows them.", 2
            )
        password = (
            passwords.generate_password() if generate_password else _ask_password(address, name)
        )
        member = services.create_member(
            app.db, app.clock, cli_actor(), name=name, email=address, role=chosen_role,
            department_id=department_id, password=password,
            must_change_password=generate_password,
        )  # fmt: skip
        where = f" in {department}" if department else ""
        console.print(
            f"Added {escape(member.name)} ({member.email}) as {member.role}{escape(where)}.",
            highlight=False,
        )
        if generate_password:
            _print_one_time(password)
            console.print("Give it to them privately: they choose their own at the first sign-in.")
        else:
            console.print("They can sign in now with the password you typed.")


@users_cli.command("list")
def users_list(
    department: Annotated[
        str | None, typer.Option("--department", help="Only this department: name or id.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help=f"Only this role: {ROLES}.")] = None,
    inactive: Annotated[
        bool, typer.Option("--inactive", help="List the deactivated members instead.")
    ] = False,
) -> None:
    """List the members with their department, role and last sign-in."""
    with application() as app:
        department_id = _department_id(app, department)
        role_value = services.clean_role(role).value if role else None
        with app.db.session() as session:
            rows = list_members(
                session, department_id=department_id, role=role_value, active=not inactive
            )
        if not rows:
            what = "deactivated members" if inactive else "members"
            console.print(f"There are no {what} to list: add one with `sbu users add`.")
            return
        table = new_table("Id", "Name", "Email", "Department", "Role", "Sign-in", "Last sign-in")
        for row in rows:
            m = row.member
            state = (
                "no password yet"
                if m.password_hash is None
                else "must change password"
                if m.must_change_password
                else "yes"
            )
            table.add_row(str(m.id), escape(m.name), escape(m.email),
                          escape(row.department_name or "-"), m.role, state,
                          when(m.last_login_at, "never"))  # fmt: skip
        console.print(table)


@users_cli.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Argument(help="The member's email.")],
    role: Annotated[str, typer.Argument(help=f"The new role: {ROLES}.")],
) -> None:
    """Change a member's role; their sessions end."""
    with application() as app:
        member = _member(app, email)
        changed = services.update_member(app.db, app.clock, cli_actor(), member.id, role=role)
        console.print(f"{escape(changed.name)} ({changed.email}) is now {changed.role}.")


@users_cli.command("reset-password")
def users_reset_password(
    email: Annotated[str, typer.Argument(help="The member's email.")],
) -> None:
    """Give a member a one-time password (printed once); they choose a new one at sign-in."""
    with application() as app:
        member = _member(app, email)
        password = services.reset_password(app.db, app.clock, cli_actor(), member.id)
        console.print(
            f"Reset the password of {escape(member.name)} ({member.email}): their sessions "
            "ended and any lockout is lifted."
        )
        _print_one_time(password)
        console.print("They must choose a new password when they sign in with it.")


def _set_active(email: str, active: bool) -> None:
    with application() as app:
        member = _member(app, email)
        state = "active" if active else "deactivated"
        if member.active == active:
            console.print(f"{escape(member.name)} ({member.email}) is already {state}.")
            return
        services.update_member(app.db, app.clock, cli_actor(), member.id, active=active)
        if active:
            console.print(
                f"Reactivated {escape(member.name)} ({member.email}): they can sign in again."
            )
        else:
            console.print(
                f"Deactivated {escape(member.name)} ({member.email}): their sessions and API "
                "tokens stopped working."
            )


@users_cli.command("deactivate")
def users_deactivate(email: Annotated[str, typer.Argument(help="The member's email.")]) -> None:
    """Deactivate a member: they cannot sign in and their tokens stop working."""
    _set_active(email, False)


@users_cli.command("activate")
def users_activate(email: Annotated[str, typer.Argument(help="The member's email.")]) -> None:
    """Reactivate a deactivated member."""
    _set_active(email, True)


@users_cli.command("ensure-admin")
def users_ensure_admin() -> None:
    """Create the first administrator (SBU_AUTH__FIRST_ADMIN_EMAIL) when there is none."""
    with application() as app:
        email = app.settings.auth.first_admin_email
        with app.db.session() as session:
            admins = [row.member.email for row in list_members(session, role=Role.ADMIN)]
        if admins:
            console.print(
                f"An administrator already exists ({', '.join(admins)}), so none was created. "
                "If nobody can sign in, run `sbu users reset-password EMAIL`."
            )
            return
        try:
            taken = _member(app, email)
        except NotFound:
            taken = None
        if taken is not None:
            fail(
                f"{email} belongs to a member who is not an administrator: make them one with "
                f"`sbu users set-role {email} admin`, or set SBU_AUTH__FIRST_ADMIN_EMAIL to "
                "another address.",
                2,
            )
        created = services.ensure_first_admin(app.db, app.clock, cli_actor(), email=email)
        if created is None:  # another process created one at the same moment
            console.print("An administrator was created meanwhile, so none was created here.")
            return
        member, password = created
        console.print(f"Created the first administrator, [bold]{member.email}[/].")
        _print_one_time(password)
        console.print(
            "Sign in with it in the web app: you will be asked to choose your own password."
        )
