"""Report export (CSV numbers, standalone HTML) and the `spark` / `report` commands."""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import io
import json
import tempfile
from datetime import date
from pathlib import Path

import plotly
import pytest

from tests.builders.performance import day
from tests.builders.posts import add_spring_campaign, seed_spring
from ttcm.auth import SYSTEM, PermissionDenied, Principal
from ttcm.charts import campaign
from ttcm.cli import reports as cli_reports
from ttcm.cli import spark as cli_spark
from ttcm.services import reports, stakeholder_report
from ttcm.store import Store

HOSTILE = '<script>alert("x")</script> & "Spring" =SUM(A1)'


def run_cli(monkeypatch, store_url: str, *argv: str) -> tuple[int, str, str]:
    """Run a `spark` or `report` command as `ttcm` does; returns (exit code, stdout, stderr)."""
    from ttcm.cli.common import CLIError

    monkeypatch.setenv("TTCM_DATABASE_URL", store_url)
    # the commands read the sandbox's clock: its state file stays out of the project's data/
    monkeypatch.setenv("TTCM_SANDBOX_STATE", str(Path(tempfile.mkdtemp()) / "state.json"))
    monkeypatch.setenv("TTCM_SANDBOX_CREATORS", "300")
    parser = argparse.ArgumentParser(prog="ttcm")
    commands = parser.add_subparsers(dest="command", required=True)
    cli_spark.register(commands)
    cli_reports.register(commands)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    try:
        args = parser.parse_args(argv)
        code = int(args.func(args) or 0)
    except CLIError as exc:
        err.write(f"ttcm: {exc}\n")
        code = 1
    except SystemExit as exc:  # argparse rejected the arguments
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def spring_pk(store: Store) -> int:
    return seed_spring(store)


def test_overview_csv_has_numbers_units_and_reasons(store: Store, spring_pk: int) -> None:
    report = reports.build(store, SYSTEM, spring_pk, today=date(2026, 3, 20))
    rows = list(csv.DictReader(io.StringIO(reports.overview_csv(report.overview))))
    by = {(r["section"], r["metric"]): r for r in rows}
    assert by[("totals", "Views")]["value"] == "6500" and by[("totals", "Views")]["unit"] == (
        "views"
    )
    assert float(by[("kpi", "Reach")]["progress (1.0 = target reached)"]) == pytest.approx(0.6125)
    assert float(by[("costs", "Cost per view (fees)")]["value"]) == pytest.approx(500 / 6500)
    assert by[("costs", "Creator cost (agreed fees)")]["unit"] == "USD"
    rates = [r for r in rows if r["unit"] == "%" and r["value"]]
    assert rates and all(1 < float(r["value"]) <= 100 for r in rates)  # percentages, not fractions


def test_an_empty_campaign_exports_reasons_not_zeros(store: Store) -> None:
    pk = add_spring_campaign(store, budget=0.0, currency="USD")
    report = reports.build(store, SYSTEM, pk)
    rows = list(csv.DictReader(io.StringIO(reports.overview_csv(report.overview))))
    views = next(r for r in rows if r["metric"] == "Views")
    assert views["value"] == "" and views["note"] == "No published posts yet."
    cpv = next(r for r in rows if r["metric"] == "Cost per view (budget)")
    assert cpv["value"] == "" and "cost is 0" in cpv["note"]
    html = reports.overview_html(report)
    assert "No published posts yet." in html


def test_html_report_is_standalone_and_escapes_names(store: Store) -> None:
    pk = seed_spring(store)
    from sqlalchemy import update

    from ttcm.store import models as m

    with store.write() as conn:
        conn.execute(update(m.Campaign).where(m.Campaign.id == pk).values(campaign_name=HOSTILE))
    report = reports.build(store, SYSTEM, pk, today=day(20))
    html = reports.overview_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Spring&quot;" in html
    assert "<script src=" not in html  # nothing loaded from the network
    for name in ("pacing", "kpis", "views", "benchmark", "retention", "audience_genders"):
        assert f'id="{name}"' in html
    assert "6,500 views" in html


def _embedded_plotly(page: str) -> bytes:
    start = page.index('<script type="application/octet-stream" id="plotly-gz">')
    body = page[page.index(">", start) + 1 : page.index("</script>", start)]
    return gzip.decompress(base64.b64decode(body))


