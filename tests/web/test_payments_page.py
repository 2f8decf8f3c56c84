"""The Campaigns page's Fees & payments tab under AppTest: spend, table, one payment, CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.builders import as_read, how_lines, signed_in
from ttcm.store import models as m
from ttcm.store.timestamps import utcnow

PAGE = "app_pages/campaigns.py"
NOW = datetime(2026, 1, 5, tzinfo=UTC)
HOSTILE = "<b>INV</b> \"q\" 'x' 🎉 =1+1 **bold** [a](http://x)"


@pytest.fixture
def pk(web_store) -> int:
    """A USD campaign with a 1,000 budget: ana (300 USD) and ben (200 USD) ordered, cat not."""
    now = utcnow()
    with web_store.write() as conn:
        pk = conn.execute(
            m.Campaign.__table__.insert()
            .values(
                campaign_name="Spring <i>drop</i>",
                currency="USD",
                budget=1000.0,
                created_at=now,
                updated_at=now,
            )
            .returning(m.Campaign.id)
        ).scalar_one()
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {"handle_name": h, "creator_price": p, "currency": "USD", "source": m.API_SOURCE,
                 "first_seen_at": NOW, "fetched_at": NOW}
                for h, p in (("ana", 300.0), ("ben", 200.0), ("cat", None))
            ],
        )  # fmt: skip
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": pk, "handle_name": h, "added_at": NOW} for h in ("ana", "ben", "cat")],
        )
        conn.execute(
            m.Order.__table__.insert(),
            [
                {"order_id": f"o-{h}", "campaign_pk": pk, "handle_name": h,
                 "status": "IN_PROGRESS", "video_number": 1, "fetched_at": NOW}
                for h in ("ana", "ben")
            ],
        )  # fmt: skip
    return int(pk)


def _page(principal, pk: int):
    at = signed_in(principal, PAGE)
    at.query_params["campaign"] = str(pk)
    at.query_params["tab"] = "Fees & payments"  # only the open tab runs
    return at.run(timeout=30)


def _messages(at) -> str:
    parts = [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    return as_read("\n".join(parts))


def _save(at):
    [found] = [b for b in at.button if b.label == "Save payment"]
    return found


def _table(at):
    [frame] = [d.value for d in at.dataframe if "Payment" in d.value.columns]
    return frame


def _metrics(at) -> dict[str, str]:
    return {x.label: x.value for x in at.metric}


def _payment(store, pk: int, handle: str):
    with store.read() as conn:
        return conn.execute(
            select(m.CreatorPayment).where(
                m.CreatorPayment.campaign_pk == pk, m.CreatorPayment.handle_name == handle
            )
        ).first()


def test_a_viewer_sees_spend_and_the_table_but_no_editor(people, web_store, pk) -> None:
    at = _page(people["viewer"], pk)
    assert not at.exception
    shown = _metrics(at)
    assert shown["Budget"] == "1,000.00 USD" and shown["Committed (agreed fees)"] == "500.00 USD"
    assert shown["Remaining budget"] == "500.00 USD" and shown["Paid"] == "0.00 USD"
    frame = _table(at)
    assert list(frame["Creator"]) == ["ana", "ben", "cat"]
    assert list(frame["Payment"]) == ["Unpaid"] * 3
    assert "no fee or list price is known" in frame["Problem"].iloc[2]
    assert not [b for b in at.button if b.label == "Save payment"]


def test_a_manager_marks_a_fee_paid_with_a_hostile_reference(people, web_store, pk) -> None:
    at = _page(people["manager"], pk)
    at.selectbox(key=f"pay{pk}_who").set_value("ana").run()
    at.selectbox(key=f"pay{pk}_ana_status").set_value("paid")
    at.date_input(key=f"pay{pk}_ana_date").set_value(date(2026, 1, 2))
    at.text_input(key=f"pay{pk}_ana_ref").input(HOSTILE)
    at.text_area(key=f"pay{pk}_ana_notes").input("<script>x</script>\nline two")
    at.run()
    assert not _save(at).disabled, _messages(at)
    _save(at).click().run()
    assert not at.exception
    assert "Payment of @ana saved (Paid)." in _messages(at)
    row = _payment(web_store, pk, "ana")
    assert (row.status, row.pay_date, row.reference) == ("paid", date(2026, 1, 2), HOSTILE)
    assert row.notes == "<script>x</script>\nline two"
    frame = _table(at)
    assert frame["Reference"].iloc[0] == HOSTILE  # a table cell is text, never Markdown or HTML
    # one type per column (a date beside blanks made Arrow refuse the column and Streamlit guess)
    assert list(frame["Date"]) == ["2026-01-02", "", ""]
    assert all(isinstance(d, str) for d in frame["Rates of"])
    assert _metrics(at)["Paid"] == "300.00 USD"


@pytest.mark.parametrize(
    ("status", "day", "ref", "needle"),
    [
        ("paid", None, "", "Date: A paid payment needs its date."),
        ("paid", "future", "", "is after today"),
        ("unpaid", date(2026, 1, 2), "", "Date: An unpaid fee has no date"),
        ("paid", date(2026, 1, 2), "R" * 101, "Reference: At most 100 characters (101 now)"),
        ("paid", date(2026, 1, 2), "💶" * 150, "(150 now)"),
    ],
)
def test_a_bad_payment_is_named_next_to_its_field_and_not_saved(
    people, web_store, pk, status, day, ref, needle
) -> None:
    at = _page(people["manager"], pk)
    at.selectbox(key=f"pay{pk}_ana_status").set_value(status)
    if day == "future":
        day = datetime.now(UTC).date() + timedelta(days=400)
    at.date_input(key=f"pay{pk}_ana_date").set_value(day)
    at.text_input(key=f"pay{pk}_ana_ref").input(ref)
    at.run()
    assert not at.exception
    assert needle in _messages(at)
    assert _save(at).disabled
    assert _payment(web_store, pk, "ana") is None


def test_a_creator_without_an_order_cannot_be_paid(people, web_store, pk) -> None:
    at = _page(people["manager"], pk)
    at.selectbox(key=f"pay{pk}_who").set_value("cat").run()
    at.selectbox(key=f"pay{pk}_cat_status").set_value("scheduled")
    at.date_input(key=f"pay{pk}_cat_date").set_value(date(2026, 1, 2))
    at.run()
    _save(at).click().run()
    assert not at.exception
    assert "Payment: @cat has no order in this campaign" in _messages(at)
    assert _payment(web_store, pk, "cat") is None


def test_the_spend_says_how_each_figure_is_computed(people, web_store, pk) -> None:
    at = _page(people["viewer"], pk)
    lines = how_lines(at)
    # ana 300 + ben 200 (cat has no price and no order: not committed); 1,000 − 500 = 500
    assert (
        "Committed: Fees = fee in campaign currency of @ana 300.00 USD + @ben 200.00 USD"
        " = 500.00 USD" in lines
    )
    assert "Remaining budget = budget 1,000.00 USD − creator cost 500.00 USD = 500.00 USD" in lines
    assert "Spend vs budget = creator cost 500.00 USD ÷ budget 1,000.00 USD = 50.00%" in lines
