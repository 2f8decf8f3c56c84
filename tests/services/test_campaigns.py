"""Campaigns service: validation of every field, create exactly once, edit, archive, creators."""

from __future__ import annotations

import math
import threading
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.builders import MANAGER, VIEWER
from tests.builders.campaigns import GOOD, NOW, Spy, audit, count, make_client, seed_creators
from ttcm.api import errors as api_errors
from ttcm.auth import PermissionDenied
from ttcm.sandbox import SandboxApp
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.campaigns.settings import CampaignError, CampaignInput
from ttcm.store import Store
from ttcm.store import models as m


@pytest.fixture
def svc(store: Store, sbx: SandboxApp) -> Campaigns:
    return Campaigns(store, lambda: make_client(sbx), wait_seconds=5)


# ---------------------------------------------------------------- create


def test_create_sends_the_ttcm_section_and_keeps_the_plan(store, sbx, svc) -> None:
    made = svc.create(MANAGER, GOOD)
    assert made.new and made.campaign_id and made.request_id
    [remote] = sbx.state.campaigns.values()
    assert (remote["campaign_name"], remote["brand_name"]) == ("Autumn launch", "Acme")
    assert (remote["campaign_description"], remote["spark_days"]) == (GOOD.description, 60)
    row = svc.get(MANAGER, made.pk)
    assert row["campaign_id"] == made.campaign_id and row["currency"] == "USD"
    assert (row["kpi_views"], row["kpi_engagement_rate"], row["budget"]) == (500_000, 0.05, 25e3)
    assert (row["posting_start"], row["brief_donts"]) == (date(2026, 9, 10), "No competitor brands")
    [entry] = audit(store, "campaign.create")
    assert entry.request_id == made.request_id and entry.actor == "max"
    [listed] = svc.list(VIEWER)
    assert (listed["id"], listed["creators"], listed["orders"]) == (made.pk, 0, 0)


BAD_FIELDS: list[tuple[str, Any, str]] = [
    ("campaign_name", "", "required"),
    ("campaign_name", "x" * 513, "at most 512 characters (513 now)"),
    ("campaign_name", "bad\x00name", "control characters"),
    ("brand_name", "B" * 61, "at most 60 characters (61 now)"),
    ("brand_name", "   ", "required"),
    ("brand_name", "two\nlines", "line breaks"),
    ("description", "D" * 61, "at most 60 characters"),
    ("description", None, "required"),
    ("description", 42, "must be text"),
    ("spark_days_default", 14, "choose 7, 30, 60, 365 days"),
    ("spark_days_default", True, "choose 7"),
    ("kpi_views", -1, "a whole number"),
    ("kpi_views", 10**13, "a whole number"),
    ("kpi_posts", 2.5, "a whole number"),
    ("kpi_reach", True, "a whole number"),
    ("kpi_spark_codes", "10", "a whole number"),
    ("kpi_engagement_rate", 1.5, "a rate between"),
    ("kpi_engagement_rate", math.nan, "a rate between"),
    ("budget", 0.0, "a positive amount"),
    ("budget", -5.0, "a positive amount"),
    ("budget", math.nan, "a positive amount"),
    ("budget", math.inf, "a positive amount"),
    ("budget", 1e13, "a positive amount"),
    ("currency", "US", "3-letter currency code"),
    ("currency", "€€€", "3-letter currency code"),
    ("currency", None, "required when a budget is set"),
    ("end_date", date(2026, 8, 1), "before the campaign start"),
    ("posting_end", date(2026, 9, 5), "before the posting window opens"),
    ("posting_start", date(2026, 8, 20), "before the campaign starts"),
    ("posting_end", date(2026, 11, 30), "after the campaign ends"),
    ("start_date", "2026-09-01", "a date"),
    ("goals", "g" * 5001, "at most 5,000 characters"),
    ("brief_content", "c" * 20_001, "at most 20,000 characters"),
]


