"""Creator openings: an opened profile is recorded (first/last opened) for the detail fetch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.builders.creators import NOW, load, make_creators
from ttcm.auth import PermissionDenied, Principal
from ttcm.services.openings import OpeningError, record_opened
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

VIEWER = Principal("val", "Val", "viewer")


def _openings(store: Store) -> list[tuple[str, object, object, object]]:
    o = m.CreatorOpening
    with store.read() as conn:
        return [
            (
                r.handle_name,
                as_utc(r.first_opened_at),
                as_utc(r.last_opened_at),
                r.detail_fetched_at,
            )
            for r in conn.execute(select(o).order_by(o.handle_name))
        ]


def test_opening_a_profile_records_first_and_last_opened(store) -> None:
    rows = make_creators(3, seed=2)
    load(store, rows)
    handle = rows[0]["handle_name"]
    record_opened(store, VIEWER, handle, now=NOW)
    record_opened(store, VIEWER, handle, now=NOW + timedelta(hours=2))
    assert _openings(store) == [(handle, NOW, NOW + timedelta(hours=2), None)]


@pytest.mark.parametrize(
    "handle", ["", "nobody_here", "<b>x</b>", "'; DROP TABLE creators; --", "🎉" * 40, "=1+1"]
)
def test_opening_a_creator_not_in_the_cache_is_refused_and_records_nothing(
    store, handle: str
) -> None:
    load(store, make_creators(2, seed=3))
    with pytest.raises(OpeningError, match="No creator @"):
        record_opened(store, VIEWER, handle, now=NOW)
    assert _openings(store) == []


def test_opening_needs_a_signed_in_person(store) -> None:
    rows = make_creators(1, seed=4)
    load(store, rows)
    with pytest.raises(PermissionDenied, match="Sign in"):
        record_opened(store, None, rows[0]["handle_name"], now=NOW)  # type: ignore[arg-type]
    assert _openings(store) == []
