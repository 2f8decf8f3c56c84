"""The Campaigns page under AppTest: settings form, creators, the order form and its limits."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select, update

from tests.builders import signed_in
from ttcm.config import Settings
from ttcm.sandbox import shared_app
from ttcm.sandbox.data import IN
from ttcm.services.campaigns.service import Campaigns
from ttcm.services.campaigns.settings import CampaignInput
from ttcm.store import models as m

PAGE = "app_pages/campaigns.py"
NOW = datetime(2026, 1, 5, tzinfo=UTC)


def _plain(text: str) -> str:
    """A Markdown message as the reader sees it (the page escapes special characters)."""
    return str(text).replace("\\", "")


def _messages(at) -> str:
    parts = [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    return _plain("\n".join(parts))


def _button(at, label: str):
    [found] = [b for b in at.button if b.label == label]
    return found


def _input(at, label: str, key_part: str = ""):
    [found] = [w for w in at.text_input if w.label == label and key_part in (w.key or "")]
    return found


@pytest.fixture
def sandbox(web_env):
    """The in-process sandbox the page's client talks to (same settings, same state file)."""
    s = Settings.load()
    return shared_app(s.sandbox_creators, s.sandbox_seed, state_path=s.sandbox_state)


@pytest.fixture
def creators(web_store, sandbox) -> dict[str, list[str]]:
    """Cached creators from the sandbox's directory: supported ones and unsupported ones."""
    d = sandbox.directory
    supported = np.flatnonzero(d.status == IN)[:30].tolist()
    unsupported = np.flatnonzero((d.status == 0) & ~d.authenticated)[:2].tolist()
    rows = [
        {
            "handle_name": d.handles[i],
            "display_name": f"Creator {i}",
            "is_tcm_creator": i in supported,
            "is_authenticated": bool(d.authenticated[i]),
            "source": m.API_SOURCE,
            "first_seen_at": NOW,
            "fetched_at": NOW,
        }
        for i in supported + unsupported
    ]
    with web_store.write() as conn:
        conn.execute(m.Creator.__table__.insert(), rows)
    return {
        "supported": [d.handles[i] for i in supported],
        "unsupported": [d.handles[i] for i in unsupported],
    }


@pytest.fixture
def campaign(web_store, people, sandbox) -> int:
    """A campaign created through the service (on the page's sandbox)."""
    from ttcm.runtime import make_client

    s = Settings.load()
    made = Campaigns(web_store, lambda: make_client(s)).create(
        people["manager"], CampaignInput("Autumn launch", "Acme", "New jackets, autumn 2026")
    )
    return made.pk


def _who(at, campaign_pk: int):
    """The order form's creator picker."""
    [found] = [w for w in at.multiselect if (w.key or "").startswith(f"order{campaign_pk}_who")]
    return found


def _page(principal, campaign_pk: int | None = None, tab: str | None = None):
    """The page as a link opens it; only the open tab runs, as in the browser."""
    at = signed_in(principal, PAGE)
    if campaign_pk is not None:
        at.query_params["campaign"] = str(campaign_pk)
    if tab is not None:
        at.query_params["tab"] = tab
    return at.run()


def _count(store, model) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


# ---------------------------------------------------------------- settings


