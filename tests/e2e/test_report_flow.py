"""The stakeholder report opened offline in chromium, on screen and printed to A4 and Letter."""

from __future__ import annotations

import re

from tests.e2e.builders import make_campaign
from tests.e2e.conftest import ARTIFACTS, App, shot

# tick labels and axis titles that stick out of their chart (cut off when drawn)
_CUT_LABELS = """
() => {
  const cut = [];
  for (const plot of document.querySelectorAll("div.plot")) {
    const box = plot.getBoundingClientRect();
    const labels = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .gtitle";
    for (const t of plot.querySelectorAll(labels)) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      const outside = r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      if (outside) {
        cut.push(plot.parentElement.id + ": " + t.textContent);
      }
    }
  }
  return cut;
}
"""


def test_the_report_reads_well_on_screen_and_printed(page, app: App) -> None:
    pk, _ = make_campaign(app, first=100)
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "report.html"
    done = app.ttcm("report", "--campaign", str(pk), "--format", "html", "--output", str(out))
    assert done.returncode == 0, done.stderr
    size = out.stat().st_size
    assert size < 2_500_000, size
    page.route(re.compile(r"^https?://"), lambda route: route.abort())  # offline: no network
    page.goto(out.as_uri())
    page.wait_for_function("document.body.dataset.charts === 'ready'", timeout=60_000)
    plots = page.locator("div.plot")
    assert plots.count() >= 7
    for i in range(plots.count()):
        plots.nth(i).locator(".main-svg").first.wait_for()
    assert page.evaluate(_CUT_LABELS) == []
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('div.plot .xtick text, div.plot .ytick text')]"
        ".map((t) => t.textContent)"
    )
    assert ticks
    assert not [t for t in ticks if t.strip() in ("%", "")]  # % ticks carry their number
    # audience labels for people, ages in their natural order (issue 11)
    assert "Female" in ticks and "FEMALE" not in ticks and "MALE" not in ticks
    ages = page.evaluate(
        "() => [...document.querySelectorAll('#audience_ages .ytick text')]"
        ".map((t) => [t.getBoundingClientRect().top, t.textContent])"
    )
    in_order = [label for _, label in sorted(ages)]
    assert in_order and in_order == sorted(in_order, key=lambda a: int(a[:2]))
    body = page.locator("body").inner_text()
    assert "KPIs" in body and "Creators (" in body and "Posts (" in body
    shot(page, "report-screen")
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True, prefer_css_page_size=False)
        (ARTIFACTS / f"report-{paper}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages >= 3, (paper, pages)