def test_the_stakeholder_report_holds_kpis_charts_creators_and_posts(
    store: Store, spring_pk: int
) -> None:
    report = reports.build(store, SYSTEM, spring_pk, today=day(20))
    page = reports.overview_html(report)
    size = len(page.encode("utf-8"))
    assert size < 2_500_000, size  # plotly.js alone is 4.8 MB unpacked
    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _embedded_plotly(page) == bundle.read_bytes()  # the library, embedded once
    assert page.count('id="plotly-gz"') == 1 and page.count("DecompressionStream") == 1
    assert "<h2>KPIs</h2>" in page
    assert "<td>Posts delivered vs ordered (declined orders not counted)</td>" in page
    assert '<td class="num">65%</td>' in page  # views: 6,500 of 10,000
    assert "<h2>Creators (3)</h2>" in page and "<td>@cat</td>" in page
    assert "<h2>Posts (4)</h2>" in page
    for vid in ("101", "102", "103", "104"):
        assert f"<td>{vid}</td>" in page
    assert page.count('<div class="plot" data-figure="fig-') == len(report.figures)
    # printing: page margins for A4 and Letter, charts and rows kept whole, headers repeated
    for rule in ("@page", "break-inside: avoid", "display: table-header-group", "@media print"):
        assert rule in page
    assert '"width":680' in page  # charts drawn at the printable width


def test_figure_json_cannot_close_its_script_element(store: Store) -> None:
    fig = campaign.retention([("</script><script>alert(1)</script>", [1.0, 0.5])])
    figs, data = stakeholder_report.charts_html({"retention": fig})
    assert "</script><script>alert" not in data
    assert data.count("</script>") == 1


def test_posts_csv_leaves_unavailable_metrics_empty(store: Store, spring_pk: int) -> None:
    data = reports.build(store, SYSTEM, spring_pk).data
    rows = {r["Video"]: r for r in csv.DictReader(io.StringIO(reports.posts_csv(data)))}
    assert rows["104"]["Reach (accounts)"] == "" and rows["104"]["Views"] == "500"
    assert rows["101"]["Reach (accounts)"] == "1500"
    assert all("_" not in header for header in rows["101"])
    rate = data.posts.set_index("video_id").loc["101", "engagement_rate"]
    assert float(rows["101"]["Engagement rate (%)"]) == pytest.approx(rate * 100)


def test_overview_csv_says_how_each_derived_number_is_computed(
    store: Store, spring_pk: int
) -> None:
    report = reports.build(store, SYSTEM, spring_pk, today=day(20))
    rows = list(csv.DictReader(io.StringIO(reports.overview_csv(report.overview))))
    how = {r["metric"]: r["how is this computed"] for r in rows if r["section"] != "kpi"}
    # 300 (ana's list price) + 200 (ben's); dan declined; 6,500 views, 300 engagements
    assert how["Engagement rate"] == "ER = engagements 300 ÷ views 6,000 = 5.00%"
    assert how["CPM (fees)"] == "CPM = creator cost 500.00 USD ÷ views 6,500 × 1,000 = 76.92 USD"
    assert how["Cost per engagement (budget)"] == (
        "CPE (budget) = budget 1,000.00 USD ÷ engagements 300 = 3.33 USD"
    )
    assert how["Projected views at end date"].startswith(
        "Projected views = views to date 6,500 ÷ days elapsed "
    )
    assert how["Views"] == ""  # a stored count has no formula


def test_an_unavailable_cost_says_which_input_is_missing(store: Store) -> None:
    pk = add_spring_campaign(store, budget=0.0, currency="USD")
    report = reports.build(store, SYSTEM, pk)
    text = reports.overview_csv(report.overview)
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(text)) if r["section"] != "kpi"}
    assert rows["Cost per view (budget)"]["how is this computed"] == (
        "CPV (budget) is unavailable: budget is 0, views is missing"
    )
    assert rows["Engagement rate"]["how is this computed"] == (
        "ER is unavailable: engagements is missing, views is missing"
    )