def test_create_a_campaign_with_its_settings(people, web_store, sandbox) -> None:
    at = _page(people["manager"])
    assert not at.exception
    assert "No campaigns yet" in _messages(at)
    _input(at, "Campaign name", "new_").input("Spring <b>drop</b> 🌸")
    _input(at, "Brand name (at most 60 characters)", "new_").input('Acme "Outdoor"')
    _input(at, "Description (at most 60 characters)", "new_").input("Rain jackets")
    at.number_input(key="new_views").set_value(500_000)
    at.number_input(key="new_er").set_value(5.0)
    at.number_input(key="new_budget").set_value(12_000.0)
    _input(at, "Currency (e.g. USD)", "new_").input("usd")
    at.selectbox(key="new_spark").set_value(60)
    _button(at, "Create campaign").click().run()
    assert not at.exception
    assert "Campaign created on TikTok" in _messages(at)
    with web_store.read() as conn:
        row = conn.execute(select(m.Campaign)).one()
    assert row.campaign_name == "Spring <b>drop</b> 🌸"  # stored verbatim, shown as text
    assert (row.brand_name, row.description) == ('Acme "Outdoor"', "Rain jackets")
    assert (row.kpi_views, row.kpi_engagement_rate, row.budget) == (500_000, 0.05, 12_000.0)
    assert (row.currency, row.spark_days_default) == ("USD", 60)
    assert at.query_params["campaign"] in (str(row.id), [str(row.id)])
    [made] = sandbox.state.campaigns.values()
    assert made["campaign_name"] == row.campaign_name and made["spark_days"] == 60
    assert at.selectbox[0].value == str(row.id)  # the new campaign is the one shown


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("Description (at most 60 characters)", "  ", "Description: required"),
        ("Currency (e.g. USD)", "€€", "Currency: a 3-letter currency code"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_created(
    people, web_store, sandbox, label, value, message
) -> None:
    at = _page(people["manager"])
    _input(at, "Campaign name", "new_").input("Spring")
    _input(at, "Brand name (at most 60 characters)", "new_").input("Acme")
    _input(at, "Description (at most 60 characters)", "new_").input("Jackets")
    at.number_input(key="new_budget").set_value(100.0)
    _input(at, "Currency (e.g. USD)", "new_").input("EUR")
    _input(at, label, "new_").input(value)
    _button(at, "Create campaign").click().run()
    assert not at.exception
    assert message in _messages(at)
    assert _count(web_store, m.Campaign) == 0 and not sandbox.state.campaigns


@pytest.mark.parametrize(
    "pasted",
    ["B" * 61, "🌸" * 61, "<b>" + "x" * 58 + "</b>", "=SUM(A1)" * 8, "[a](http://x) " * 5],
)
def test_a_61_character_paste_is_kept_counted_and_refused(
    people, web_store, sandbox, pasted
) -> None:
    """11.6: no silent stop at 60, no emptied field: the text stays, the count and limit show."""
    at = _page(people["manager"])
    _input(at, "Campaign name", "new_").input("Spring")
    brand = _input(at, "Brand name (at most 60 characters)", "new_")
    assert not brand.max_chars  # the widget never cuts what was typed or pasted
    brand.input(pasted).run()
    _input(at, "Description (at most 60 characters)", "new_").input("Jackets").run()
    assert _input(at, "Brand name (at most 60 characters)", "new_").value == pasted
    n = len(pasted.strip())
    assert f"Brand name (at most 60 characters): at most 60 characters ({n:,} now)" in _messages(at)
    assert _button(at, "Create campaign").disabled
    assert _count(web_store, m.Campaign) == 0 and not sandbox.state.campaigns
    captions = _plain("\n".join(c.value for c in at.caption))
    assert "7 of 60 characters" in captions  # the description's count


def test_control_characters_are_named_live(people) -> None:
    at = _page(people["manager"])
    _input(at, "Description (at most 60 characters)", "new_").set_value("tab\there").run()
    assert "contains control characters or line breaks" in _messages(at)


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("new_views", -5, "Views target: a whole number from 0 to 1,000,000,000,000 (-5 now)"),
        ("new_views", 10**13, "Views target: a whole number from 0"),
        ("new_er", 250.0, "Engagement rate target (%): a number from 0 to 100 (250 now)"),
        ("new_budget", 0.0, "Budget: a number more than 0"),
        ("new_posts", -1, "Posts target: a whole number from 0"),
    ],
)
def test_out_of_range_numbers_are_refused_next_to_the_field(
    people, web_store, sandbox, key, value, needle
) -> None:
    """A number outside its bounds is shown as typed and named; nothing is clamped or sent."""
    at = _page(people["manager"])
    _input(at, "Campaign name", "new_").input("Spring")
    _input(at, "Brand name (at most 60 characters)", "new_").input("Acme")
    _input(at, "Description (at most 60 characters)", "new_").input("Jackets")
    _input(at, "Currency (e.g. USD)", "new_").input("USD")
    at.number_input(key=key).set_value(value).run()
    assert at.number_input(key=key).value == value  # not clamped
    assert needle in _messages(at)
    assert _button(at, "Create campaign").disabled
    assert _count(web_store, m.Campaign) == 0 and not sandbox.state.campaigns


