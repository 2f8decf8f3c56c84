"""The Discovery page under AppTest: URL state, the filter form, empty results, roles."""

from __future__ import annotations

import base64

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import as_read, signed_in
from tests.builders.creators import PRICED, load, make_creators
from tests.builders.discovery import oracle
from ttcm.services.discovery import index_cache
from ttcm.services.discovery.filters import CreatorFilter

PAGE = "app_pages/discovery.py"


@pytest.fixture
def rows(web_store):
    index_cache.forget()
    data = make_creators(300, seed=21)
    load(web_store, data)
    return data


def _page(principal, **params):
    at = signed_in(principal, PAGE)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_lists_every_creator_with_charts(people, rows) -> None:
    at = _page(people["manager"])
    assert not at.exception
    assert f"{len(rows):,} creators match" in _subheaders(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 50
    charts = at.get("image")  # the two histograms, each captioned with its text alternative
    alts = [c.proto.imgs[0].alt for c in charts]
    shown = [c.value.replace("\\", "") for c in at.caption]  # markdown escapes removed
    assert len(alts) == 2 and all(a in shown for a in alts)
    assert all(f"of the {len(rows):,} matching creators have" in a for a in alts)
    svgs = [base64.b64decode(c.value[0].split(",", 1)[1]).decode() for c in charts]
    assert all(s.startswith("<svg") and s.count("<rect") >= 3 for s in svgs)


def test_filters_come_from_the_url(people, rows) -> None:
    f = CreatorFilter(countries=("US", "GB"), min_followers=20_000, sort="median_views")
    at = _page(people["viewer"], **f.to_query())
    expected = oracle(rows, f)
    assert f"{len(expected):,} creators match" in _subheaders(at)
    shown = list(at.dataframe[0].value["handle_name"])
    assert shown == expected[:50]


def test_applying_the_form_writes_the_url(people, rows) -> None:
    at = _page(people["manager"])
    at.multiselect[0].select("DE")  # creator country
    [apply] = [b for b in at.button if b.label == "Apply filters"]
    apply.click().run()
    assert at.query_params["country"] in ("DE", ["DE"])
    expected = oracle(rows, CreatorFilter(countries=("DE",)))
    assert f"{len(expected):,} creators match" in _subheaders(at)


def test_a_bad_link_is_explained_and_can_be_reset(people, rows) -> None:
    at = _page(people["manager"], fmin="lots")
    assert any("minimum followers: expected a number" in as_read(w.value) for w in at.warning)
    assert len(at.dataframe) == 0
    [reset] = [b for b in at.button if b.label == "Start again with no filters"]
    reset.click().run()
    assert "fmin" not in at.query_params


def test_no_match_offers_to_clear_the_narrowest_filter(people, rows) -> None:
    at = _page(people["manager"], country="US", fmin="999999999")
    assert "0 creators match" in _subheaders(at)
    [clear] = [b for b in at.button if b.label.startswith("Clear the minimum followers filter")]
    clear.click().run()
    assert "fmin" not in at.query_params and at.query_params["country"] in ("US", ["US"])


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "🎯"},
        {"q": '" OR 1=1 --'},
        {"country": "us,gb"},
        {"page": "999999"},
        {"page": "-3"},
        {"page": "abc"},
        {"fmax": "1e11"},
    ],
)
def test_hostile_parameters_never_break_the_page(people, rows, params) -> None:
    at = _page(people["manager"], **params)
    assert not at.exception


def test_price_sort_shows_own_and_team_prices(people, web_store) -> None:
    index_cache.forget()
    load(web_store, PRICED)
    at = _page(people["viewer"], sort="price")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["handle_name"][:3]) == ["eur_top", "vnd_big", "usd_mid"]
    vnd = table[table["handle_name"] == "vnd_big"].iloc[0]
    # the profile's money formatter: the amount with its currency and that currency's decimals
    assert vnd["creator_price"] == "291,091,000 VND"
    assert vnd["team_price"].startswith("11,06") and vnd["team_price"].endswith(" USD")
    labels = [n.label for n in at.number_input]
    assert "Price from (USD)" in labels and "Price to (USD)" in labels


def test_one_match_is_singular(people, rows) -> None:
    at = _page(people["viewer"], q=rows[0]["handle_name"])
    assert "1 creator matches" in _subheaders(at)
    assert not [s for s in _subheaders(at) if "1 creators" in s]


