"""A creator's campaign history against hand-computed figures, and the rebooking template."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.services.board_builders import MANAGER, NOW, campaign, order, post
from ttcm.auth import PermissionDenied, Principal
from ttcm.services.creator_history import CreatorHistory
from ttcm.store import Store
from ttcm.store import models as m


def creators(store: Store, prices: dict[str, float]) -> None:
    with store.write() as conn:
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {
                    "handle_name": h,
                    "creator_price": p,
                    "currency": "USD",
                    "is_tcm_creator": True,
                    "source": m.API_SOURCE,
                    "first_seen_at": NOW,
                    "fetched_at": NOW,
                }
                for h, p in prices.items()
            ],
        )


def members(store: Store, pk: int, fees: dict[str, float | None]) -> None:
    with store.write() as conn:
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [
                {
                    "campaign_pk": pk,
                    "handle_name": h,
                    "added_at": NOW,
                    "agreed_fee": fee,
                    "fee_currency": None if fee is None else "USD",
                }
                for h, fee in fees.items()
            ],
        )


def deliverables(store: Store, order_id: str, items: list[tuple[str, int]]) -> None:
    with store.write() as conn:
        conn.execute(
            m.Deliverable.__table__.insert(),
            [
                {"order_id": order_id, "position": i, "deliverable_name": n, "spark_days": d}
                for i, (n, d) in enumerate(items)
            ],
        )


@pytest.fixture
def history(store: Store) -> CreatorHistory:
    """Spring: ana 100 USD agreed, ben at list price 60, cat 500 agreed; Autumn: ana declined,
    dan at list price 200. Views and engagements per post below."""
    creators(store, {"ana": 80.0, "ben": 60.0, "cat": 900.0, "dan": 200.0, "eve": 10.0})
    spring = campaign(store, "Spring <b>launch</b>", currency="USD", created_at=NOW - timedelta(60))
    autumn = campaign(store, "Autumn", currency="USD", created_at=NOW - timedelta(5))
    campaign(store, "Elsewhere", currency="USD")  # ana was never in it
    members(store, spring, {"ana": 100.0, "ben": None, "cat": 500.0})
    members(store, autumn, {"ana": None})
    order(store, "o-ana-1", "ana", spring, video_number=2, create_time=NOW - timedelta(50))
    deliverables(store, "o-ana-1", [("Unboxing 🎁", 30), ("Review", 0)])
    order(store, "o-ben", "ben", spring)
    order(store, "o-cat", "cat", spring)
    order(store, "o-ana-2", "ana", autumn, status="DECLINED", create_time=NOW - timedelta(4))
    deliverables(store, "o-ana-2", [("Teaser", 7)])
    order(store, "o-dan", "dan", autumn)  # dan ordered without being added by hand
    for vid, handle, pk, views, eng in (
        ("v1", "ana", spring, 1000, 50),
        ("v2", "ana", spring, 3000, 150),
        ("v3", "ben", spring, 2000, 40),
        ("v4", "cat", spring, 10000, 1000),
        ("v5", "dan", autumn, 4000, 100),
        ("v6", "eve", spring, 99999, 9999),  # a stray: eve is not a creator of Spring
    ):
        post(store, vid, handle, pk, video_views=views, engagement_count=eng)
    return CreatorHistory(store, now=lambda: NOW)


def test_every_campaign_of_the_creator_with_figures_and_medians(history: CreatorHistory) -> None:
    autumn, spring = history.campaigns(MANAGER, "ana")  # newest first; "Elsewhere" is not hers
    assert spring.campaign_name == "Spring <b>launch</b>"
    r = spring.result
    assert (r.orders, r.statuses, r.posts) == (1, ("ACCEPTED",), 2)
    assert r.views.value == 4000
    assert r.engagement_rate.value == pytest.approx(200 / 4000)  # 0.05
    assert (r.fee.value, r.fee.unit) == (100.0, "USD")  # the agreed fee, not the list price
    assert r.cpv.value == pytest.approx(100 / 4000)  # 0.025
    # ben 60/2000 = 0.03 (list price), cat 500/10000 = 0.05: median of 0.025, 0.03, 0.05
    assert spring.median_cpv.value == pytest.approx(0.03)
    # ER: ana 0.05, ben 40/2000 = 0.02, cat 0.1 -> 0.05; eve's stray post counts nowhere
    assert spring.median_er.value == pytest.approx(0.05)
    assert spring.creators == 3 and "over 3 creators" in (spring.median_cpv.note or "")

    a = autumn.result
    assert (a.orders, a.statuses, a.posts) == (1, ("DECLINED",), 0)
    assert autumn.status_labels != ("",)
    assert a.views.value is None and "No published posts" in (a.views.reason or "")
    assert a.fee.value is None and "declined orders cost nothing" in (a.fee.reason or "")
    assert a.cpv.value is None
    # dan 200/4000 = 0.05 is the only known CPV; ana's is left out and counted
    assert autumn.median_cpv.value == pytest.approx(0.05)
    assert "1 without a known CPV" in (autumn.median_cpv.note or "")
    assert autumn.median_er.value == pytest.approx(100 / 4000)


def test_a_creator_with_no_campaign_has_no_history(history: CreatorHistory) -> None:
    assert history.campaigns(MANAGER, "eve") == []  # a stray post is no campaign of hers
    assert history.rebooking(MANAGER, "eve") is None


def test_the_rebooking_starts_from_the_last_order(history: CreatorHistory) -> None:
    last = history.rebooking(MANAGER, "ana")
    assert last is not None
    assert (last.from_campaign_name, last.video_number) == ("Autumn", 1)
    assert (last.deliverable_names, last.spark_days) == (("Teaser",), (7,))
    assert last.agreed_fee is None  # none agreed in Autumn
    cat = history.rebooking(MANAGER, "cat")
    assert cat is not None and (cat.agreed_fee, cat.fee_currency) == (500.0, "USD")
    assert cat.deliverable_names == () and cat.video_number == 1


def test_reading_needs_a_signed_in_role(history: CreatorHistory) -> None:
    with pytest.raises(PermissionDenied):
        history.campaigns(None, "ana")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        history.rebooking(Principal("x", "X", "nobody"), "ana")
