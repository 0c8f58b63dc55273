from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from sbu.bootstrap import App
from sbu.db.base import table_of
from sbu.db.bulk import allocate_ids, insert_rows
from sbu.db.sql import in_list
from sbu.listening.models import Author, Source


def test_allocated_ids_are_fresh_and_rows_insert_with_typed_values(app: App) -> None:
    when = datetime(2026, 11, 28, 8, 0, 0, 0, tzinfo=UTC)
    with app.db.write_session() as session:
        ids = allocate_ids(session, table_of(Author), 3)
        assert len(set(ids)) == 3
        rows = [(i, "mastodon", f"a{i}", None, None, None, None, when, when) for i in ids]
        columns = ("id", "platform", "external_id", "handle", "display_name", "url", "followers",
                   "first_seen_at", "last_seen_at")  # fmt: skip
        insert_rows(session, table_of(Author), columns, rows)
        # the same rows again: ignored on the unique key instead of failing
        insert_rows(session, table_of(Author), columns, [(i + 100, *r[1:]) for i, r in zip(ids, rows, strict=True)],
                    ignore_conflicts_on=("platform", "external_id"))  # fmt: skip
        more = allocate_ids(session, table_of(Author), 2)
        assert min(more) > max(ids)
        session.commit()
    with app.db.session() as session:
        authors = session.execute(select(Author).order_by(Author.id)).scalars().all()
        assert [a.id for a in authors] == ids
        # datetimes written by the bulk path compare equal in SQL to ORM-bound values
        found = (
            session.execute(select(Author.id).where(Author.first_seen_at == when)).scalars().all()
        )
        assert found == ids


def test_in_list_takes_any_number_of_values(app: App) -> None:
    with app.db.session() as session:
        names = [f"s{i}" for i in range(5000)]
        assert (
            session.execute(select(Source.id).where(in_list(session, Source.name, names))).all()
            == []
        )
        assert (
            session.execute(
                select(Source.id).where(in_list(session, Source.id, list(range(3000))))
            ).all()
            == []
        )