def test_edit_settings_and_a_timeline_error_names_the_field(people, web_store, campaign) -> None:
    at = _page(people["manager"], campaign)
    prefix = f"edit{campaign}_"
    at.number_input(key=prefix + "posts").set_value(12)
    at.text_area(key=prefix + "dos").input("Show the hood\n<script>alert(1)</script>")
    _button(at, "Save campaign").click().run()
    assert "Saved." in _messages(at)
    with web_store.read() as conn:
        row = conn.execute(select(m.Campaign)).one()
    assert row.kpi_posts == 12 and row.brief_dos.endswith("<script>alert(1)</script>")
    at.date_input(key=prefix + "start").set_value(datetime(2026, 3, 1).date())
    at.date_input(key=prefix + "end").set_value(datetime(2026, 2, 1).date())
    _button(at, "Save campaign").click().run()
    assert "End: before the campaign start" in _messages(at)
    with web_store.read() as conn:
        assert conn.execute(select(m.Campaign.end_date)).scalar_one() is None


def test_archive_asks_first_says_what_it_did_and_restore(people, web_store, campaign) -> None:
    at = _page(people["manager"], campaign)
    _button(at, "Archive campaign…").click().run()
    assert "Archive “Autumn launch”? It leaves the campaign list" in _messages(at)
    with web_store.read() as conn:  # nothing happened yet
        assert conn.execute(select(m.Campaign.archived_at)).scalar_one() is None
    _button(at, "Cancel").click().run()
    assert "Archive “Autumn launch”?" not in _messages(at)
    _button(at, "Archive campaign…").click().run()
    _button(at, "Yes, archive it").click().run()
    text = _messages(at)
    assert "Archived “Autumn launch”; nothing was deleted." in text and "No campaigns yet" in text
    at.toggle[0].set_value(True).run()
    assert "(archived)" in at.selectbox[0].format_func(at.selectbox[0].value)
    _button(at, "Restore campaign").click().run()
    assert "Restored “Autumn launch”." in _messages(at)
    with web_store.read() as conn:
        assert conn.execute(select(m.Campaign.archived_at)).scalar_one() is None


def test_a_viewer_sees_read_only_values_and_no_way_to_change_them(
    people, web_store, campaign
) -> None:
    """11.14: no editable fields without a Save button."""
    with web_store.write() as conn:
        conn.execute(
            update(m.Campaign).values(
                kpi_views=500_000,
                budget=2500.0,
                currency="USD",
                goals="**bold** [link](http://x) <b>",
                target_audience={"countries": ["US"], "ages": ["18-24"]},
            )
        )
    at = _page(people["viewer"], campaign)
    assert not at.exception
    labels = {b.label for b in at.button}
    assert not labels & {"Create campaign", "Save campaign", "Create orders", "Add to campaign"}
    assert not [w for w in at.text_input if (w.key or "").startswith(f"edit{campaign}_")]
    assert not [w for w in at.number_input if (w.key or "").startswith(f"edit{campaign}_")]
    assert not at.text_area and not at.date_input
    values = at.dataframe[0].value.set_index("Setting")["Value"]
    # 11: numbers for people (the target had no separators, the budget showed "2500.00")
    assert values["Brand name"] == "Acme" and values["Views target"] == "500,000"
    assert values["Budget"] == "2,500.00 USD"
    assert values["Goals"] == "**bold** [link](http://x) <b>"  # a table cell: plain text
    assert values["Target audience"] == "Countries: US; Ages: 18-24"


def test_target_audience_is_saved_and_read_back(people, web_store, campaign) -> None:
    at = _page(people["manager"], campaign)
    at.multiselect(key=f"edit{campaign}_aud_countries").set_value(["US", "GB"])
    at.multiselect(key=f"edit{campaign}_aud_genders").set_value(["FEMALE"])
    _button(at, "Save campaign").click().run()
    assert "Saved." in _messages(at)
    with web_store.read() as conn:
        target = conn.execute(select(m.Campaign.target_audience)).scalar_one()
    assert target == {"countries": ["US", "GB"], "genders": ["FEMALE"]}
    at = _page(people["manager"], campaign)
    assert at.multiselect(key=f"edit{campaign}_aud_countries").value == ["US", "GB"]


