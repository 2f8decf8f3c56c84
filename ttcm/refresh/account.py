"""Refresh step run first: the TTCM account and the label vocabularies."""

from __future__ import annotations

from ttcm.refresh.context import RunContext
from ttcm.store import models as m
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

ACCOUNT_COMPARE = ("account_name", "timezone", "country", "business_verification_status")


def refresh_account_and_labels(ctx: RunContext) -> None:
    """Fetch the account and both label lists and write them in one transaction."""
    now = ctx.now()
    info = ctx.client.account_info()
    labels = ctx.client.labels("SEARCH")
    label_rows = [
        {"label_id": str(x.label_id), "label_type": kind, "label_name": x.label_name}
        for kind, items in (
            ("content", labels.content_labels),
            ("industry", labels.industry_labels),
        )
        for x in items or ()
    ]
    account = {
        "account_id": str(info.tto_tcm_account_id),
        "account_name": info.account_name,
        "timezone": info.timezone,
        "country": info.country,
        "business_verification_status": info.business_verification_status,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }
    with ctx.store.write() as conn:
        upsert(conn, table_of(m.Account), [account], key=["account_id"], compare=ACCOUNT_COMPARE)
        written = upsert(conn, table_of(m.Label), label_rows, key=["label_id"])
        ctx.run.add("labels", "written", written)
        ctx.renew(conn)
