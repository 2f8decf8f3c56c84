"""The profile's "Campaigns with the team" section and its Rebook link under AppTest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import as_read, how_lines, signed_in
from tests.services.board_builders import NOW, campaign, order, post
from ttcm.services.discovery import index_cache
from ttcm.store import Store
from ttcm.store import models as m

PAGE = "app_pages/creator.py"
HOSTILE = "Spring <b>launch</b> [x](http://e.vil) 🎯"


@pytest.fixture
def booked(web_store: Store) -> dict[str, int]:
    index_cache.forget()
    with web_store.write() as conn:
        conn.execute(
            m.Creator.__table__.insert(),
            [
                {
                    "handle_name": h,
                    "creator_price": price,
                    "currency": "USD",
                    "is_tcm_creator": True,
                    "is_authenticated": True,
                    "source": m.API_SOURCE,
                    "first_seen_at": NOW,
                    "fetched_at": NOW,
                }
                for h, price in (("ana", 80.0), ("ben", 60.0), ("newbie", 50.0))
            ],
        )
    spring = campaign(web_store, HOSTILE, currency="USD", brand_name="Acme")
    later = campaign(web_store, "Summer", currency="USD", created_at=NOW + timedelta(1))
    with web_store.write() as conn:
        conn.execute(
            m.CampaignCreator.__table__.insert(),
            [
                {"campaign_pk": spring, "handle_name": "ana", "added_at": NOW,
                 "agreed_fee": 100.0, "fee_currency": "USD"},
                {"campaign_pk": spring, "handle_name": "ben", "added_at": NOW,
                 "agreed_fee": None, "fee_currency": None},
            ],
        )  # fmt: skip
    order(web_store, "o-ana", "ana", spring, video_number=1, create_time=NOW)
    order(web_store, "o-ben", "ben", spring)
    post(web_store, "v1", "ana", spring, video_views=4000, engagement_count=200)
    post(web_store, "v2", "ben", spring, video_views=1000, engagement_count=10)
    return {"spring": spring, "summer": later}


def _open(principal, handle: str = "ana"):
    at = signed_in(principal)  # through app.py: the Rebook link names a page of its navigation
    at.switch_page(PAGE)
    at.query_params["handle"] = handle
    return at.run()


def _captions(at) -> str:
    return "\n".join(as_read(c.value).replace("\u2060", "") for c in at.caption)


def test_history_table_and_comparison_with_the_campaign_median(people, booked) -> None:
    at = _open(people["viewer"])
    assert not at.exception
    assert "Campaigns with the team" in [s.value for s in at.subheader]
    [table] = [d.value for d in at.dataframe if "Campaign median CPV" in d.value.columns]
    row = table.iloc[0]
    assert row["Campaign"] == HOSTILE  # as typed, a table cell is never markup
    assert (row["Orders"], row["Posts"], row["Views"]) == (
        "1 order: Accepted by creator",
        "1",
        "4,000",
    )
    # ana: 100 / 4000 = 0.025; ben: 60 / 1000 = 0.06; the median of the two is 0.0425
    assert (row["Fee"], row["CPV"], row["Campaign median CPV"]) == (
        "100.00 USD",
        "0.0250 USD",
        "0.0425 USD",
    )
    assert (row["ER"], row["Campaign median ER"]) == ("5.00%", "3.00%")  # ben 1 %
    assert f"{HOSTILE}: CPV 0.0250 USD vs campaign median 0.0425 USD" in _captions(at)
    assert not at.get("page_link")  # viewers cannot order


def test_the_history_says_how_er_cpv_and_the_medians_are_computed(people, booked) -> None:
    lines = [line.replace("\u2060", "") for line in how_lines(_open(people["viewer"]))]
    # the hostile campaign name is shown literally (no link: the escaper breaks "http://")
    assert f"{HOSTILE}: CPV = creator cost 100.00 USD ÷ views 4,000 = 0.0250 USD" in lines
    assert (
        f"{HOSTILE}: Campaign median CPV = median CPV of @ana 0.0250 USD, @ben 0.0600 USD"
        " = 0.0425 USD"
    ) in lines
    assert f"{HOSTILE}: Campaign median ER = median ER of @ana 5.00%, @ben 1.00% = 3.00%" in lines
    assert any(line.startswith(f"{HOSTILE}: ER = ") for line in lines), lines


def test_rebook_offers_the_campaigns_without_an_order_and_a_new_one(people, booked) -> None:
    at = _open(people["manager"])
    assert not at.exception
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    assert into.options == ["Summer · —", "A new campaign…"]  # Spring has her order already
    assert "Rebooking starts from the last order" in _captions(at)
    assert "fee 100.00 USD" in _captions(at)
    [rebook] = [b for b in at.button if b.label == "Rebook @ana"]
    rebook.click().run()  # to the Campaigns page, the Summer campaign, the prefilled panel
    assert not at.exception
    assert at.query_params["rebook"] in ("ana", ["ana"])
    assert "Rebook @ana into Summer" in [as_read(x.value).strip("*") for x in at.markdown]


def test_rebook_tells_same_named_campaigns_apart(people, booked, web_store) -> None:
    """A picker maps its shown label back to an option: two "Summer · —" must not both be one."""
    twin = campaign(web_store, "Summer", currency="USD", created_at=NOW + timedelta(2))
    at = _open(people["manager"])
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    summer = booked["summer"]
    shown = {as_read(o) for o in into.options}
    assert shown >= {f"Summer · — · #{summer}", f"Summer · — · #{twin}"}
    into.set_value(str(twin)).run()
    assert f"Opens the order form for Summer · — · #{twin} on the Campaigns page" in _captions(at)
    [rebook] = [b for b in at.button if b.label == "Rebook @ana"]
    rebook.click().run()
    assert not at.exception
    assert at.query_params["campaign"] in (str(twin), [str(twin)])


def test_a_creator_never_booked(people, booked) -> None:
    at = _open(people["manager"], "newbie")
    assert not at.exception
    assert "Not in any campaign of the team yet." in _captions(at)
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    assert "Summer · —" in into.options


def test_a_hostile_campaign_name_is_offered_as_typed(people, booked) -> None:
    """An option is plain text: no markdown escapes (backslashes) in what the manager reads."""
    at = _open(people["manager"], "newbie")
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    assert f"{HOSTILE} · Acme" in into.options
    assert not any("\\" in o for o in into.options), into.options


def test_back_from_rebook_shows_the_creator_again(people, booked) -> None:
    """The browser's Back after Rebook brings /creator with the Campaigns page's parameters."""
    at = signed_in(people["manager"])
    at.switch_page(PAGE)
    at.query_params.update({"rebook": "ana", "rebook_into": "new", "campaign": "1"})
    at.run()
    assert not at.exception
    assert [t.value for t in at.title][0] == "@ana"
    assert "Campaigns with the team" in [s.value for s in at.subheader]
    assert at.query_params["handle"] == "ana" and "rebook" not in at.query_params


def test_the_rebook_choice_is_kept_after_the_campaigns_page_and_back(
    people, booked, web_store
) -> None:
    """Streamlit drops the state of a widget its page does not draw; Back keeps the pick."""
    twin = campaign(web_store, "Summer", currency="USD", created_at=NOW - timedelta(2))
    at = _open(people["manager"])
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    assert into.value != str(twin)  # the newest comes first; the twin is older
    into.set_value(str(twin)).run()
    [rebook] = [b for b in at.button if b.label == "Rebook @ana"]
    rebook.click().run()
    assert at.query_params["campaign"] in (str(twin), [str(twin)])
    at.switch_page(PAGE)  # the browser's Back: the profile again
    at.query_params.clear()
    at.query_params["handle"] = "ana"
    at.run()
    [into] = [s for s in at.selectbox if s.label == "Rebook into"]
    assert into.value == str(twin)
    [rebook] = [b for b in at.button if b.label == "Rebook @ana"]
    rebook.click().run()
    assert at.query_params["campaign"] in (str(twin), [str(twin)])
