"""Spark Ads: each post's authorization (status, code, dates, days left) and requests to TikTok.

A request (or an extension) is sent at most once per video, action and UTC day: it is claimed in
`write_intents` under "spark:<video>:<apply|extend>:<YYYY-MM-DD>" before anything is sent (see
ttcm.services.writes). A double click, a second tab or a retry the same day gets the first
answer back. When an earlier attempt ended ambiguously, the video's status is read first: if
TikTok's remaining-request counter moved, the request arrived and is not sent again. Every request
is audited with TikTok's request id, in the same transaction that records the new status.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, Table, select

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.errors import InputError
from ttcm.services.campaign_posts import counted
from ttcm.services.posts import PostError, clean_video_id
from ttcm.services.writes import WriteInProgress, claim, finish, mark, mark_outcome, note
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.rows_spark import spark_row
from ttcm.store.timestamps import as_utc
from ttcm.store.upsert import upsert

if TYPE_CHECKING:
    from ttcm.api.protocol import TikTokOne

AUTH_STATUSES = ("WAITING", "ACCEPTED", "REJECTED")
CODE_STATUSES = ("NOT_USED", "IN_USE", "EXPIRED", "DELETED")
AUTH_LABELS = {"WAITING": "waiting for the creator", "ACCEPTED": "accepted", "REJECTED": "declined"}
CODE_LABELS = {
    "NOT_USED": "not used yet",
    "IN_USE": "in use",
    "EXPIRED": "expired",
    "DELETED": "deleted",
}


def auth_label(status: object) -> str:
    """A request status in words ("not requested" when none was sent; a missing cell is NaN)."""
    return (
        AUTH_LABELS.get(status, status) if isinstance(status, str) and status else "not requested"
    )


def code_label(status: object) -> str:
    """An authorization code's status in words ("—" when there is no code)."""
    return CODE_LABELS.get(status, status) if isinstance(status, str) and status else "—"


# field names of `ttcm spark status --format json` (the API's, plus the post's handle)
STATUS_FIELDS = (
    "video_id",
    "handle_name",
    "campaign_pk",
    "auth_status",
    "auth_code",
    "auth_code_status",
    "auth_code_start_time",
    "auth_code_end_time",
    "days_left",
    "num_remaining_request",
    "requested_authorization_days",
)


class SparkError(InputError):
    """A Spark Ads request that cannot be sent; the message says why and what to do."""


def days_left(start: datetime | None, end: datetime | None, now: datetime) -> int | None:
    """Whole days (rounded up) an authorization code still runs; 0 once it ended."""
    end = as_utc(end)
    if end is None:
        return None
    begin = max(as_utc(start) or now, now)  # a code never has more days left than it lasts
    seconds = (end - begin).total_seconds()
    return max(0, math.ceil(seconds / 86_400))


def is_live(row: dict[str, Any] | None, now: datetime) -> bool:
    """True when an accepted code has not ended and is not expired or deleted."""
    if not row or row.get("auth_status") != "ACCEPTED":
        return False
    if row.get("auth_code_status") in ("EXPIRED", "DELETED"):
        return False
    end = as_utc(row.get("auth_code_end_time"))
    return end is not None and end > now


def check_request(
    post: dict[str, Any] | None,
    spark: dict[str, Any] | None,
    days: int,
    extend: bool,
    now: datetime,
) -> None:
    """Raise SparkError when a request cannot be sent, naming the reason."""
    allowed = rules.spark_days()
    if isinstance(days, bool) or days not in allowed:
        raise SparkError(
            f"Choose an authorization of {', '.join(map(str, allowed))} days (got {days!r})."
        )
    if post is None:
        raise SparkError(
            "This video is not a published post of any campaign in the cache; "
            "run a refresh first (`ttcm refresh`)."
        )
    if post.get("tracking") != "order":
        raise SparkError(
            "Spark Ads can only be requested for posts tied to an order or a campaign; this one "
            "was added by hand. Ask the creator to tie it with the campaign code first."
        )
    remaining = (spark or {}).get("num_remaining_request")
    if remaining is not None and int(remaining) <= 0:
        raise SparkError("TikTok allows no more Spark Ads requests for this video.")
    live = is_live(spark, now)
    if extend and not live:
        state = (spark or {}).get("auth_code_status") or (spark or {}).get("auth_status")
        raise SparkError(
            "Only an accepted, unexpired authorization can be extended; this video's is "
            f"{state or 'not requested yet'}. Send a new request instead."
        )
    if not extend and live:
        end = as_utc(spark["auth_code_end_time"]) if spark else None
        raise SparkError(
            f"This video is already authorized until {end:%Y-%m-%d}; extend it instead."
        )


