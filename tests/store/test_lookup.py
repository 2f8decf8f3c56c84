"""One row or one value by key, or the caller's not-found error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, create_engine, insert

from ttcm.errors import NotFound
from ttcm.store.lookup import one_row, one_value

_META = MetaData()
_THINGS = Table(
    "things", _META, Column("id", Integer, primary_key=True), Column("name", String, nullable=True)
)


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    _META.create_all(engine)
    with engine.begin() as c:
        c.execute(insert(_THINGS), [{"id": 1, "name": "one"}, {"id": 2, "name": None}])
        yield c
    engine.dispose()


def test_one_row_gives_the_matching_row_by_column_name(conn: Connection) -> None:
    assert one_row(conn, _THINGS, _THINGS.c.id == 1, NotFound("none")) == {"id": 1, "name": "one"}


def test_one_row_raises_the_given_error_when_nothing_matches(conn: Connection) -> None:
    with pytest.raises(NotFound, match="no thing 9"):
        one_row(conn, _THINGS, _THINGS.c.id == 9, NotFound("no thing 9"))


def test_one_value_gives_the_column_of_the_matching_row(conn: Connection) -> None:
    assert one_value(conn, _THINGS.c.id, _THINGS.c.name == "one", NotFound("none")) == 1


def test_one_value_raises_when_nothing_matches_or_the_value_is_null(conn: Connection) -> None:
    with pytest.raises(NotFound, match="no thing"):
        one_value(conn, _THINGS.c.id, _THINGS.c.name == "two", NotFound("no thing"))
    with pytest.raises(NotFound, match="no name"):
        one_value(conn, _THINGS.c.name, _THINGS.c.id == 2, NotFound("no name"))
