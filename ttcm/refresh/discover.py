"""The discover sweep: every marketplace creator of every country, under the per-query cap.

Creator discovery is capped per query (`discover_result_cap`, 250). The sweep walks each country's
follower axis in ascending order and restarts each query at the largest follower count it has
seen (inclusive), so each query is a slice under the cap and the union covers the whole directory.
A block of more creators with one identical follower count than a page holds is split by content
label.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection

from ttcm import rules
from ttcm.api.models.creators import Creator
from ttcm.domain import format as numfmt
from ttcm.refresh.context import PAGE_SIZE, RunContext
from ttcm.refresh.creator_page import write_page

log = logging.getLogger(__name__)

SWEEPERS = 1  # concurrent country sweeps; 2 let arrivals bunch at the API (measured: throttled)


def from_discover(creators: list[Creator], country: str) -> None:
    """Fill what a thin discover row may leave out but its query implies.

    Discover may send only handle, name, followers and a few metrics (issue 14): the country is
    the one queried, and every discover result is a marketplace creator. The rest (labels, price,
    audience, ER) comes from the detail endpoint for the creators the team tracks.
    """
    for c in creators:
        if c.country_code is None:
            c.country_code = country
        if c.is_tcm_creator is None:
            c.is_tcm_creator = True


def sweep(ctx: RunContext, state: dict[str, Any]) -> None:
    """Sweep every country not yet done in `state` (the checkpoint's creators section)."""
    todo = [c for c in sorted(rules.countries()) if c not in state["countries_done"]]
    # countries are independent slices and could be swept side by side through the shared
    # limiter, but concurrent requests bunch up at the API's sliding window (measured:
    # throttled answers), so SWEEPERS stays 1; the writer still overlaps
    pool = ThreadPoolExecutor(max_workers=SWEEPERS, thread_name_prefix="ttcm-sweep")
    futures = [pool.submit(sweep_country, ctx, state, c) for c in todo]
    try:
        for future in futures:
            future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # start no further country
        raise
    pool.shutdown()
    ctx.writer.flush()  # every page committed before the phase moves on


def _is_tie_page(creators: list[Creator], total: int | None) -> bool:
    """A full page of one follower count with more to come: the tie block needs splitting."""
    return bool(
        creators
        and creators[0].followers_count == creators[-1].followers_count
        and (total is not None and total > len(creators))
    )


def sweep_country(ctx: RunContext, state: dict[str, Any], country: str) -> None:
    """Sweep one country's follower axis from its cursor; every page goes to the writer."""
    limits = rules.limits()
    lo = int(state["cursor"].get(country, limits["discover_min_followers"]))
    hi = int(limits["discover_max_followers"])
    base = {"country_codes": [country], "sort_field": "FOLLOWERS", "sort_order": "ASC"}
    run = ctx.run
    while True:
        creators, info = ctx.client.discover(
            {**base, "min_followers": lo, "max_followers": hi}, page=1, page_size=PAGE_SIZE
        )
        from_discover(creators, country)
        total = info.total_number if info is not None else None
        tie = creators[0].followers_count if _is_tie_page(creators, total) else None
        if tie is not None:
            # a tie block at least a page long: take it whole, by label, then step past it
            creators = tie_block(ctx, country, tie, creators)
        last = creators[-1].followers_count if creators else None
        # an empty page leaves `last` None too
        finished = last is None or total is None or total <= len(creators) or last >= hi
        if not finished and last is not None:
            top = creators[0].followers_count
            # inclusive restart at the last count; step past it when the page was a tie
            lo = last + 1 if top == last else last

        def job(
            conn: Connection, page: list[Creator] = creators, after: int = lo, done: bool = finished
        ) -> None:
            run.add("creators", "changed", write_page(ctx, conn, page))
            run.add("creators", "seen", len(page))
            if done:
                state["countries_done"].append(country)
                state["cursor"].pop(country, None)
            else:
                state["cursor"][country] = after
            ctx.renew(conn)

        ctx.writer.submit(job)
        ctx.ticker.seen += len(creators)
        ctx.ticker.tick(
            "creators", ctx.ticker.seen, None, f"{country} ≥ {numfmt.count(lo)} followers"
        )
        if finished:
            return


def tie_block(ctx: RunContext, country: str, followers: int, first: list[Creator]) -> list[Creator]:
    """All creators of one country with exactly `followers`, fetched label by label."""
    found = {c.handle_name: c for c in first}
    cap = int(rules.limits()["discover_result_cap"])
    for label in [lab["label_id"] for lab in rules.vocab()["content_labels"]]:
        page = 1
        while True:
            creators, info = ctx.client.discover(
                {
                    "country_codes": [country],
                    "min_followers": followers,
                    "max_followers": followers + 1,
                    "content_label_ids": [label],
                    "sort_field": "FOLLOWERS",
                    "sort_order": "ASC",
                },
                page=page,
                page_size=PAGE_SIZE,
            )
            from_discover(creators, country)
            for c in creators:
                if c.followers_count == followers:
                    found.setdefault(c.handle_name, c)
            if not creators or info is None or page >= (info.total_page or 0):
                break
            if page * PAGE_SIZE >= cap:
                log.warning("tie block %s/%s/%s is over the cap", country, followers, label)
                break
            page += 1
    return list(found.values())