@dataclass(frozen=True)
class SparkResult:
    """What happened to one request."""

    video_id: str
    ok: bool
    message: str
    request_id: str | None = None
    already: bool = False  # the same request was already sent today
    status: dict[str, Any] | None = None


@dataclass
class SparkOutcome:
    """Results of a request for several posts."""

    results: list[SparkResult] = field(default_factory=list)

    @property
    def sent(self) -> list[SparkResult]:
        """Requests that reached TikTok (now or earlier today)."""
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[SparkResult]:
        """Requests that were refused or could not be sent."""
        return [r for r in self.results if not r.ok]


def _rows(store: Store, where: ColumnElement[bool], now: datetime) -> list[dict[str, Any]]:
    p, s, d = m.Post, m.SparkAuthorization, m.Deliverable
    query = (
        select(
            d.spark_days.label("order_spark_days"),
            p.video_id,
            p.handle_name,
            p.campaign_pk,
            p.tracking,
            p.create_time,
            p.video_views,
            s.auth_status,
            s.auth_code,
            s.auth_code_status,
            s.auth_code_start_time,
            s.auth_code_end_time,
            s.num_remaining_request,
            s.requested_authorization_days,
            s.auth_status_updated_time,
            s.fetched_at,
        )
        .join(s, s.video_id == p.video_id, isouter=True)
        .join(d, d.video_id == p.video_id, isouter=True)
        .where(where)
        .order_by(p.create_time.desc(), p.video_id)
    )
    with store.read() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        # a deliverable ordered with Spark Ads was requested with the order: shown as such at
        # once, before the refresh reads the request's status from TikTok
        asked = int(row.pop("order_spark_days") or 0)
        row["requested_with_order"] = asked > 0
        if row["auth_status"] is None and asked > 0:
            row["auth_status"] = "WAITING"
            row["requested_authorization_days"] = asked
        row["days_left"] = (
            days_left(row["auth_code_start_time"], row["auth_code_end_time"], now)
            if row["auth_status"] == "ACCEPTED"
            else None
        )
        row["can_request"] = row["tracking"] == "order" and not is_live(row, now)
        row["can_extend"] = row["tracking"] == "order" and is_live(row, now)
    return rows