def test_only_the_open_tab_runs(people, web_store, creators, campaign) -> None:
    """The four tabs are bound to the URL: a hidden tab is neither run nor sent."""
    at = _page(people["manager"], campaign)
    assert not at.exception
    assert not [b for b in at.button if b.label == "Add to campaign"]  # Creators and orders
    assert not [t for t in at.text_area if (t.key or "").startswith(f"add{campaign}_handles")]
    at.query_params["tab"] = "Creators and orders"  # the tab clicked (or opened by a link)
    at.run()
    assert [b for b in at.button if b.label == "Add to campaign"]
    assert at.session_state["tab"] == "Creators and orders"


# ---------------------------------------------------------------- creators and orders


def test_add_creators_and_unsupported_ones_are_explained(
    people, web_store, creators, campaign
) -> None:
    ok, bad = creators["supported"][:3], creators["unsupported"][0]
    at = _page(people["manager"], campaign, tab="Creators and orders")
    at.text_area(key=f"add{campaign}_handles_0").input(
        "\n".join([f"@{ok[0]}", ok[1].upper(), ok[2], bad, "nobody_here_42", "<img src=x>"])
    )
    _button(at, "Add to campaign").click().run()
    text = _messages(at)
    assert "Added 3 creators." in text
    assert f"@{bad}: Not on TTCM and not authenticated" in text
    assert "Invite the creator to TTCM, or ask them to authenticate" in text
    assert "@nobody_here_42: Not in the cache yet" in text and "Not a TikTok handle" in text
    table = at.dataframe[0].value
    assert sorted(table["Handle"]) == sorted(ok)
    # a creator who stopped being supported (refresh) stays, with the error and the way out
    with web_store.write() as conn:
        conn.execute(
            update(m.Creator)
            .where(m.Creator.handle_name == ok[0])
            .values(is_tcm_creator=False, is_authenticated=False)
        )
    at.run()
    row = at.dataframe[0].value.set_index("Handle").loc[ok[0]]
    assert "unsupported" in row["Account"] and "Invite the creator" in row["Problem"]
    assert f"@{ok[0]}: Not on TTCM" in _messages(at)
    assert ok[0] not in _who(at, campaign).options  # no order can be created for it


def test_actions_on_the_creators_tab_stay_there_and_confirm(
    people, web_store, creators, campaign
) -> None:
    """11.9: every Creators-tab button used to send the page back to Settings."""
    ok = creators["supported"][:3]
    at = _page(people["manager"], campaign)
    at.session_state["tab"] = "Creators and orders"  # the person opened the tab
    at.run()
    at.text_area(key=f"add{campaign}_handles_0").input("\n".join(ok))
    _button(at, "Add to campaign").click().run()
    assert at.session_state["tab"] == "Creators and orders"
    [people_tab] = [t for t in at.tabs if t.label == "Creators and orders"]
    shown = [e.value for e in people_tab.success]
    assert _plain(shown[0]) == "Added 3 creators."  # the confirmation is on this tab
    [box] = [w for w in at.text_area if (w.key or "").startswith(f"add{campaign}_handles")]
    assert box.value == ""  # the handle box is empty again
    # removing asks first, then says what it did; the tab stays
    at.multiselect(key=f"drop{campaign}_who_0").set_value([ok[0]]).run()
    _button(at, "Remove from campaign…").click().run()
    assert f"Remove 1 creator from this campaign: @{ok[0]}?" in _messages(at)
    assert len(Campaigns(web_store, lambda: None).creators(people["manager"], campaign)) == 3
    _button(at, "Yes, remove them").click().run()
    assert f"Removed 1 creator: @{ok[0]}." in _messages(at)
    assert at.session_state["tab"] == "Creators and orders"
    left = Campaigns(web_store, lambda: None).creators(people["manager"], campaign)
    assert sorted(r["handle_name"] for r in left) == sorted(ok[1:])


def test_creators_who_cannot_be_ordered_say_why(people, web_store, creators, campaign) -> None:
    """11.7: a creator TikTok would refuse is not offered, and the page says why."""
    ok = creators["supported"][0]
    with web_store.write() as conn:
        conn.execute(
            m.Creator.__table__.insert().values(
                handle_name="teen_creator",
                is_tcm_creator=False,
                is_authenticated=True,
                age_verified_18=False,
                source=m.API_SOURCE,
                first_seen_at=NOW,
                fetched_at=NOW,
            )
        )
    Campaigns(web_store, lambda: None).add_creators(
        people["manager"], campaign, [ok, "teen_creator"]
    )
    at = _page(people["manager"], campaign, tab="Creators and orders")
    assert _who(at, campaign).options == [ok] and _who(at, campaign).value == []
    captions = _plain("\n".join(c.value for c in at.caption))
    assert "@teen_creator can't be ordered: Not on the TikTok Creator Marketplace" in captions
    assert "The creator must be 18 or older." in captions and "Choose another creator" in captions


