"""The Spark Ads expiry board: every authorization code across campaigns, soonest to expire first.

Reads come from the store (the refresh keeps `spark_authorizations` current); extending goes
through `SparkAds.request_many`, so each extension is sent at most once a day and audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, func, select

from ttcm import rules
from ttcm.api.client import TikTokOneClient
from ttcm.auth import Principal, require
from ttcm.errors import InputError
from ttcm.services.export import Column, to_csv
from ttcm.services.spark import CODE_STATUSES, SparkAds, SparkOutcome, days_left
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc

WINDOWS = (7, 14, 30)  # "expires in N days" filters
SOON_DAYS = 7  # what Home and the alerts call "expiring soon"
_ENDED = ("EXPIRED", "DELETED")
# video id, caption, handle, campaign id and name, code, status, start, end
CodeRow = tuple[
    str, str | None, str | None, int | None, str | None, str, str | None, datetime | None,
    datetime | None,
]  # fmt: skip
_CODE_COLUMNS = ("auth_code", "auth_code_status", "auth_code_start_time", "auth_code_end_time")


class BoardInputError(InputError):
    """A filter or an extension choice of the board that is refused; `field` names the widget."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class BoardCode:
    """One authorization code on the board."""

    video_id: str
    caption: str | None
    handle_name: str | None
    campaign_pk: int | None
    campaign_name: str | None
    auth_code: str
    auth_code_status: str | None
    auth_code_start_time: datetime | None
    auth_code_end_time: datetime | None
    days_left: int | None
    live: bool  # accepted, not ended, not expired or deleted: can be extended

    def as_row(self) -> dict[str, object]:
        """The code as a plain dict (CSV, JSON, DataFrame)."""
        return asdict(self)


CSV_COLUMNS: tuple[Column, ...] = (
    ("video_id", "Video id"),
    ("caption", "Post"),
    ("handle_name", "Creator"),
    ("campaign_name", "Campaign"),
    ("auth_code", "Authorization code"),
    ("auth_code_status", "Status"),
    ("auth_code_start_time", "Starts (UTC)"),
    ("auth_code_end_time", "Ends (UTC)"),
    ("days_left", "Days left"),
)


def check_window(within: int | None) -> int | None:
    """The "expires in" filter, refused unless it is one of WINDOWS (None: any time)."""
    if within is not None and (isinstance(within, bool) or within not in WINDOWS):
        choices = ", ".join(map(str, WINDOWS))
        raise BoardInputError("within", f"Expires in: choose {choices} days (got {within!r}).")
    return within


def check_statuses(statuses: Iterable[str] | None) -> tuple[str, ...]:
    """The status filter, refused when it names a status TikTok does not have."""
    chosen = tuple(dict.fromkeys(statuses or ()))
    unknown = [s for s in chosen if s not in CODE_STATUSES]
    if unknown:
        raise BoardInputError(
            "status", f"Status: {unknown[0]!r} is not one of {', '.join(CODE_STATUSES)}."
        )
    return chosen


def expiring_within(now: datetime, days: int) -> tuple[ColumnElement[bool], ...]:
    """SQL conditions on `spark_authorizations`: a code not ended that ends within `days` days."""
    s = m.SparkAuthorization
    return (
        s.auth_code_end_time > now,
        s.auth_code_end_time <= now + timedelta(days=days),
        s.auth_code_status.not_in(_ENDED) | s.auth_code_status.is_(None),
    )


def _code(row: CodeRow, now: datetime) -> BoardCode:
    vid, caption, handle, pk, name, code, status, start, end = row
    start, end = as_utc(start), as_utc(end)
    return BoardCode(
        vid,
        caption,
        handle,
        pk,
        name,
        code,
        status,
        start,
        end,
        days_left(start, end, now),
        status not in _ENDED and end is not None and end > now,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class SparkBoard:
    """Authorization codes of every campaign; extending needs `spark.request`."""

    store: Store
    client_factory: Callable[[], TikTokOneClient]
    now: Callable[[], datetime] = field(default=_utcnow, kw_only=True)

    def codes(
        self,
        actor: Principal,
        *,
        within: int | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[BoardCode]:
        """Every code (filtered), the soonest to end first; codes without an end date last."""
        require(actor, "read")
        window = check_window(within)
        chosen = check_statuses(statuses)
        now = self.now().astimezone(UTC)
        s, p, c = m.SparkAuthorization, m.Post, m.Campaign
        query = (
            select(s.video_id, p.caption, p.handle_name, p.campaign_pk, c.campaign_name)
            .add_columns(*(s.__table__.c[name] for name in _CODE_COLUMNS))
            .join(p, p.video_id == s.video_id, isouter=True)
            .join(c, c.id == p.campaign_pk, isouter=True)
            .where(s.auth_status == "ACCEPTED", s.auth_code.is_not(None))
            .order_by(s.auth_code_end_time.is_(None), s.auth_code_end_time, s.video_id)
        )
        if chosen:
            query = query.where(s.auth_code_status.in_(chosen))
        if window is not None:
            query = query.where(*expiring_within(now, window))
        with self.store.read() as conn:
            rows = conn.execute(query).all()
        return [_code(cast(CodeRow, tuple(r)), now) for r in rows]

    def expiring_count(self, actor: Principal, days: int = SOON_DAYS) -> int:
        """How many live codes end within `days` days."""
        require(actor, "read")
        now = self.now().astimezone(UTC)
        s = m.SparkAuthorization
        with self.store.read() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(s)
                    .where(
                        s.auth_status == "ACCEPTED",
                        s.auth_code.is_not(None),
                        *expiring_within(now, days),
                    )
                ).scalar_one()
            )

    def extend(self, actor: Principal, video_ids: Sequence[str], days: int) -> SparkOutcome:
        """Extend the chosen codes by `days` (each sent once a day and audited)."""
        require(actor, "spark.request")
        allowed = rules.spark_days()
        if isinstance(days, bool) or days not in allowed:
            choices = ", ".join(map(str, allowed))
            raise BoardInputError("days", f"Extend by: choose {choices} days (got {days!r}).")
        if not video_ids:
            raise BoardInputError("codes", "Choose at least one code to extend.")
        ads = SparkAds(self.store, self.client_factory, now=self.now)
        return ads.request_many(actor, video_ids, days, extend=True)

    def csv(self, actor: Principal, codes: Iterable[BoardCode]) -> str:
        """The codes as CSV text (every field quoted, formulas neutralised)."""
        require(actor, "export")
        return to_csv((code.as_row() for code in codes), CSV_COLUMNS)
