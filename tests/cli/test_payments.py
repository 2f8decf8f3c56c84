"""`ttcm campaigns payments <campaign> [--csv]`: the rows, the spend, the finance CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from tests.builders.posts import MANAGER, NOW, seed_spring
from ttcm.cli.main import main
from ttcm.services.payments import Payments
from ttcm.store import Store, upgrade
from ttcm.store import models as m


@pytest.fixture
def pk(monkeypatch, sqlite_url) -> int:
    monkeypatch.setenv("TTCM_DATABASE_URL", sqlite_url)
    store = Store.from_url(sqlite_url)
    upgrade(store.engine)
    pk = seed_spring(store)
    with store.write() as conn:
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": pk, "handle_name": h, "added_at": NOW} for h in ("ana", "ben")],
        )
    Payments(store).set_payment(MANAGER, pk, "ana", "paid", date(2026, 3, 2), "=HYPERLINK(1)")
    store.dispose()
    return pk


def test_the_table_and_the_spend(pk: int, capsys) -> None:
    assert main(["campaigns", "payments", str(pk)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split()[:3] == ["handle_name", "fee_amount", "fee_currency"]
    assert "committed: 500.00 USD" in err and "paid: 300.00 USD" in err
    assert "remaining budget: 500.00 USD" in err
    assert "@cat: no fee or list price is known" not in err  # cat has no order: not committed


def test_json_rows(pk: int, capsys) -> None:
    assert main(["campaigns", "payments", str(pk), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["handle_name"], r["status"]) for r in rows] == [
        ("ana", "paid"),
        ("ben", "unpaid"),
        ("cat", "unpaid"),
    ]
    assert rows[0]["reference"] == "=HYPERLINK(1)" and rows[0]["rate_day"] == "2026-03-02"


def test_the_finance_csv_is_injection_safe(pk: int, capsys) -> None:
    assert main(["campaigns", "payments", str(pk), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["Creator"] == "ana" and rows[0]["Reference"] == "'=HYPERLINK(1)"


def test_an_unknown_campaign_is_one_line(pk: int, capsys) -> None:
    assert main(["campaigns", "payments", "nope"]) != 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
