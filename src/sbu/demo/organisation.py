"""The demo organisation: Ondine Télécom's departments and members, created through the services.

:func:`ensure_organisation` creates what is missing (departments by name, members by email) and
leaves the rest alone, so ``sbu demo`` can run any number of times. The members have no
password: they sign in once an administrator resets theirs (``sbu users reset-password``). There
is no administrator among them: the first one comes from ``sbu users ensure-admin``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from sbu.core.audit import Actor
from sbu.core.text import fold
from sbu.org import services
from sbu.org.models import Department, Member

if TYPE_CHECKING:
    from sbu.bootstrap import App

DOMAIN = "ondine-telecom.example"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
#: The days French law keeps even customer care closed (the care teams work the other ones).
CARE_CLOSED = {(1, 1), (5, 1), (12, 25)}


def _week(
    *intervals: tuple[str, str], saturday: tuple[tuple[str, str], ...] = ()
) -> dict[str, Any]:
    hours: dict[str, Any] = {day: [list(i) for i in intervals] for day in WEEKDAYS}
    if saturday:
        hours["sat"] = [list(i) for i in saturday]
    return hours


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    name: str
    kind: str
    headcount: int
    customer_facing: int
    hours: dict[str, Any]
    parent: str | None = None
    #: Customer care works on public holidays but the three the law keeps closed.
    care_holidays: bool = False


CARE = "Service client"
DEPARTMENTS = (
    DepartmentSpec("Social Business Unit", "sbu", 5, 2, _week(("09:00", "18:00"))),
    DepartmentSpec(CARE, "care", 180, 165,
                   _week(("08:00", "20:00"), saturday=(("09:00", "18:00"),)), care_holidays=True),
    DepartmentSpec("Service client — pôle Vendée", "care", 45, 42,
                   _week(("08:30", "19:00"), saturday=(("09:00", "13:00"),)), parent=CARE,
                   care_holidays=True),
    DepartmentSpec("Marketing", "marketing", 28, 3, _week(("09:00", "18:00"))),
    DepartmentSpec("Communication et relations presse", "pr", 9, 4, _week(("08:30", "19:00"))),
    DepartmentSpec("Ventes entreprises", "sales", 32, 26, _week(("08:30", "12:30"), ("13:30", "18:30"))),
    DepartmentSpec("Ressources humaines et recrutement", "hr", 14, 3,
                   _week(("09:00", "12:30"), ("14:00", "17:30"))),
    DepartmentSpec("Produit", "product", 46, 2, _week(("09:30", "18:30"))),
    DepartmentSpec("Juridique", "legal", 7, 0, _week(("09:00", "18:00"))),
    DepartmentSpec("Informatique", "it", 60, 0, _week(("08:00", "19:00"))),
)  # fmt: skip

#: (name, department, role): 30 people, 2 SBU leads, agents where customers are answered.
MEMBERS = (
    ("Anne Le Goff", "Social Business Unit", "sbu_lead"),
    ("Karim Benali", "Social Business Unit", "sbu_lead"),
    ("Sophie Garnier", "Social Business Unit", "analyst"),
    ("Thomas Riou", "Social Business Unit", "agent"),
    ("Inès Morvan", CARE, "agent"),
    ("Julien Pichon", CARE, "agent"),
    ("Nadia Haddad", CARE, "agent"),
    ("Maxime Guillou", CARE, "agent"),
    ("Camille Jaouen", CARE, "agent"),
    ("Véronique Blanchard", CARE, "viewer"),
    ("Bastien Chauvet", "Service client — pôle Vendée", "agent"),
    ("Élodie Rabaud", "Service client — pôle Vendée", "agent"),
    ("Mathilde Piveteau", "Service client — pôle Vendée", "agent"),
    ("Claire Besnard", "Marketing", "analyst"),
    ("Hugo Lemaire", "Marketing", "analyst"),
    ("Chloé Bernier", "Marketing", "agent"),
    ("Isabelle Perrin", "Marketing", "viewer"),
    ("Léa Guérin", "Communication et relations presse", "agent"),
    ("Olivier Marchand", "Communication et relations presse", "viewer"),
    ("Romain Fleury", "Ventes entreprises", "agent"),
    ("Aurélie Tessier", "Ventes entreprises", "agent"),
    ("Nicolas Bouvier", "Ventes entreprises", "viewer"),
    ("Sarah Lebrun", "Ressources humaines et recrutement", "agent"),
    ("Pauline Rousseau", "Ressources humaines et recrutement", "viewer"),
    ("Yann Le Bihan", "Produit", "analyst"),
    ("Manon Caradec", "Produit", "analyst"),
    ("David Nguyen", "Produit", "viewer"),
    ("Hélène Dufresne", "Juridique", "viewer"),
    ("Paul Kervella", "Informatique", "viewer"),
    ("Lucas Texier", "Informatique", "analyst"),
)


def email_of(name: str) -> str:
    """``Élodie Rabaud`` → ``elodie.rabaud@ondine-telecom.example``."""
    first, _, last = fold(name).partition(" ")
    return f"{first}.{last.replace(' ', '-')}@{DOMAIN}"


def easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 90) // 25
    p = (h + m - 7 * ((a + 11 * h + 19 * m) // 433) + 33 * n + 19) % 32
    return date(year, n, p)


def french_holidays(year: int) -> list[date]:
    """The eleven public holidays of metropolitan France (Whit Monday included)."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [sunday + timedelta(days=days) for days in (1, 39, 50)]  # Monday, Ascension, Whit
    return sorted([date(year, month, day) for month, day in fixed] + moving)