@pytest.mark.parametrize(("field", "value", "problem"), BAD_FIELDS)
def test_every_bad_field_is_named_and_nothing_is_sent(
    sqlite_store, sbx, field, value, problem
) -> None:
    store = sqlite_store  # validation happens before the database is touched
    svc = Campaigns(store, lambda: make_client(sbx))
    with pytest.raises(CampaignError) as caught:
        svc.create(MANAGER, replace(GOOD, **{field: value}))
    assert problem in caught.value.errors[field]
    assert sbx.requests == 0 and count(store, m.WriteIntent) == 0
    assert count(store, m.Campaign) == 0


def test_hostile_but_valid_text_is_kept_verbatim(store, sbx, svc) -> None:
    hostile = CampaignInput(
        campaign_name='<img src=x onerror=alert(1)> "quoted" 🎯 [x](javascript:alert(1))',
        brand_name="Acme's ‮reversed 👩‍👩‍👧",
        description="$x$ :red[not red] **not bold**",
        kpi_views=10**12,
    )
    made = svc.create(MANAGER, hostile)
    row = svc.get(MANAGER, made.pk)
    for name in ("campaign_name", "brand_name", "description"):
        assert row[name] == getattr(hostile, name)
    assert row["kpi_views"] == 10**12


def test_the_same_campaign_twice_is_created_once(store, sbx, svc) -> None:
    first = svc.create(MANAGER, GOOD)
    again = svc.create(MANAGER, replace(GOOD, campaign_name="autumn LAUNCH", budget=1.0))
    assert (again.pk, again.new) == (first.pk, False)
    assert len(sbx.state.campaigns) == 1 and count(store, m.Campaign) == 1


def test_two_threads_creating_the_same_campaign_make_one(store, sbx) -> None:
    spy = Spy(sbx)
    svc = Campaigns(store, spy, wait_seconds=10)
    start = threading.Barrier(2)
    results: list[Any] = []

    def run() -> None:
        start.wait()
        results.append(svc.create(MANAGER, GOOD))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0].pk == results[1].pk
    assert sorted(r.new for r in results) == [False, True]
    assert len(spy.sent("campaign_create")) == 1 and len(sbx.state.campaigns) == 1


def test_a_timeout_after_sending_is_looked_up_before_sending_again(store, sbx) -> None:
    spy = Spy(sbx)
    svc = Campaigns(store, spy)
    spy.fault_next["campaign_create"] = {"timeout": 1.0}
    with pytest.raises(api_errors.APITimeoutError):
        svc.create(MANAGER, GOOD)
    assert len(sbx.state.campaigns) == 1 and count(store, m.Campaign) == 0
    made = svc.create(MANAGER, GOOD)
    assert made.new and len(spy.sent("campaign_create")) == 1  # found, not sent again
    assert len(sbx.state.campaigns) == 1 and made.campaign_id in sbx.state.campaigns
    assert [e.action for e in audit(store, "campaign.reconcile")] == ["campaign.reconcile"]