def test_create_orders_shows_status_link_and_code(
    people, web_store, creators, campaign, sandbox
) -> None:
    picked = creators["supported"][:3]
    Campaigns(web_store, lambda: None).add_creators(people["manager"], campaign, picked)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    assert _who(at, campaign).value == []  # nothing preselected
    assert _button(at, "Create orders").disabled
    _who(at, campaign).set_value(sorted(picked)).run()
    at.number_input(key=f"order{campaign}_videos").set_value(2).run()
    _input(at, "Deliverable 1 name").input("Unboxing 📦")
    at.toggle(key=f"order{campaign}_spark_on1").set_value(False)
    at.selectbox(key=f"order{campaign}_days0").set_value(365)
    _button(at, "Create orders").click().run()
    assert not at.exception
    assert "Orders created for 3 creators." in _messages(at)
    [people_tab] = [t for t in at.tabs if t.label == "Creators and orders"]
    assert "Orders created for 3 creators." in [s.value for s in people_tab.success]
    codes = {c.value for c in at.code}
    [code] = list(sandbox.state.codes)
    link = sandbox.state.codes[code]["invite_link"]
    assert {code, link} <= codes
    cards = _plain("\n".join(md.value for md in at.markdown))
    assert cards.count("Order Created · 2 videos") == 3
    captions = _plain("\n".join(c.value for c in at.caption))
    assert "Unboxing 📦 (Spark Ads 365 days) · Video 2" in captions
    assert len(sandbox.state.orders) == 3
    # a second click (same creators) sends nothing: nobody is left to order
    assert "Every creator of this campaign who can be ordered has an order." in captions
    with web_store.read() as conn:
        actions = conn.execute(select(m.AuditEntry.action, m.AuditEntry.request_id)).all()
    assert all(rid for action, rid in actions if action == "order.create")


def test_a_declined_creator_is_replaced_in_one_click(
    people, web_store, creators, campaign, sandbox
) -> None:
    """11.13: a declined order could not be replaced; the replacement is sent once, audited."""
    first, spare = creators["supported"][:2]
    Campaigns(web_store, lambda: None).add_creators(people["manager"], campaign, [first, spare])
    at = _page(people["manager"], campaign, tab="Creators and orders")
    _who(at, campaign).set_value([first]).run()
    _button(at, "Create orders").click().run()
    with web_store.write() as conn:  # the creator declined (as a refresh would record it)
        conn.execute(update(m.Order).where(m.Order.handle_name == first).values(status="DECLINED"))
    at = _page(people["manager"], campaign, tab="Creators and orders")
    box = at.selectbox(key=f"replace{campaign}_{first}")
    assert box.options == [f"@{spare}"] and _button(at, "Replace").disabled
    box.set_value(spare).run()
    _button(at, "Replace").click().run()
    assert not at.exception
    assert "Order created for 1 creator." in _messages(at)
    assert len(sandbox.state.orders) == 2
    with web_store.read() as conn:
        [entry] = conn.execute(
            select(m.AuditEntry).where(m.AuditEntry.action == "order.replace")
        ).all()
    assert entry.detail["replaces"] == first and entry.detail["handles"] == [spare]


def test_order_form_errors_name_the_field(people, web_store, creators, campaign) -> None:
    Campaigns(web_store, lambda: None).add_creators(
        people["manager"], campaign, creators["supported"][:1]
    )
    at = _page(people["manager"], campaign, tab="Creators and orders")
    name = _input(at, "Deliverable 1 name")
    assert not name.max_chars
    name.set_value("x" * 61).run()  # kept as typed, and refused
    assert _input(at, "Deliverable 1 name").value == "x" * 61
    assert "Deliverable 1 name: at most 60 characters (61 now)" in _messages(at)
    assert _button(at, "Create orders").disabled
    assert _count(web_store, m.Order) == 0 and _count(web_store, m.WriteIntent) == 1  # campaign