class SparkAds:
    """Spark Ads authorizations of campaign posts; requests need `spark.request`."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], Any],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        wait_seconds: float = 30.0,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.now = now
        self.wait_seconds = wait_seconds

    # ------------------------------------------------------------ reads

    def table(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """Every post of the campaign with its authorization (blank when never requested)."""
        require(actor, "read")
        return _rows(self.store, counted(campaign_pk), self.now())

    def status(self, actor: Principal, campaign_pk: int | None = None) -> list[dict[str, Any]]:
        """Requested authorizations (of one campaign, or all), with the API's field names."""
        require(actor, "read")
        where: ColumnElement[bool] = m.SparkAuthorization.video_id.is_not(None)
        if campaign_pk is not None:
            where = where & counted(campaign_pk)
        return [{k: row[k] for k in STATUS_FIELDS} for row in _rows(self.store, where, self.now())]

    # ------------------------------------------------------------ requests

    def _state(self, video_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        with self.store.read() as conn:
            post = conn.execute(
                select(
                    m.Post.video_id, m.Post.handle_name, m.Post.campaign_pk, m.Post.tracking
                ).where(m.Post.video_id == video_id)
            ).first()
            spark = conn.execute(
                select(m.SparkAuthorization.__table__).where(
                    m.SparkAuthorization.video_id == video_id
                )
            ).first()
        return (dict(post._mapping) if post else None, dict(spark._mapping) if spark else None)

    def request(
        self, actor: Principal, video_id: str, days: int, *, extend: bool = False
    ) -> SparkResult:
        """Ask the creator to authorize (or extend) Spark Ads use of one post, once a day."""
        require(actor, "spark.request")
        try:
            vid = clean_video_id(video_id)
        except PostError as exc:
            raise SparkError(str(exc)) from None
        now = self.now()
        post, spark = self._state(vid)
        check_request(post, spark, days, extend, now)
        assert post is not None
        action = "extend" if extend else "apply"
        key = f"spark:{vid}:{action}:{today_utc(now).isoformat()}"
        before = (spark or {}).get("num_remaining_request")
        payload = {"video_id": vid, "days": days, "extend": extend, "remaining_before": before}
        intent = claim(
            self.store, key, "spark.request", payload, actor, wait_seconds=self.wait_seconds
        )
        if intent.done_result is not None:
            return SparkResult(
                vid,
                True,
                f"Already {'extended' if extend else 'requested'} today; not sent again.",
                intent.request_id,
                already=True,
                status=spark,
            )
        request_id: str | None = None
        sending = False
        try:
            with self.client_factory() as client:
                arrived = intent.resumed and self._arrived(client, vid, before)
                if arrived:
                    request_id = intent.request_id
                else:
                    note(self.store, {intent.id: payload})  # what may reach TikTok, before it does
                    sending = True
                    request_id = client.spark_apply(vid, days=days, extend=extend).request_id
                    sending = False
                status = self._status(client, vid)
        except Exception as exc:
            if sending:
                mark_outcome(self.store, [intent.id], exc)
            elif request_id is None:
                # nothing was sent now; an earlier, unconfirmed attempt stays unconfirmed
                state = "unknown" if intent.resumed else "failed"
                mark(self.store, [intent.id], state, f"{exc.__class__.__name__}: {exc}"[:500])
            raise SparkError(_failure_text(exc)) from exc
        with self.store.write() as conn:
            if status is not None:
                upsert(
                    conn,
                    cast(Table, m.SparkAuthorization.__table__),
                    [status],
                    key=["video_id"],
                    compare=[c for c in status if c not in ("video_id", "fetched_at")],
                )
            result = {"video_id": vid, "days": days, "action": action}
            finish(conn, intent.id, "done", request_id, result)
            record(
                conn,
                actor.username,
                f"spark.{action}" if not arrived else f"spark.{action}.reconcile",
                vid,
                {
                    "days": days,
                    "handle": post["handle_name"],
                    "campaign_pk": post["campaign_pk"],
                },
                request_id,
            )
        verb = "Extension" if extend else "Request"
        return SparkResult(
            vid,
            True,
            f"{verb} for {days} days sent to @{post['handle_name']}.",
            request_id,
            status=status,
        )

    def request_many(
        self, actor: Principal, video_ids: Iterable[str], days: int, *, extend: bool = False
    ) -> SparkOutcome:
        """`request` for each post; one refusal does not stop the others."""
        require(actor, "spark.request")
        outcome = SparkOutcome()
        for vid in dict.fromkeys(video_ids):
            try:
                outcome.results.append(self.request(actor, vid, days, extend=extend))
            except (SparkError, WriteInProgress) as exc:
                outcome.results.append(SparkResult(str(vid), False, str(exc)))
        return outcome

    def _arrived(self, client: TikTokOne, vid: str, before: int | None) -> bool:
        """After an ambiguous failure: did the earlier request reach TikTok?"""
        from ttcm.api import errors as api_errors

        try:
            status = client.spark_status(vid)
        except api_errors.NotFoundError:
            return False
        if before is None:
            return True  # there was no request before, and now there is one
        remaining = status.num_remaining_request
        return remaining is not None and remaining < before

    def _status(self, client: TikTokOne, vid: str) -> dict[str, Any] | None:
        """The video's status right after a request (None when TikTok does not answer)."""
        from ttcm.api import errors as api_errors

        try:
            return spark_row(client.spark_status(vid), self.now())
        except api_errors.TikTokAPIError:
            return None  # the next refresh reads it


def _failure_text(exc: BaseException) -> str:
    from ttcm.api import errors as api_errors

    if isinstance(exc, api_errors.APIConnectionError) and not exc.sent:
        return f"TikTok could not be reached, so nothing was sent ({exc.message}); try again."
    if isinstance(exc, api_errors.APIConnectionError | api_errors.ServerError):
        return (
            "TikTok did not confirm the request. ttcm checks the video's status before sending "
            "again, so retrying cannot send it twice."
        )
    if isinstance(exc, api_errors.RateLimitError):
        return "TikTok is rate limiting requests right now; try again in a minute."
    if isinstance(exc, api_errors.TikTokAPIError):
        return f"TikTok refused the request: {exc.message}"
    return f"The request could not be sent: {exc}"


def today_utc(now: datetime | None = None) -> date:
    """The UTC day that keys a request."""
    return (now or datetime.now(UTC)).astimezone(UTC).date()