def test_posts_csv_has_a_how_column_beside_each_derived_rate(store: Store, spring_pk: int) -> None:
    data = reports.build(store, SYSTEM, spring_pk).data
    rows = {r["Video"]: r for r in csv.DictReader(io.StringIO(reports.posts_csv(data)))}
    assert rows["101"]["Engagement rate how"] == (
        "ER = (likes 100 + comments 10 + shares 10) ÷ views 2,000 = 6.00%"
    )
    assert rows["101"]["Reach rate how"] == "Reach rate = reach 1,500 ÷ views 2,000 = 75.00%"
    assert rows["101"]["Completion rate how"].startswith("Completion rate = 30.00% (reported")
    # a hand-added post from a non-authenticated account has none of these metrics
    assert rows["104"]["Engagement rate how"] == rows["104"]["Reach rate how"] == ""


def test_the_report_shows_the_formulas_on_demand_escaped(store: Store, spring_pk: int) -> None:
    report = reports.build(store, SYSTEM, spring_pk, today=day(20))
    page = reports.overview_html(report)
    start = page.index("<details><summary>ⓘ how is this computed</summary>")
    block = page[start : page.index("</details>", start)]
    assert "<li>ER = engagements 300 ÷ views 6,000 = 5.00%</li>" in block
    assert "<li>CPM = creator cost 500.00 USD ÷ views 6,500 × 1,000 = 76.92 USD</li>" in block
    assert "<li>Remaining budget = budget 1,000.00 USD − creator cost 500.00 USD = " in block
    assert block.count("<li>") == 10


def test_only_roles_that_may_export(store: Store, spring_pk: int) -> None:
    reports.build(store, Principal("val", "Val", "viewer", 1), spring_pk)  # viewers may export
    with pytest.raises(PermissionDenied):
        reports.build(store, Principal("x", "X", "nobody", 1), spring_pk)


# ---------------------------------------------------------------- command line


def test_report_command_writes_csv_and_html(monkeypatch, store_url, store, spring_pk, tmp_path):
    code, out, _ = run_cli(monkeypatch, store_url, "report", "--campaign", str(spring_pk),
                           "--format", "csv")  # fmt: skip
    assert code == 0 and out.startswith('"section","metric","value","unit"')
    target = tmp_path / "report.html"
    code, out, err = run_cli(
        monkeypatch,
        store_url,
        "report",
        "--campaign",
        "7300000000000000042",
        "--format",
        "html",
        "--output",
        str(target),
    )
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("report", "--campaign", "99", "--format", "csv"), "There is no campaign 99"),
        (("report", "--campaign", "<b>", "--format", "csv"), "campaign is named by its number"),
        (("spark", "status", "--campaign", "x' OR 1=1"), "campaign is named by its number"),
        (("spark", "request", "--video", "abc", "--days", "30"), "1-32 digits"),
        (("spark", "request", "--video", "101", "--days", "30", "--extend"), "can be extended"),
    ],
)
def test_commands_fail_with_one_clear_line(monkeypatch, store_url, store, spring_pk, argv, message):
    code, out, err = run_cli(monkeypatch, store_url, *argv)
    assert code == 1 and out == ""
    assert err.startswith("ttcm: ") and message in err and err.count("\n") == 1


def test_days_outside_the_allowed_set_are_refused(monkeypatch, store_url, store) -> None:
    code, _, err = run_cli(monkeypatch, store_url, "spark", "request", "--video", "1", "--days",
                           "14")  # fmt: skip
    assert code == 2 and "choose 7, 30, 60, 365 days, got '14'" in err


def test_spark_status_json_uses_api_field_names(monkeypatch, store_url, store, spring_pk) -> None:
    code, out, _ = run_cli(monkeypatch, store_url, "spark", "status", "--campaign",
                           str(spring_pk), "--format", "json")  # fmt: skip
    assert code == 0
    rows = {r["video_id"]: r for r in json.loads(out)}
    assert set(rows) == {"101", "103"}
    assert rows["101"]["auth_code"] == "#code101" and rows["101"]["auth_status"] == "ACCEPTED"
    assert rows["103"]["auth_status"] == "WAITING" and rows["103"]["days_left"] is None
    assert list(rows["101"])[:3] == ["video_id", "handle_name", "campaign_pk"]