@pytest.mark.parametrize("videos", [11, 0, -3, 10**9])
def test_videos_per_creator_out_of_range_sends_nothing(
    people, web_store, creators, campaign, sandbox, videos
) -> None:
    """11.2: 11 videos was shown in red, then 1 video was ordered."""
    picked = creators["supported"][:2]
    Campaigns(web_store, lambda: None).add_creators(people["manager"], campaign, picked)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    _who(at, campaign).set_value(picked).run()
    at.number_input(key=f"order{campaign}_videos").set_value(videos).run()
    assert at.number_input(key=f"order{campaign}_videos").value == videos  # not clamped
    assert f"Videos per creator: a whole number from 1 to 10 ({videos:,} now)" in _messages(at)
    assert _button(at, "Create orders").disabled
    assert not sandbox.state.orders and _count(web_store, m.Order) == 0
    at.number_input(key=f"order{campaign}_videos").set_value(10).run()
    assert not _button(at, "Create orders").disabled
    assert len([w for w in at.text_input if w.label.startswith("Deliverable ")]) == 10


def _fill_code(store, campaign_pk: int, code: str, n: int) -> None:
    """`n` recorded orders on `code` with one default deliverable (as if created earlier)."""
    with store.write() as conn:
        conn.execute(
            m.CampaignCode.__table__.insert().values(
                campaign_code=code, campaign_pk=campaign_pk, created_at=NOW
            )
        )
        conn.execute(
            m.Order.__table__.insert(),
            [
                {
                    "order_id": f"{code}-{i}",
                    "campaign_pk": campaign_pk,
                    "campaign_code": code,
                    "handle_name": f"earlier_{i}",
                    "status": "ORDER_CREATED",
                    "video_number": 1,
                    "fetched_at": NOW,
                }
                for i in range(n)
            ],
        )
        conn.execute(
            m.Deliverable.__table__.insert(),
            [
                {
                    "order_id": f"{code}-{i}",
                    "position": 1,
                    "deliverable_name": "Video 1",
                    "spark_days": 30,
                }
                for i in range(n)
            ],
        )


def test_the_page_warns_before_a_code_is_full(people, web_store, creators, campaign) -> None:
    Campaigns(web_store, lambda: None).add_creators(
        people["manager"], campaign, creators["supported"][:12]
    )
    _fill_code(web_store, campaign, "SBXFULLISH", 190)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    _who(at, campaign).set_value(creators["supported"][:12]).run()
    text = _messages(at)
    assert "Campaign code SBXFULLISH: 190 of 200 orders, 10 left. Nearly full" in text
    assert "Only 10 more orders fit on the current campaign codes" in text
    assert "the other 2 start a new campaign code" in text
    _who(at, campaign).set_value(creators["supported"][:5]).run()
    assert "Only 10 more" not in _messages(at)
    at.toggle(key=f"order{campaign}_spark_on0").set_value(False).run()  # other deliverables
    assert "Only 0 more orders fit" in _messages(at)


def test_more_than_100_creators_are_sent_in_calls_of_100(people, web_store, campaign) -> None:
    handles = [f"bulk_creator_{i}" for i in range(130)]
    with web_store.write() as conn:
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {
                    "handle_name": h,
                    "is_tcm_creator": True,
                    "is_authenticated": False,
                    "first_seen_at": NOW,
                    "fetched_at": NOW,
                }
                for h in handles
            ],
        )
    Campaigns(web_store, lambda: None).add_creators(people["manager"], campaign, handles)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    assert _who(at, campaign).value == []  # nothing preselected
    _who(at, campaign).set_value(handles).run()
    assert "130 creators: sent in 2 calls of at most 100." in _messages(at)


def test_tie_a_post_form_validates_the_video(people, web_store, campaign) -> None:
    _fill_code(web_store, campaign, "SBXTIE", 1)
    at = _page(people["manager"], campaign, tab="Tie published posts")
    at.text_input(key=f"tie{campaign}_video_0").input("<script>alert(1)</script>")
    _button(at, "Ask to tie the post").click().run()
    assert "Video: the video's id (digits) or its tiktok.com" in _messages(at)
    assert _count(web_store, m.LinkStatus) == 0 and _count(web_store, m.WriteIntent) == 1