def test_a_crash_between_sending_and_recording_is_recovered(store, sbx, monkeypatch) -> None:
    spy = Spy(sbx)

    class Crash(BaseException):
        """The process dies here."""

    def die(*args: Any, **kwargs: Any) -> None:
        raise Crash

    crashing = Campaigns(store, spy)
    monkeypatch.setattr(crashing._creator, "_record_created", die)
    with pytest.raises(Crash):
        crashing.create(MANAGER, GOOD)
    assert len(sbx.state.campaigns) == 1 and count(store, m.Campaign) == 0
    # a refresh caches the campaign (without the plan) before the next attempt
    with store.write() as conn:
        conn.execute(
            m.Campaign.__table__.insert().values(
                campaign_id=next(iter(sbx.state.campaigns)),
                campaign_name=GOOD.campaign_name,
                brand_name=GOOD.brand_name,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    busy = Campaigns(store, spy, wait_seconds=0.2)
    with pytest.raises(Exception, match="another session"):
        busy.create(MANAGER, GOOD)  # the pending intent is fresh: its sender may be alive
    later = Campaigns(store, spy, stale_after=timedelta(0))
    made = later.create(MANAGER, GOOD)
    assert len(spy.sent("campaign_create")) == 1 and len(sbx.state.campaigns) == 1
    row = later.get(MANAGER, made.pk)
    assert row["kpi_views"] == GOOD.kpi_views and row["created_by"] == "max"
    assert count(store, m.Campaign) == 1


def test_a_failed_look_up_after_a_5xx_leaves_the_create_retryable_at_once(store, sbx) -> None:
    """12.10: a 5xx on create, then a 503 on the retry's look-up: the third try succeeds."""
    spy = Spy(sbx)
    broken_look_ups = [api_errors.ServerError(None, "Service Unavailable", http_status=503)]

    def factory() -> Any:
        client = spy()
        original = client.iter_campaigns

        def iter_campaigns(*args: Any, **kwargs: Any) -> Any:
            if broken_look_ups:
                raise broken_look_ups.pop()
            return original(*args, **kwargs)

        client.iter_campaigns = iter_campaigns
        return client

    svc = Campaigns(store, factory, wait_seconds=0.2)
    spy.fault_next["campaign_create"] = api_errors.ServerError(50000, "System error.", "r-5")
    with pytest.raises(api_errors.ServerError):
        svc.create(MANAGER, GOOD)  # may have reached TikTok: unknown
    with pytest.raises(api_errors.ServerError, match="Unavailable"):
        svc.create(MANAGER, GOOD)  # the look-up before re-sending fails
    with store.read() as conn:
        [status] = conn.execute(select(m.WriteIntent.status)).scalars().all()
    assert status == "unknown"  # still in doubt, and nobody is sending it
    made = svc.create(MANAGER, GOOD)  # no "being sent from another session"
    assert made.new and len(spy.sent("campaign_create")) == 2 and len(sbx.state.campaigns) == 1


def test_a_definite_refusal_can_be_sent_again(store, sbx) -> None:
    spy = Spy(sbx)
    svc = Campaigns(store, spy)
    spy.fault_next["campaign_create"] = api_errors.PermissionDeniedError(40001, "No.", "r-1")
    with pytest.raises(api_errors.PermissionDeniedError):
        svc.create(MANAGER, GOOD)
    assert not sbx.state.campaigns
    assert svc.create(MANAGER, GOOD).new and len(sbx.state.campaigns) == 1


# ---------------------------------------------------------------- edit and archive


def test_update_validates_and_keeps_the_tiktok_id(store, svc) -> None:
    made = svc.create(MANAGER, GOOD)
    svc.update(MANAGER, made.pk, replace(GOOD, kpi_views=750_000, goals="  "))
    row = svc.get(MANAGER, made.pk)
    assert (row["kpi_views"], row["goals"], row["campaign_id"]) == (750_000, None, made.campaign_id)
    with pytest.raises(CampaignError) as caught:
        svc.update(MANAGER, made.pk, replace(GOOD, brand_name="B" * 61, budget=-1.0))
    assert set(caught.value.errors) == {"brand_name", "budget"}
    assert svc.get(MANAGER, made.pk)["brand_name"] == "Acme"
    with pytest.raises(CampaignError, match="no such campaign"):
        svc.update(MANAGER, 999, GOOD)
    assert [e.action for e in audit(store, "campaign.update")] == ["campaign.update"]


def test_archive_hides_restore_shows_and_a_new_one_can_follow(store, sbx, svc) -> None:
    made = svc.create(MANAGER, GOOD)
    svc.archive(MANAGER, made.pk)
    assert svc.list(MANAGER) == [] and len(svc.list(MANAGER, include_archived=True)) == 1
    again = svc.create(MANAGER, GOOD)  # the archived one is done with: start a new one
    assert again.new and again.pk != made.pk and len(sbx.state.campaigns) == 2
    svc.archive(MANAGER, made.pk, archived=False)
    assert {r["id"] for r in svc.list(MANAGER)} == {made.pk, again.pk}
    with pytest.raises(CampaignError):
        svc.archive(MANAGER, 12345)


def test_a_viewer_changes_nothing(store, sbx, svc) -> None:
    made = svc.create(MANAGER, GOOD)
    for call in (
        lambda: svc.create(VIEWER, GOOD),
        lambda: svc.update(VIEWER, made.pk, GOOD),
        lambda: svc.archive(VIEWER, made.pk),
        lambda: svc.add_creators(VIEWER, made.pk, ["x"]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert len(sbx.state.campaigns) == 1 and count(store, m.AuditEntry) == 1


# ---------------------------------------------------------------- creators


def test_add_creators_refuses_unsupported_and_unknown_accounts(store, sbx, svc) -> None:
    kinds = seed_creators(store, sbx)
    made = svc.create(MANAGER, GOOD)
    ttcm, other, bad = kinds["ttcm"][:2], kinds["auth_nonttcm"][0], kinds["unsupported"][0]
    result = svc.add_creators(
        MANAGER,
        made.pk,
        [f"@{ttcm[0]}", ttcm[1].upper(), other, bad, "nobody_here_1", "<b>x</b>", "", ttcm[0]],
    )
    assert result.added == [ttcm[0], ttcm[1], other]  # canonical handles, once each
    assert "Invite the creator to TTCM, or ask them to authenticate" in result.refused[bad]
    assert "Not in the cache" in result.refused["nobody_here_1"]
    assert "Not a TikTok handle" in result.refused["<b>x</b>"]
    assert svc.add_creators(MANAGER, made.pk, [ttcm[0]]).already == [ttcm[0]]
    rows = {r["handle_name"]: r for r in svc.creators(VIEWER, made.pk)}
    assert rows[ttcm[0]]["account_kind"].startswith("On TTCM") and rows[ttcm[0]]["supported"]
    assert rows[other]["account_kind"] == "Authenticated, not on TTCM"
    assert rows[other]["status_label"] == "no order" and rows[other]["error"] is None
    with pytest.raises(CampaignError):
        svc.add_creators(MANAGER, 999, ttcm)


def test_a_campaign_holding_an_unsupported_creator_shows_the_error_and_way_out(
    store, sbx, svc
) -> None:
    kinds = seed_creators(store, sbx)
    made = svc.create(MANAGER, GOOD)
    handle = kinds["ttcm"][0]
    svc.add_creators(MANAGER, made.pk, [handle])
    with store.write() as conn:  # e.g. a refresh: the creator left TTCM, never authenticated
        conn.execute(
            update(m.Creator)
            .where(m.Creator.handle_name == handle)
            .values(is_tcm_creator=False, is_authenticated=False)
        )
        conn.execute(
            m.CampaignCreator.__table__.insert().values(
                campaign_pk=made.pk, handle_name="gone_from_cache", added_at=NOW
            )
        )
    rows = {r["handle_name"]: r for r in svc.creators(VIEWER, made.pk)}
    assert not rows[handle]["supported"] and "unsupported" in rows[handle]["account_kind"]
    assert "Invite the creator to TTCM, or ask them to authenticate" in rows[handle]["error"]
    assert rows["gone_from_cache"]["error"].startswith("Not in the cache yet")


@pytest.mark.parametrize(
    "target",
    [
        {"countries": ["XX"]},
        {"planets": ["Mars"]},
        {"ages": "18-24"},
        {"genders": ["<b>FEMALE</b>"]},
        ["US"],
    ],
)
def test_a_bad_target_audience_is_named_and_nothing_is_sent(store, sbx, svc, target) -> None:
    with pytest.raises(CampaignError) as err:
        svc.create(MANAGER, replace(GOOD, target_audience=target))
    assert "target_audience" in err.value.errors and not sbx.state.campaigns


def test_remove_creators_keeps_those_with_an_order(store, sbx, svc) -> None:
    kinds = seed_creators(store, sbx)
    made = svc.create(MANAGER, GOOD)
    a, b = kinds["ttcm"][:2]
    svc.add_creators(MANAGER, made.pk, [a, b])
    with store.write() as conn:
        conn.execute(
            m.Order.__table__.insert().values(
                order_id="o-1", campaign_pk=made.pk, handle_name=b, fetched_at=NOW
            )
        )
    with pytest.raises(PermissionDenied):
        svc.remove_creators(VIEWER, made.pk, [a])
    gone = svc.remove_creators(MANAGER, made.pk, [a, b, "nobody"])
    assert gone.removed == [a] and "has an order" in gone.kept[b] and "nobody" in gone.kept
    assert [r["handle_name"] for r in svc.creators(VIEWER, made.pk)] == [b]
    assert audit(store, "campaign.remove_creators")[0].detail["handles"] == [a]
