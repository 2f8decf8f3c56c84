"""The stakeholder report: one HTML file that reads well on screen, offline and printed.

Layout: a header (campaign, brand, timeline, as-of date), the KPI table, the summary numbers
(totals, pacing, costs), every chart, the creators table and the posts table. Charts are drawn
at a fixed width that fits the printable width of both A4 and Letter (180 mm at 15 mm margins),
and print CSS keeps each chart and table row on one page, repeats table headers and starts the
tables on a new page.

plotly.js is embedded once, gzip-compressed and base64-encoded (4.8 MB -> about 1.9 MB), and
unpacked by the browser's own DecompressionStream; nothing is loaded from the network. Every text
that came from people or from TikTok is escaped; figure JSON is embedded with `<` escaped so a
handle or campaign name cannot close the script element.
"""

from __future__ import annotations

import base64
import gzip
import html
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, cast

import pandas as pd
import plotly
import plotly.graph_objects as go

from ttcm.domain import format as numfmt
from ttcm.domain.formula import HOW
from ttcm.domain.performance.benchmarks import creator_benchmarks
from ttcm.domain.performance.campaign_data import CampaignData
from ttcm.domain.performance.formulas import overview_formulas
from ttcm.domain.performance.overview import Overview, summary_rows
from ttcm.domain.performance.values import fmt
from ttcm.services.posts import TRACKED

CHART_WIDTH = 680  # px at 96 dpi: 180 mm, the printable width of A4 and Letter at 15 mm margins
_STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #161823;
  margin: 0 auto; padding: 24px; max-width: 760px; }
