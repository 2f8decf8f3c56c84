"""Rebooking on the Campaigns page under AppTest: add, agree the last fee, order, prefilled."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import select

from tests.builders import as_read, signed_in
from ttcm.config import Settings
from ttcm.runtime import make_client
from ttcm.sandbox import shared_app
from ttcm.sandbox.data import IN
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.campaigns.settings import CampaignInput
from ttcm.services.fees import Fees
from ttcm.services.orders.request import OrderRequest
from ttcm.services.orders.service import Orders
from ttcm.store import models as m

PAGE = "app_pages/campaigns.py"
NOW = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def booked(web_store, people):
    """@h ordered in Autumn (2 named videos, 250 USD agreed); Winter is the campaign to rebook."""
    s = Settings.load()
    sandbox = shared_app(s.sandbox_creators, s.sandbox_seed, state_path=s.sandbox_state)
    d = sandbox.directory
    i = int(np.flatnonzero(d.status == IN)[0])
    handle = d.handles[i]
    with web_store.write() as conn:
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {
                    "handle_name": handle,
                    "is_tcm_creator": True,
                    "is_authenticated": bool(d.authenticated[i]),
                    "source": m.API_SOURCE,
                    "first_seen_at": NOW,
                    "fetched_at": NOW,
                }
            ],
        )
    me = people["manager"]
    campaigns = Campaigns(web_store, lambda: make_client(s))
    autumn = campaigns.create(me, CampaignInput("Autumn launch", "Acme", "Jackets")).pk
    winter = campaigns.create(me, CampaignInput("Winter", "Acme", "Coats")).pk
    campaigns.add_creators(me, autumn, [handle])
    Fees(web_store).set_fee(me, autumn, handle, 250.0, "USD")
    Orders(web_store, lambda: make_client(s)).create(
        me, OrderRequest(autumn, [handle], 2, ["Unboxing 📦", "Review"], [30, 0])
    )
    return {"handle": handle, "autumn": autumn, "winter": winter, "sandbox": sandbox}


def _page(principal, campaign: int, handle: str):
    at = signed_in(principal, PAGE)
    at.query_params["campaign"] = str(campaign)
    at.query_params["rebook"] = handle
    at.query_params["tab"] = "Creators and orders"  # as the profile's Rebook link opens it
    return at.run()


def _button(at, label: str):
    [found] = [b for b in at.button if as_read(b.label) == label]
    return found


def _texts(at) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.error, *at.warning]
    return "\n".join(as_read(x.value) for x in parts)


def test_rebook_adds_agrees_the_fee_and_orders_only_when_confirmed(people, booked) -> None:
    h, winter, sandbox = booked["handle"], booked["winter"], booked["sandbox"]
    sent_before = len(sandbox.state.orders)
    at = _page(people["manager"], winter, h)
    assert not at.exception
    assert f"Rebook @{h} into Winter" in _texts(at)
    _button(at, f"Add @{h} to this campaign").click().run()
    assert f"Added @{h} to the campaign." in _texts(at)
    # prefilled from the Autumn order; nothing sent yet
    assert at.number_input(key=f"rebook{winter}_videos").value == 2
    assert at.text_input(key=f"rebook{winter}_name0").value == "Unboxing 📦"
    assert at.text_input(key=f"rebook{winter}_name1").value == "Review"
    assert at.toggle(key=f"rebook{winter}_spark_on1").value is False
    assert at.selectbox(key=f"rebook{winter}_days0").value == 30
    assert len(sandbox.state.orders) == sent_before
    _button(at, "Agree 250.00 USD, as in Autumn launch").click().run()
    assert f"Agreed fee of @{h}: 250.00 USD." in _texts(at)
    assert len(sandbox.state.orders) == sent_before
    _button(at, f"Create order for @{h}").click().run()
    assert not at.exception
    assert "Order created for 1 creator." in _texts(at)
    assert len(sandbox.state.orders) == sent_before + 1
    assert f"@{h} has an order in this campaign." in _texts(at)


def test_the_order_goes_through_the_order_checks(people, booked) -> None:
    h, winter = booked["handle"], booked["winter"]
    at = _page(people["manager"], winter, h)
    _button(at, f"Add @{h} to this campaign").click().run()
    at.number_input(key=f"rebook{winter}_videos").set_value(11).run()  # above the limit
    assert _button(at, f"Create order for @{h}").disabled
    assert any("Videos" in as_read(e.value) for e in at.error)


def test_viewers_see_no_rebooking(people, booked) -> None:
    at = _page(people["viewer"], booked["winter"], booked["handle"])
    assert not at.exception
    assert "Rebook @" not in _texts(at)


def test_done_rebooking_leaves_the_url(people, booked, web_store) -> None:
    at = _page(people["manager"], booked["winter"], booked["handle"])
    _button(at, "Done rebooking").click().run()
    assert "rebook" not in at.query_params
    with web_store.read() as conn:  # nothing was added on the way
        members = conn.execute(
            select(m.CampaignCreator.handle_name).where(
                m.CampaignCreator.campaign_pk == booked["winter"]
            )
        ).all()
    assert members == []