def test_missing_figures_show_a_dash_and_why(people, rows) -> None:
    at = _page(people["viewer"], tcm="0")  # not on TTCM: no engagement rate in the rows
    table = at.dataframe[0].value
    assert not table.isna().any().any()
    assert "None" not in set(table.astype(str).to_numpy().ravel())
    unknown = table[table["engagement_rate"] == "—"]
    assert len(unknown) and all("Engagement rate" in why for why in unknown["missing"])


def test_next_and_previous_turn_the_page_in_the_url(people, rows) -> None:
    at = _page(people["viewer"], sort="median_views")
    expected = oracle(rows, CreatorFilter(sort="median_views"))
    [nxt] = [b for b in at.button if b.label == "Next →"]
    nxt.click().run()
    assert not at.exception
    assert at.query_params["page"] in ("2", ["2"])
    assert list(at.dataframe[0].value["handle_name"]) == expected[50:100]
    assert any(c.value.startswith("Page 2 of 6") for c in at.caption)
    assert f"{len(rows):,} creators match" in _subheaders(at)  # the count stays
    [prev] = [b for b in at.button if b.label == "← Previous"]
    prev.click().run()
    assert at.query_params["page"] in ("1", ["1"])
    assert list(at.dataframe[0].value["handle_name"]) == expected[:50]


def _results_after_sign_out() -> None:
    """The results fragment run with the context of a session that ended since the page ran."""
    from ttcm.auth.users import Users
    from ttcm.services.discovery.filters import CreatorFilter
    from ttcm.web.context import page_context
    from ttcm.web.discovery_results import results

    ctx = page_context("read")
    everyone = CreatorFilter()
    first = ctx.services.discovery.search(ctx.principal, everyone, limit=50, offset=0)
    Users(ctx.store).sign_out(ctx.principal)  # e.g. signed out in another tab
    results(ctx, everyone, first, 1, 6, 50, "USD")


def test_the_results_fragment_rechecks_the_session(people, rows) -> None:
    """A fragment rerun skips the page's sign-in check, so the fragment checks it itself."""
    at = AppTest.from_function(_results_after_sign_out, default_timeout=30)
    at.session_state["ttcm_auth"] = (people["viewer"].account_id, people["viewer"].session_version)
    at.session_state["ttcm_principal"] = people["viewer"]
    at.run()
    assert not at.exception
    assert not at.dataframe  # no page of results for an ended session
    shown = " ".join(x.value for x in [*at.warning, *at.info, *at.error, *at.markdown])
    assert "Please sign in again" in shown


def _apply(at) -> None:
    [apply] = [b for b in at.button if b.label == "Apply filters"]
    apply.click().run()


def _followers_from(at):
    [field] = [n for n in at.number_input if n.label == "Followers from"]
    return field


def test_a_second_apply_in_a_row_takes_its_new_values(people, rows) -> None:
    """The run that applies a filter goes on with it; the next Apply must reach the same form."""
    at = _page(people["manager"])
    _followers_from(at).set_value(20_000)
    _apply(at)
    assert at.query_params["fmin"] in ("20000", ["20000"])
    _followers_from(at).set_value(50_000)
    _apply(at)
    assert not at.exception
    assert at.query_params["fmin"] in ("50000", ["50000"])
    expected = oracle(rows, CreatorFilter(min_followers=50_000))
    assert f"{len(expected):,} creators match" in _subheaders(at)
    assert _followers_from(at).value == 50_000


def test_a_filter_from_the_address_refills_the_form_after_an_apply(people, rows) -> None:
    """Back (or a shared link) after an Apply: the widgets show the address's filter."""
    at = _page(people["manager"], fmin="20000")
    _followers_from(at).set_value(50_000)
    _apply(at)
    at.query_params["fmin"] = "20000"  # the browser's Back
    at.run()
    assert _followers_from(at).value == 20_000
    expected = oracle(rows, CreatorFilter(min_followers=20_000))
    assert f"{len(expected):,} creators match" in _subheaders(at)
    _followers_from(at).set_value(30_000)
    _apply(at)
    assert at.query_params["fmin"] in ("30000", ["30000"])


def test_a_refused_apply_keeps_what_was_typed(people, rows) -> None:
    at = _page(people["manager"])
    _followers_from(at).set_value(50_000)
    [to] = [n for n in at.number_input if n.label == "Followers to"]
    to.set_value(1_000)  # below the minimum
    _apply(at)
    assert "fmin" not in at.query_params
    assert _followers_from(at).value == 50_000