h1 { font-size: 20pt; margin: 0 0 4px; }
h2 { font-size: 14pt; margin: 24px 0 8px; border-bottom: 2px solid #FE2C55; padding-bottom: 2px; }
p.meta { color: #555; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f4f4f6; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.note { color: #555; font-size: 8.5pt; }
figure { margin: 12px 0; width: 680px; }
figure .plot { width: 680px; }
figure.empty figcaption { color: #555; }
.fallback { color: #a00; }
@page { margin: 15mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  section.tables { break-before: page; page-break-before: always; }
  .noprint { display: none; }
}
"""
_LOADER = """
(async function () {
  const status = document.getElementById("charts-status");
  try {
    const packed = document.getElementById("plotly-gz").textContent.trim();
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const code = await new Response(stream).text();
    const lib = document.createElement("script");
    lib.textContent = code;
    document.head.appendChild(lib);
    const plots = document.querySelectorAll("div.plot[data-figure]");
    for (const div of plots) {
      const fig = JSON.parse(document.getElementById(div.dataset.figure).textContent);
      await Plotly.newPlot(div, fig.data, fig.layout,
        {displayModeBar: false, responsive: false, staticPlot: false});
    }
    status.remove();
    document.body.dataset.charts = "ready";
  } catch (err) {
    status.textContent = "This browser could not draw the charts (" + err +
      "); every number is in the tables.";
    status.className = "fallback";
    document.body.dataset.charts = "failed";
  }
})();
"""


@cache
def packed_plotly() -> str:
    """plotly.js (the bundle of the installed plotly), gzip-compressed and base64-encoded."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return base64.b64encode(gzip.compress(path.read_bytes(), 9, mtime=0)).decode("ascii")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _script_json(value: str) -> str:
    """JSON text safe inside a script element (no `<` can end it early)."""
    return value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = ()
) -> str:
    """An escaped HTML table; the columns in `numeric` are right-aligned."""
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            if i == len(row) - 1 and headers[-1] == "note":
                cls = ' class="note"'
            cells.append(f"<td{cls}>{_e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _pct(value: object) -> str:
    return fmt(_num(value), "%")


def _num(value: object) -> float | None:
    if value is None or value is pd.NaT:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def kpi_table(ov: Overview) -> str:
    """The campaign's KPIs: actual, target and progress, or why there is none."""
    rows = []
    for k in ov.kpis:
        progress = numfmt.percent(k.progress, 0) if k.progress is not None else "—"
        target = k.target_text if k.target is not None else "—"
        note = k.reason if k.progress is None else (k.actual.note or "")
        rows.append((k.label, k.actual.text(), target, progress, note or ""))
    return _table(("KPI", "actual", "target", "progress", "note"), rows, numeric=(1, 2, 3))


def summary_table(ov: Overview) -> str:
    """Totals, pacing and costs: one row per number, with its reason when it is unknown."""
    names = {"totals": "Totals", "pacing": "Pacing", "costs": "Costs"}
    rows = []
    for r in summary_rows(ov):
        if r["section"] == "kpi":
            continue
        value = fmt(r["value"], r["unit"])
        target = fmt(r["target"], r["unit"]) if r["target"] is not None else ""
        rows.append((names.get(r["section"], r["section"]), r["metric"], value, target, r["note"]))
    return _table(("section", "number", "value", "target", "note"), rows, numeric=(2, 3))


def how_details(ov: Overview) -> str:
    """The derived numbers' filled formulas, on demand (a closed <details>, escaped)."""
    items = "".join(f"<li>{_e(line)}</li>" for line in overview_formulas(ov))
    return f"<details><summary>{_e(HOW)}</summary><ul>{items}</ul></details>"


def creators_table(posts: pd.DataFrame) -> str:
    """One row per creator: posts, views and the benchmark ratios."""
    bench = creator_benchmarks(posts)
    rows = [
        (
            f"@{r.handle_name}",
            numfmt.count(_num(r.posts)),
            fmt(_num(r.video_views), "views", with_unit=False),
            _ratio(r.views_vs_campaign),
            _ratio(r.views_vs_usual),
            _ratio(r.er_vs_campaign),
            _ratio(r.er_vs_usual),
        )
        for r in bench.itertuples()
    ]
    headers = (
        "creator",
        "posts",
        "views",
        "views vs campaign",
        "views vs usual",
        "ER vs campaign",
        "ER vs usual",
    )
    return _table(headers, rows, numeric=(1, 2, 3, 4, 5, 6))


def _ratio(value: object) -> str:
    number = _num(value)
    return "—" if number is None else numfmt.percent(number, 0)


def posts_table(posts: pd.DataFrame) -> str:
    """One row per published post, most viewed first (blank where TikTok provides nothing)."""
    ordered = posts.sort_values("video_views", ascending=False, kind="stable", na_position="last")
    rows = []
    for r in ordered.itertuples():
        known = _num_time(r.create_time)
        posted = pd.Timestamp(cast(Any, r.create_time)).strftime("%Y-%m-%d") if known else ""
        rows.append(
            (
                f"@{r.handle_name}",
                posted,
                TRACKED.get(str(r.tracking), str(r.tracking)),
                fmt(_num(r.video_views), "views", with_unit=False),
                fmt(_num(r.likes), "likes", with_unit=False),
                fmt(_num(r.comments), "comments", with_unit=False),
                fmt(_num(r.shares), "shares", with_unit=False),
                _pct(r.engagement_rate),
                fmt(_num(r.reach), "accounts", with_unit=False),
                r.video_id,
            )
        )
    headers = (
        "creator",
        "posted",
        "tracked",
        "views",
        "likes",
        "comments",
        "shares",
        "eng. rate",
        "reach",
        "video",
    )
    return _table(headers, rows, numeric=(1, 3, 4, 5, 6, 7, 8))


def _num_time(value: object) -> bool:
    return (
        value is not None
        and value is not pd.NaT
        and not (isinstance(value, float) and value != value)
    )


def _for_print(fig: go.Figure) -> go.Figure:
    """The figure at the report's fixed width, on a white page."""
    out = go.Figure(fig)
    out.update_layout(
        width=CHART_WIDTH,
        autosize=False,
        paper_bgcolor="white",
        plot_bgcolor="white" if fig.data else "rgba(0,0,0,0)",
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    if fig.data:
        out.update_xaxes(gridcolor="#eee", linecolor="#bbb")
        out.update_yaxes(gridcolor="#eee", linecolor="#bbb")
    return out


def charts_html(figures: dict[str, go.Figure]) -> tuple[str, str]:
    """(the figures' markup, their JSON script elements)."""
    blocks, data = [], []
    for i, (name, fig) in enumerate(figures.items()):
        fig_id = f"fig-{i}"
        printable = _for_print(fig)
        height = int(printable.layout.height or 320)
        cls = "chart" if fig.data else "chart empty"
        blocks.append(
            f'<figure class="{cls}" id="{_e(name)}">'
            f'<div class="plot" data-figure="{fig_id}" style="height:{height}px"></div>'
            "</figure>"
        )
        data.append(
            f'<script type="application/json" id="{fig_id}">'
            f"{_script_json(printable.to_json())}</script>"
        )
    return "".join(blocks), "".join(data)


def render(
    ov: Overview,
    data: CampaignData,
    figures: dict[str, go.Figure],
    *,
    generated: datetime | None = None,
) -> str:
    """The whole report as one HTML document."""
    c = ov.campaign
    title = " · ".join(str(x) for x in (c.get("campaign_name"), c.get("brand_name")) if x)
    title = title or "Campaign report"
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    timeline = " → ".join(f"{d:%Y-%m-%d}" for d in (c.get("start_date"), c.get("end_date")) if d)
    t = ov.totals
    meta = (
        f"Timeline {timeline or 'not set'} · stats as of {ov.as_of:%Y-%m-%d} · "
        f"{numfmt.plural(t.posts, 'published post')} · "
        f"{numfmt.plural(ov.ordered_videos + ov.declined_videos, 'video')} ordered · "
        f"{numfmt.count(ov.declined_videos)} declined · {numfmt.count(t.order_posts)} delivered · "
        f"generated {when} by ttcm"
    )
    figs, figs_json = charts_html(figures)
    posts = data.posts
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_STYLE}</style></head><body>
<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p></header>
<section><h2>KPIs</h2>{kpi_table(ov)}</section>
<section><h2>Summary</h2>{summary_table(ov)}{how_details(ov)}</section>
<section><h2>Charts</h2><p id="charts-status" class="noprint">Drawing the charts…</p>
{figs}</section>
<section class="tables"><h2>Creators ({numfmt.count(len(creator_benchmarks(posts)))})</h2>
{creators_table(posts)}
<h2>Posts ({numfmt.count(len(posts))})</h2>
{posts_table(posts)}</section>
{figs_json}
<script type="application/octet-stream" id="plotly-gz">{packed_plotly()}</script>
<script>{_LOADER}</script>
</body></html>
"""