def holidays_for(start: date, end: date, *, care: bool) -> list[str]:
    """The holidays of the years from ``start`` to the year after ``end`` (the live demo goes on)."""
    days = [d for year in range(start.year, end.year + 2) for d in french_holidays(year)]
    if care:
        days = [d for d in days if (d.month, d.day) in CARE_CLOSED]
    return [d.isoformat() for d in days]


@dataclass(slots=True)
class OrganisationSummary:
    departments: int = 0
    members: int = 0

    @property
    def created(self) -> bool:
        return bool(self.departments or self.members)


def ensure_organisation(app: App, actor: Actor, *, start: date, end: date) -> OrganisationSummary:
    """Create the departments and members of the demo that do not exist yet."""
    summary = OrganisationSummary()
    ids: dict[str, int] = {}
    for spec in DEPARTMENTS:
        with app.db.session() as session:
            existing = session.execute(
                select(Department.id).where(func.lower(Department.name) == spec.name.lower())
            ).scalar()
        if existing is not None:
            ids[spec.name] = existing
            continue
        created = services.create_department(
            app.db, app.clock, actor, name=spec.name, kind=spec.kind,
            parent_id=ids[spec.parent] if spec.parent else None, headcount=spec.headcount,
            customer_facing_headcount=spec.customer_facing, timezone="Europe/Paris",
            business_hours=spec.hours,
            holidays=holidays_for(start, end, care=spec.care_holidays),
        )  # fmt: skip
        ids[spec.name] = created.id
        summary.departments += 1
    with app.db.session() as session:
        known = set(session.execute(select(Member.email)).scalars())
    for name, department_name, role in MEMBERS:
        email = email_of(name)
        if email in known:
            continue
        services.create_member(
            app.db, app.clock, actor, name=name, email=email, role=role,
            department_id=ids[department_name],
        )  # fmt: skip
        summary.members += 1
    return summary


def describe(summary: OrganisationSummary) -> str:
    return (
        f"Created the demo organisation of Ondine Télécom: {summary.departments} departments and "
        f"{summary.members} members (`sbu users list`). They have no password: to sign in as one "
        "of them, run `sbu users reset-password EMAIL`."
    )