@pytest.mark.parametrize("value", ["<script>", "9" * 40, "' OR 1=1 -- 🎯"])
def test_hostile_campaign_links_never_break_the_page(people, campaign, value) -> None:
    at = signed_in(people["manager"], PAGE)
    at.query_params["campaign"] = value
    at.run()
    assert not at.exception
    assert at.selectbox[0].value == str(campaign)


# ---------------------------------------------------------------- agreed fees


def _with_prices(store, campaign_pk: int, handles: list[str]) -> None:
    with store.write() as conn:
        conn.execute(
            update(m.Creator)
            .where(m.Creator.handle_name.in_(handles))
            .values(creator_price=300.0, currency="USD")
        )
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [{"campaign_pk": campaign_pk, "handle_name": h, "added_at": NOW} for h in handles],
        )


def _fee_number(at):
    [found] = [w for w in at.number_input if w.label == "Agreed fee"]
    return found


def test_the_agreed_fee_is_shown_with_the_list_price_and_edited(
    people, web_store, creators, campaign
) -> None:
    ok = creators["supported"][:2]
    _with_prices(web_store, campaign, ok)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    row = at.dataframe[0].value.set_index("Handle").loc[ok[0]]
    assert (row["List price"], row["Agreed fee"]) == ("300.00 USD", "list price")
    assert _fee_number(at).value == 300.0  # the form starts at the list price
    _fee_number(at).set_value(250.5).run()
    _input(at, "Currency", "fee").set_value("eur").run()
    _button(at, "Save agreed fee").click().run()
    assert f"Agreed fee of @{ok[0]} saved." in _messages(at)
    row = at.dataframe[0].value.set_index("Handle").loc[ok[0]]
    assert (row["List price"], row["Agreed fee"]) == ("300.00 USD", "250.50 EUR")
    _button(at, "Back to the list price").click().run()
    row = at.dataframe[0].value.set_index("Handle").loc[ok[0]]
    assert row["Agreed fee"] == "list price"


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        (-5.0, "USD", "Agreed fee: a number from 0"),
        (1e13, "USD", "Agreed fee: a number from 0 to 1,000,000,000,000"),
        (10.0, "<b>x</b>", "Currency: A currency is a three-letter code"),
        (10.0, "=SUM(A1)", "Currency: A currency is a three-letter code"),
        (10.0, "", "Currency: A currency is a three-letter code"),
    ],
)
def test_a_bad_fee_is_named_next_to_the_field_and_not_saved(
    people, web_store, creators, campaign, amount, currency, words
) -> None:
    ok = creators["supported"][:1]
    _with_prices(web_store, campaign, ok)
    at = _page(people["manager"], campaign, tab="Creators and orders")
    _fee_number(at).set_value(amount).run()
    _input(at, "Currency", "fee").set_value(currency).run()
    assert words in _messages(at)
    assert _button(at, "Save agreed fee").disabled
    assert _fee_number(at).value == amount  # never clamped
    with web_store.read() as conn:
        assert conn.execute(select(m.CampaignCreator.agreed_fee)).scalars().all() == [None]


def test_no_list_price_means_an_empty_fee_that_must_be_entered(
    people, web_store, creators, campaign
) -> None:
    ok = creators["supported"][:1]
    _with_prices(web_store, campaign, ok)
    with web_store.write() as conn:
        conn.execute(update(m.Creator).values(creator_price=None, currency=None))
    at = _page(people["manager"], campaign, tab="Creators and orders")
    row = at.dataframe[0].value.set_index("Handle").loc[ok[0]]
    assert (row["List price"], row["Agreed fee"]) == ("—", "list price")
    assert _fee_number(at).value is None
    assert "Agreed fee: Enter the agreed amount." in _messages(at)
    assert _button(at, "Save agreed fee").disabled


def test_a_viewer_sees_fees_but_cannot_edit_them(people, web_store, creators, campaign) -> None:
    ok = creators["supported"][:1]
    _with_prices(web_store, campaign, ok)
    at = _page(people["viewer"], campaign, tab="Creators and orders")
    [table] = [d.value for d in at.dataframe if "Handle" in d.value.columns]
    assert table.set_index("Handle").loc[ok[0]]["List price"] == "300.00 USD"
    assert not [w for w in at.number_input if w.label == "Agreed fee"]
    assert not [b for b in at.button if b.label == "Save agreed fee"]
