"""Refresh: TikTok One API -> store, in short batches, resumable, one refresh at a time.

Shape of a run (docs/decisions.md §5):
* a lease row makes the refresh single-flight across processes; it is renewed with every batch;
* every batch (one API page) is written in one short write transaction together with the run's
  checkpoint, so a reader never sees half a batch and a run killed at any point resumes exactly
  after its last committed batch;
* rows are only rewritten when a value changed, so a second run over unchanged data writes
  nothing but its own bookkeeping;
* a run that dies leaves the previous data whole: nothing is deleted by a refresh.

Creator discovery is capped per query (`discover_result_cap`, 250). The sweep walks each country's
follower axis in ascending order and restarts each query at the largest follower count it has
seen (inclusive), so each query is a slice under the cap and the union covers the whole directory.
A block of more creators with one identical follower count than a page holds is split by content
label.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from ttcm import rules
from ttcm.api import errors as api_errors
from ttcm.domain import format as numfmt
from ttcm.errors import Busy, TTCMError
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.timestamps import as_utc, utcnow
from ttcm.store.upsert import upsert

log = logging.getLogger(__name__)

RESOURCES: tuple[str, ...] = ("creators", "campaigns", "orders", "posts", "spark")
LEASE_NAME = "refresh"
LEASE_SECONDS = 90
PAGE_SIZE = 200
SWEEPERS = 1  # concurrent country sweeps; 2 let arrivals bunch at the API (measured: throttled)

ProgressFn = Callable[["Progress"], None]


class RefreshError(TTCMError):
    """A refresh could not run or stopped; the message is for people."""


class RefreshBusy(RefreshError, Busy):
    """Another refresh holds the lease."""


@dataclass
class Progress:
    """Where a running refresh is, for progress bars."""

    resource: str
    done: int
    total: int | None
    requests: int
    elapsed: float
    message: str = ""

    @property
    def rate(self) -> float:
        """Requests per second so far."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class RunReport:
    """What a refresh run did."""

    run_id: int
    status: str
    counts: dict[str, dict[str, int]]
    requests: int
    seconds: float
    error: str | None = None
    resumed_from: int | None = None


@dataclass
class _Run:
    id: int
    owner: str
    checkpoint: dict[str, Any]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    resumed_from: int | None = None

    def add(self, resource: str, key: str, n: int) -> None:
        bucket = self.counts.setdefault(resource, {})
        bucket[key] = bucket.get(key, 0) + n


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{time.monotonic_ns()}"


def _owner_is_dead(owner: str) -> bool:
    """True when a lease holder ran on this host and its process is gone (e.g. kill -9)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: wait for the lease to expire
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# ---------------------------------------------------------------- mapping API models -> rows


def _labels_field(labels: Iterable[Any] | None) -> str | None:
    ids = [str(x.label_id) for x in labels or () if getattr(x, "label_id", None) is not None]
    return f",{','.join(ids)}," if ids else None


def _share_rows(creator: Any) -> dict[str, list[tuple[str, float]]]:
    """Audience lists of a creator model as {dimension: [(key, share)]}."""
    out: dict[str, list[tuple[str, float]]] = {}
    for dim, attr in (
        ("country", "audience_countries"),
        ("gender", "audience_genders"),
        ("age", "audience_ages"),
        ("device", "audience_devices"),
        ("locale", "audience_locales"),
    ):
        shares = getattr(creator, attr, None)
        if shares:
            out[dim] = [(str(s.key), float(s.percentage)) for s in shares if s.key is not None]
    return out


def _top(shares: list[tuple[str, float]] | None) -> str | None:
    return max(shares, key=lambda kv: kv[1])[0] if shares else None


def _gender_share(shares: list[tuple[str, float]] | None, gender: str) -> float | None:
    if not shares:
        return None
    return sum(p for k, p in shares if k.upper() == gender)


CREATOR_FIELDS = (
    "creator_id",
    "display_name",
    "bio",
    "profile_image",
    "country_code",
    "state_province",
    "followers_count",
    "following_count",
    "likes_count",
    "videos_count",
    "avg_views",
    "median_views",
    "engagement_rate",
    "creator_price",
    "currency",
    "is_tcm_creator",
    "is_authenticated",
    "account_type",
    "age_verified_18",
    "videos_last_30d",
    "views_last_30d",
    "content_rating",
)


def _from_discover(creators: list[Any], country: str) -> None:
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


def creator_row(c: Any, now: datetime) -> dict[str, Any]:
    """One API creator -> a `creators` row (only the fields the payload carried)."""
    row: dict[str, Any] = {"handle_name": c.handle_name}
    for name in CREATOR_FIELDS:
        value = getattr(c, name, None)
        if value is not None:
            row[name] = value
    langs = getattr(c, "languages", None)
    if langs:
        row["languages"] = f",{','.join(langs)},"
    labels = list(getattr(c, "content_labels", None) or []) + list(
        getattr(c, "industry_labels", None) or []
    )
    if labels:
        row["label_ids"] = _labels_field(labels)
    shares = _share_rows(c)
    if "country" in shares:
        row["audience_top_country"] = _top(shares["country"])
    if "gender" in shares:
        row["audience_female_share"] = _gender_share(shares["gender"], "FEMALE")
        row["audience_male_share"] = _gender_share(shares["gender"], "MALE")
    if "age" in shares:
        row["audience_top_age"] = _top(shares["age"])
    row["source"] = m.API_SOURCE
    row["fetched_at"] = now
    row["first_seen_at"] = now
    return row


# ---------------------------------------------------------------- pipelined writes


class _Writer:
    """Commits page jobs in order on one thread while the caller fetches the next page.

    Each job runs in its own short write transaction and updates the run's checkpoint inside
    it, so what a crash leaves behind is always a committed page plus the checkpoint that
    follows it. Only this thread touches the run's counts and checkpoint while jobs are queued.
    """

    def __init__(self, store: Store, depth: int = 2) -> None:
        self.store = store
        self._jobs: queue.Queue[Callable[[Connection], None] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="ttcm-refresh-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    with self.store.write() as conn:
                        job(conn)
            except BaseException as exc:  # noqa: BLE001 - handed to the fetching thread
                self._error = exc
            finally:
                self._jobs.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, job: Callable[[Connection], None]) -> None:
        """Queue a job (blocks while `depth` jobs wait); re-raises an earlier job's failure."""
        self._raise()
        self._jobs.put(job)

    def flush(self) -> None:
        """Wait until every queued job is committed; re-raises a failure."""
        self._jobs.join()
        self._raise()

    def close(self) -> None:
        """Commit what is queued and stop the thread."""
        self._jobs.put(None)
        self._thread.join()


# ---------------------------------------------------------------- the refresher


def _opened_queue(conn: Connection) -> list[str]:
    """Opened handles whose details were never fetched, or fetched before their last opening."""
    o = m.CreatorOpening
    return list(
        conn.execute(
            select(o.handle_name)
            .where(or_(o.detail_fetched_at.is_(None), o.detail_fetched_at < o.last_opened_at))
            .order_by(o.last_opened_at, o.handle_name)
        ).scalars()
    )


def _opened_fetched(conn: Connection, handle: str, at: datetime) -> None:
    """Take an opened `handle` off the detail queue: fetched (or TikTok has none) at `at`."""
    conn.execute(
        update(m.CreatorOpening)
        .where(m.CreatorOpening.handle_name == handle)
        .values(detail_fetched_at=at)
    )


class Refresher:
    """Runs refreshes of a store from a TikTok One client."""

    def __init__(
        self,
        store: Store,
        client: Any,
        *,
        progress: ProgressFn | None = None,
        now: Callable[[], datetime] = utcnow,
        owner: str | None = None,
        lease_seconds: int = LEASE_SECONDS,
        actor: str = "system",
    ) -> None:
        self.store = store
        self.actor = actor
        self.client = client
        self.progress = progress
        self.now = now
        self.owner = owner or _owner()
        self.lease_seconds = lease_seconds
        self._sent_at_start = 0
        self._seen_total = 0
        self._t0 = 0.0
        self._cap = int(rules.limits()["discover_result_cap"])

    # ------------------------------------------------------------ lease and run bookkeeping

    def _acquire_lease(self) -> None:
        now = self.now()
        with self.store.write() as conn:
            row = conn.execute(select(m.Lease).where(m.Lease.name == LEASE_NAME)).first()
            if (
                row is not None
                and row.owner != self.owner
                and as_utc(row.expires_at) > now
                and not _owner_is_dead(row.owner)
            ):
                raise RefreshBusy(
                    "another refresh is running (started by "
                    f"{row.owner.split(':')[0]}); try again after {row.expires_at:%H:%M:%S} UTC"
                )
            upsert(
                conn,
                m.Lease.__table__,
                [
                    {
                        "name": LEASE_NAME,
                        "owner": self.owner,
                        "expires_at": now + timedelta(seconds=self.lease_seconds),
                    }
                ],
                key=["name"],
                compare=(),
            )

    def _renew(self, conn: Connection, run: _Run) -> None:
        now = self.now()
        got = conn.execute(
            update(m.Lease)
            .where(m.Lease.name == LEASE_NAME, m.Lease.owner == self.owner)
            .values(expires_at=now + timedelta(seconds=self.lease_seconds))
        ).rowcount
        if not got:
            raise RefreshBusy("this refresh lost its lease to another process and stopped")
        conn.execute(
            update(m.SyncRun)
            .where(m.SyncRun.id == run.id)
            .values(heartbeat_at=now, checkpoint=dict(run.checkpoint), counts=dict(run.counts))
        )

    def _paused(self, notice: str, seconds: float) -> None:
        """TikTok restricts the app: keep the lease through the pause and say until when."""
        until = self.now() + timedelta(seconds=seconds + self.lease_seconds)
        with self.store.write() as conn:
            conn.execute(
                update(m.Lease)
                .where(m.Lease.name == LEASE_NAME, m.Lease.owner == self.owner)
                .values(expires_at=until)
            )
        self._tick(self._resource, self._seen_total, None, notice)

    def _release_lease(self) -> None:
        with self.store.write() as conn:
            conn.execute(
                delete(m.Lease).where(m.Lease.name == LEASE_NAME, m.Lease.owner == self.owner)
            )

    def _start_run(self, resources: Sequence[str], full: bool) -> _Run:
        now = self.now()
        with self.store.write() as conn:
            # we hold the lease, so any run still marked running died without saying so
            conn.execute(
                update(m.SyncRun)
                .where(m.SyncRun.status == "running")
                .values(status="interrupted", finished_at=now, error="process died mid-run")
            )
            last = conn.execute(select(m.SyncRun).order_by(m.SyncRun.id.desc()).limit(1)).first()
            checkpoint: dict[str, Any] = {}
            resumed_from = None
            if (
                last is not None
                and last.status in ("interrupted", "failed")
                and last.checkpoint
                and bool(last.full) == full
            ):
                checkpoint = dict(last.checkpoint)
                resumed_from = last.id
            run_id = conn.execute(
                m.SyncRun.__table__.insert()
                .values(
                    resources=",".join(resources),
                    full=full,
                    status="running",
                    owner=self.owner,
                    started_at=now,
                    heartbeat_at=now,
                    counts={},
                    checkpoint=checkpoint,
                    resumed_from=resumed_from,
                )
                .returning(m.SyncRun.id)
            ).scalar_one()
        return _Run(id=run_id, owner=self.owner, checkpoint=checkpoint, resumed_from=resumed_from)

    def _finish_run(self, run: _Run, status: str, error: str | None, resources: Sequence[str]):
        from ttcm.services.audit import record

        now = self.now()
        with self.store.write() as conn:
            record(
                conn,
                self.actor,
                "refresh",
                ",".join(resources),
                {"run": run.id, "status": status, "counts": run.counts, "error": error},
                None,
            )
            conn.execute(
                update(m.SyncRun)
                .where(m.SyncRun.id == run.id)
                .values(
                    status=status,
                    finished_at=now,
                    heartbeat_at=now,
                    counts=dict(run.counts),
                    checkpoint=dict(run.checkpoint) if status != "ok" else {},
                    error=error,
                )
            )
            for resource in resources:
                values: dict[str, Any] = {
                    "resource": resource,
                    "last_attempt_at": now,
                    "last_run_id": run.id,
                    "last_error": error,
                }
                done = status == "ok" or resource in run.checkpoint.get("completed", [])
                if done:
                    values["last_success_at"] = now
                    values["last_error"] = None
                upsert(conn, m.ResourceStatus.__table__, [values], key=["resource"])

    def _complete(self, conn: Connection, run: _Run, resource: str) -> None:
        run.checkpoint.setdefault("completed", [])
        if resource not in run.checkpoint["completed"]:
            run.checkpoint["completed"].append(resource)
        self._renew(conn, run)

    def _tick(self, resource: str, done: int, total: int | None, message: str = "") -> None:
        if self.progress is not None:
            self.progress(
                Progress(
                    resource=resource,
                    done=done,
                    total=total,
                    requests=self._requests,
                    elapsed=time.monotonic() - self._t0,
                    message=message,
                )
            )

    @property
    def _requests(self) -> int:
        """HTTP requests this run has sent (retries included)."""
        return int(getattr(self.client, "requests_sent", 0)) - self._sent_at_start

    # ------------------------------------------------------------ entry point

    def run(self, resources: Sequence[str] = RESOURCES, *, full: bool = False) -> RunReport:
        """Refresh `resources`; resumes an interrupted run's checkpoint when there is one."""
        unknown = [r for r in resources if r not in RESOURCES]
        if unknown:
            raise RefreshError(
                f"unknown resource {unknown[0]!r}; choose from {', '.join(RESOURCES)}"
            )
        self._t0 = time.monotonic()
        self._sent_at_start = int(getattr(self.client, "requests_sent", 0))
        self._acquire_lease()
        self._resource = "account"
        # while TikTok restricts the app, the progress line says until when (issue 14)
        previous_listener = getattr(self.client, "on_pause", None)
        if hasattr(self.client, "on_pause"):
            self.client.on_pause = self._paused
        try:
            run = self._start_run(resources, full)
            status, error = "ok", None
            self._writer = _Writer(self.store)
            try:
                self._account_and_labels(run)
                steps = {
                    "creators": self._creators,
                    "campaigns": self._campaigns,
                    "orders": self._orders,
                    "posts": self._posts,
                    "spark": self._spark,
                }
                for resource in resources:
                    if resource in run.checkpoint.get("completed", []):
                        continue
                    self._resource = resource
                    steps[resource](run, full)
            except (api_errors.TokenExpiredError, api_errors.TokenInvalidError) as exc:
                status, error = (
                    "failed",
                    f"access token rejected by TikTok: {exc.message} "
                    + ("(renew TTCM_ACCESS_TOKEN, then run the refresh again; it resumes)"),
                )
            except api_errors.TikTokAPIError as exc:
                status, error = "failed", f"TikTok API error: {exc}"
            except RefreshBusy as exc:
                status, error = "failed", str(exc)
            except KeyboardInterrupt:
                self._writer.close()  # keep the pages already fetched
                self._finish_run(run, "interrupted", "stopped by the user", resources)
                raise
            finally:
                self._writer.close()
            self._finish_run(run, status, error, resources)
            from ttcm.services.alerts import after_refresh  # local: services sit above the refresh

            after_refresh(self.store, self.now)  # issue 16's alerts; to move onto refresh/'s hook
            return RunReport(
                run_id=run.id,
                status=status,
                counts=run.counts,
                requests=self._requests,
                seconds=time.monotonic() - self._t0,
                error=error,
                resumed_from=run.resumed_from,
            )
        finally:
            if hasattr(self.client, "on_pause"):
                self.client.on_pause = previous_listener
            self._release_lease()

    # ------------------------------------------------------------ account and labels

    def _account_and_labels(self, run: _Run) -> None:
        now = self.now()
        info = self.client.account_info()
        labels = self.client.labels("SEARCH")
        label_rows = [
            {"label_id": str(x.label_id), "label_type": kind, "label_name": x.label_name}
            for kind, items in (
                ("content", labels.content_labels),
                ("industry", labels.industry_labels),
            )
            for x in items or ()
        ]
        with self.store.write() as conn:
            upsert(
                conn,
                m.Account.__table__,
                [
                    {
                        "account_id": str(info.tto_tcm_account_id),
                        "account_name": info.account_name,
                        "timezone": info.timezone,
                        "country": info.country,
                        "business_verification_status": info.business_verification_status,
                        "source": m.API_SOURCE,
                        "fetched_at": now,
                    }
                ],
                key=["account_id"],
                compare=(
                    "account_name",
                    "timezone",
                    "country",
                    "business_verification_status",
                ),
            )
            run.add(
                "labels", "written", upsert(conn, m.Label.__table__, label_rows, key=["label_id"])
            )
            self._renew(conn, run)

    # ------------------------------------------------------------ creators

    def _write_creators(self, conn: Connection, creators: Sequence[Any], run: _Run) -> int:
        """Upsert a page of creators with their snapshot; returns rows inserted or changed."""
        if not creators:
            return 0
        now = self.now()
        rows: dict[str, dict[str, Any]] = {}
        for c in creators:
            rows[c.handle_name] = creator_row(c, now)  # a page may repeat a handle
        known = set(
            conn.execute(
                select(m.Creator.handle_name).where(m.Creator.handle_name.in_(list(rows)))
            ).scalars()
        )
        run.add("creators", "new", len(rows) - len(known))
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows.values():
            by_columns.setdefault(tuple(row), []).append(row)
        changed = 0
        for cols, group in by_columns.items():
            update_cols = [c for c in cols if c not in ("handle_name", "first_seen_at")]
            compare = [c for c in update_cols if c != "fetched_at"]
            changed += upsert(
                conn,
                m.Creator.__table__,
                group,
                key=["handle_name"],
                update=update_cols,
                compare=compare,
            )
        ids = dict(
            conn.execute(
                select(m.Creator.handle_name, m.Creator.id).where(
                    m.Creator.handle_name.in_(list(rows))
                )
            ).all()
        )
        today = now.date()
        snaps = [
            {
                "creator_pk": ids[h],
                "day": today,
                "followers_count": r.get("followers_count"),
                "likes_count": r.get("likes_count"),
                "videos_count": r.get("videos_count"),
                "median_views": r.get("median_views"),
                "engagement_rate": r.get("engagement_rate"),
            }
            for h, r in rows.items()
            if "followers_count" in r
        ]
        upsert(conn, m.CreatorSnapshot.__table__, snaps, key=["creator_pk", "day"])
        if changed:
            versions.bump(conn, "creators")
        return changed

    def _write_audiences(self, conn: Connection, creators: Sequence[Any]) -> int:
        """Replace the audience breakdowns that changed, a page at a time; returns rows written."""
        wanted = {c.handle_name: _share_rows(c) for c in creators if c.handle_name}
        wanted = {h: s for h, s in wanted.items() if s}
        if not wanted:
            return 0
        pks = dict(
            conn.execute(
                select(m.Creator.handle_name, m.Creator.id).where(
                    m.Creator.handle_name.in_(list(wanted))
                )
            ).all()
        )
        old: dict[int, dict[tuple[str, str], float]] = {}
        for pk, dim, key, share in conn.execute(
            select(
                m.CreatorAudience.creator_pk,
                m.CreatorAudience.dimension,
                m.CreatorAudience.key,
                m.CreatorAudience.share,
            ).where(m.CreatorAudience.creator_pk.in_(list(pks.values())))
        ):
            old.setdefault(pk, {})[(dim, key)] = share
        changed: list[tuple[int, dict[tuple[str, str], float], list[str]]] = []
        for handle, shares in wanted.items():
            pk = pks.get(handle)
            if pk is None:
                continue
            new = {(dim, k): p for dim, items in shares.items() for k, p in items}
            current = {dk: v for dk, v in old.get(pk, {}).items() if dk[0] in shares}
            if current != new:
                changed.append((pk, new, list(shares)))
        for pk, _, dims in changed:
            if pk not in old:
                continue  # nothing stored yet (a first refresh): nothing to delete
            conn.execute(
                delete(m.CreatorAudience).where(
                    m.CreatorAudience.creator_pk == pk, m.CreatorAudience.dimension.in_(dims)
                )
            )
        rows = [
            {"creator_pk": pk, "dimension": d, "key": k, "share": p}
            for pk, new, _ in changed
            for (d, k), p in new.items()
        ]
        upsert(
            conn,
            m.CreatorAudience.__table__,
            rows,
            key=["creator_pk", "dimension", "key"],
            update=["share"],
        )
        return len(rows)

    def _creators(self, run: _Run, full: bool) -> None:
        state = run.checkpoint.setdefault(
            "creators", {"phase": "discover", "countries_done": [], "cursor": {}}
        )
        countries = sorted(rules.countries())
        if state["phase"] == "discover":
            todo = [c for c in countries if c not in state["countries_done"]]
            # countries are independent slices and could be swept side by side through the
            # shared limiter, but concurrent requests bunch up at the API's sliding window
            # (measured: throttled answers), so SWEEPERS stays 1; the writer still overlaps
            pool = ThreadPoolExecutor(max_workers=SWEEPERS, thread_name_prefix="ttcm-sweep")
            futures = [pool.submit(self._sweep_country, run, state, c, 0) for c in todo]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)  # start no further country
                raise
            pool.shutdown()
            self._writer.flush()  # every page committed before the phase moves on
            state["phase"] = "authorized"
        if state["phase"] == "authorized":
            self._authorized_creators(run)
            self._writer.flush()
            state["phase"] = "details"
        if state["phase"] == "details":
            self._creator_details(run, full)
            self._invitations(run)
        with self.store.write() as conn:
            self._complete(conn, run, "creators")

    def _sweep_country(self, run: _Run, state: dict[str, Any], country: str, seen: int) -> int:
        limits = rules.limits()
        lo = int(state["cursor"].get(country, limits["discover_min_followers"]))
        hi = int(limits["discover_max_followers"])
        base = {"country_codes": [country], "sort_field": "FOLLOWERS", "sort_order": "ASC"}
        while True:
            creators, info = self.client.discover(
                {**base, "min_followers": lo, "max_followers": hi},
                page=1,
                page_size=PAGE_SIZE,
            )
            _from_discover(creators, country)
            total = info.total_number if info is not None else None
            if (
                creators
                and creators[0].followers_count == creators[-1].followers_count
                and (total is not None and total > len(creators))
            ):
                # a tie block at least a page long: take it whole, by label, then step past it
                creators = self._tie_block(country, creators[0].followers_count, creators)
            seen += len(creators)
            last = creators[-1].followers_count if creators else None
            finished = (
                not creators
                or total is None
                or total <= len(creators)
                or last is None
                or last >= hi
            )
            if not finished:
                top = creators[0].followers_count
                # inclusive restart at the last count; step past it when the page was a tie
                lo = last + 1 if top == last else last

            def job(conn: Connection, page=creators, after=lo, done=finished) -> None:
                run.add("creators", "changed", self._write_creators(conn, page, run))
                run.add("creators", "seen", len(page))
                if done:
                    state["countries_done"].append(country)
                    state["cursor"].pop(country, None)
                else:
                    state["cursor"][country] = after
                self._renew(conn, run)

            self._writer.submit(job)
            self._seen_total += len(creators)
            self._tick(
                "creators", self._seen_total, None, f"{country} ≥ {numfmt.count(lo)} followers"
            )
            if finished:
                return seen

    def _tie_block(self, country: str, followers: int, first_page: list[Any]) -> list[Any]:
        """All creators of one country with exactly `followers`, fetched label by label."""
        found = {c.handle_name: c for c in first_page}
        labels = [lab["label_id"] for lab in rules.vocab()["content_labels"]]
        for label in labels:
            page = 1
            while True:
                creators, info = self.client.discover(
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
                _from_discover(creators, country)
                for c in creators:
                    if c.followers_count == followers:
                        found.setdefault(c.handle_name, c)
                if not creators or info is None or page >= (info.total_page or 0):
                    break
                if page * PAGE_SIZE >= self._cap:
                    log.warning("tie block %s/%s/%s is over the cap", country, followers, label)
                    break
                page += 1
        return list(found.values())

    def _authorized_creators(self, run: _Run) -> None:
        batch: list[Any] = []
        for creator in self.client.iter_authorized_creators():
            batch.append(creator)
            if len(batch) >= PAGE_SIZE:
                self._flush_authorized(run, batch)
                batch = []
        self._flush_authorized(run, batch)

    def _flush_authorized(self, run: _Run, batch: list[Any]) -> None:
        if not batch:
            return

        def job(conn: Connection, page: list[Any] = batch) -> None:
            run.add("creators", "changed", self._write_creators(conn, page, run))
            run.add("creators", "authorized", len(page))
            run.add("audience", "written", self._write_audiences(conn, page))
            self._renew(conn, run)

        self._writer.submit(job)

    def _tracked_handles(self) -> list[str]:
        """Handles the team cares about: shortlisted, in a campaign, ordered, or opened since
        their details were last fetched (most recently opened last)."""
        with self.store.read() as conn:
            handles = set(conn.execute(select(m.ShortlistMember.handle_name)).scalars())
            handles |= set(conn.execute(select(m.CampaignCreator.handle_name)).scalars())
            handles |= set(conn.execute(select(m.Order.handle_name)).scalars())
            opened = _opened_queue(conn)
        return sorted(handles) + [h for h in opened if h not in handles]

    def _creator_details(self, run: _Run, full: bool) -> None:
        handles = self._tracked_handles()
        with self.store.read() as conn:
            known = {
                r.handle_name: r
                for r in conn.execute(
                    select(
                        m.Creator.handle_name,
                        m.Creator.creator_id,
                        m.Creator.is_tcm_creator,
                        m.Creator.is_authenticated,
                    ).where(m.Creator.handle_name.in_(handles))
                )
            }
        for i, handle in enumerate(handles, 1):
            row = known.get(handle)
            details: list[Any] = []
            try:
                if row is not None and row.is_authenticated and row.creator_id:
                    details.append(self.client.creator_authorized(row.creator_id))
                if row is None or row.is_tcm_creator:
                    details.append(self.client.creator_public(handle))
            except (api_errors.NotTTCMCreatorError, api_errors.NotFoundError):
                run.add("details", "not_available", 1)
            except api_errors.PermissionDeniedError:
                run.add("details", "no_permission", 1)
                self._tick("creator details", i, len(handles), handle)
                continue  # an opened creator stays queued until the permission is granted
            with self.store.write() as conn:
                for d in details:
                    if getattr(d, "handle_name", None) is None:
                        continue
                    run.add("creators", "changed", self._write_creators(conn, [d], run))
                    run.add("audience", "written", self._write_audiences(conn, [d]))
                _opened_fetched(conn, handle, utcnow())
                self._renew(conn, run)
            self._tick("creator details", i, len(handles), handle)

    def _invitations(self, run: _Run) -> None:
        with self.store.read() as conn:
            pending = list(
                conn.execute(
                    select(m.Invitation.handle_name).where(m.Invitation.state == "INVITED")
                ).scalars()
            )
        if not pending:
            return
        statuses = self.client.creator_status(pending)
        now = self.now()
        with self.store.write() as conn:
            for st in statuses:
                new_state = {"IN": "JOINED"}.get(st.status)
                reason = getattr(st, "reject_reason", None)
                if new_state is None and reason:
                    new_state = "REJECTED"
                if new_state is None:
                    continue
                conn.execute(
                    update(m.Invitation)
                    .where(m.Invitation.handle_name == st.handle_name)
                    .values(state=new_state, reason=reason, decided_at=now, updated_at=now)
                )
                if new_state == "JOINED":
                    conn.execute(
                        update(m.Creator)
                        .where(m.Creator.handle_name == st.handle_name)
                        .values(is_tcm_creator=True, onboarding_status="IN")
                    )
                    versions.bump(conn, "creators")
                run.add("invitations", new_state.lower(), 1)
            self._renew(conn, run)

    # ------------------------------------------------------------ campaigns

    def _campaigns(self, run: _Run, full: bool) -> None:
        now = self.now()
        batch: list[Any] = []
        for campaign in self.client.iter_campaigns():
            batch.append(campaign)
        with self.store.write() as conn:
            for c in batch:
                values = {
                    "campaign_name": c.campaign_name,
                    "brand_name": c.brand_name,
                    "description": c.campaign_description,
                    "campaign_type": c.campaign_type,
                    "invite_link": c.invite_link,
                    "tiktok_create_time": c.create_time,
                    "fetched_at": now,
                }
                if c.spark_ads_requested_authorization_days:
                    values["spark_days_default"] = c.spark_ads_requested_authorization_days
                existing_row = conn.execute(
                    select(
                        m.Campaign.id,
                        m.Campaign.created_by,
                        m.Campaign.campaign_name,
                        m.Campaign.brand_name,
                        m.Campaign.description,
                    ).where(m.Campaign.campaign_id == c.campaign_id)
                ).first()
                existing = existing_row.id if existing_row is not None else None
                if existing_row is not None and existing_row.created_by:
                    # the team edits its own campaigns' TTCM section in ttcm: TikTok's copy
                    # only fills what is still empty, never overwrites the team's edits
                    for team_field in ("campaign_name", "brand_name", "description"):
                        if getattr(existing_row, team_field):
                            values.pop(team_field, None)
                    values.pop("spark_days_default", None)
                if existing is None:
                    pk = conn.execute(
                        m.Campaign.__table__.insert()
                        .values(campaign_id=c.campaign_id, created_at=now, updated_at=now, **values)
                        .returning(m.Campaign.id)
                    ).scalar_one()
                    run.add("campaigns", "new", 1)
                else:
                    pk = existing
                    conn.execute(update(m.Campaign).where(m.Campaign.id == pk).values(**values))
                    run.add("campaigns", "seen", 1)
                members = [
                    {"campaign_pk": pk, "handle_name": h, "added_at": now}
                    for h in c.handle_names or ()
                ]
                upsert(
                    conn,
                    m.CampaignCreator.__table__,
                    members,
                    key=["campaign_pk", "handle_name"],
                    update=(),
                )
            self._renew(conn, run)
        ids = [c.campaign_id for c in batch if c.campaign_id]
        links = list(self.client.iter_link_status(campaign_ids=ids)) if ids else []
        with self.store.write() as conn:
            rows = [
                {
                    "link_request_id": li.link_request_id or f"{li.campaign_id}:{li.video_id}",
                    "video_id": li.video_id,
                    "campaign_id": li.campaign_id,
                    "status": li.status,
                    "number_of_requests": li.number_of_requests,
                    "source": m.API_SOURCE,
                    "fetched_at": now,
                }
                for li in links
            ]
            compare = ["video_id", "campaign_id", "status", "number_of_requests"]
            run.add(
                "links",
                "changed",
                upsert(
                    conn, m.LinkStatus.__table__, rows, key=["link_request_id"], compare=compare
                ),
            )
            self._complete(conn, run, "campaigns")

    # ------------------------------------------------------------ orders

    def _orders(self, run: _Run, full: bool) -> None:
        with self.store.read() as conn:
            codes = list(
                conn.execute(select(m.CampaignCode.campaign_code, m.CampaignCode.campaign_pk)).all()
            )
        for code, campaign_pk in codes:
            orders = list(self.client.iter_orders(campaign_code=code))
            with self.store.write() as conn:
                run.add("orders", "changed", write_orders(conn, orders, campaign_pk, self.now()))
                self._renew(conn, run)
        with self.store.write() as conn:
            self._complete(conn, run, "orders")

    # ------------------------------------------------------------ posts and daily stats

    def _posts(self, run: _Run, full: bool) -> None:
        now = self.now()
        with self.store.read() as conn:
            orders = conn.execute(
                select(
                    m.Order.order_id, m.Order.campaign_pk, m.Order.create_time, m.Order.update_time
                ).where(func.coalesce(m.Order.status, "") != "DECLINED")
            ).all()
            last_ok = conn.execute(
                select(m.ResourceStatus.last_success_at).where(m.ResourceStatus.resource == "posts")
            ).scalar_one_or_none()
        with self.store.read() as conn:
            tto = conn.execute(
                select(m.Campaign.id, m.Campaign.campaign_id, m.Campaign.created_at).where(
                    m.Campaign.campaign_id.is_not(None), m.Campaign.archived_at.is_(None)
                )
            ).all()
        if not orders and not tto:
            with self.store.write() as conn:
                self._complete(conn, run, "posts")
            return
        window = int(rules.limits()["report_max_days"])
        # the API's clock, as its own timestamps show it, can be ahead of ours (time zones, or
        # a sandbox whose clock was moved on): report up to the later of the two, plus a day
        api_times = [as_utc(t) for o in orders for t in (o.create_time, o.update_time) if t]
        end = max([now, *api_times]).date() + timedelta(days=1)
        if full or last_ok is None:
            starts = [as_utc(o.create_time) for o in orders if o.create_time]
            starts += [as_utc(c.created_at) for c in tto if c.created_at]
            start = min(starts, default=now).date()
        else:
            start = as_utc(last_ok).date() - timedelta(days=2)
        campaign_of = {o.order_id: o.campaign_pk for o in orders}
        ids = sorted(campaign_of)
        done_windows = set(run.checkpoint.setdefault("posts", {}).setdefault("windows", []))
        for w_start, w_end in _windows(start, end, window):
            key = f"{w_start.isoformat()}/{w_end.isoformat()}"
            if key in done_windows:
                continue
            for i in range(0, len(ids), 100):
                chunk = ids[i : i + 100]
                insights = list(
                    self.client.iter_order_report(chunk, w_start, w_end, need_daily_stats=True)
                )
                with self.store.write() as conn:
                    run.add(
                        "posts", "changed", write_report(conn, insights, campaign_of, self.now())
                    )
                    self._renew(conn, run)
            for campaign_pk, campaign_id, _ in tto:
                videos = list(self.client.iter_campaign_report(campaign_id, w_start, w_end))
                with self.store.write() as conn:
                    run.add(
                        "posts",
                        "changed",
                        write_report(conn, videos, {}, self.now(), default_campaign=campaign_pk),
                    )
                    self._renew(conn, run)
            with self.store.write() as conn:
                run.checkpoint["posts"]["windows"].append(key)
                self._renew(conn, run)
        with self.store.write() as conn:
            self._complete(conn, run, "posts")

    # ------------------------------------------------------------ Spark Ads

    def _spark(self, run: _Run, full: bool) -> None:
        with self.store.read() as conn:
            videos = sorted(
                set(
                    conn.execute(
                        select(m.Post.video_id).where(m.Post.tracking == "order")
                    ).scalars()
                )
                | set(conn.execute(select(m.SparkAuthorization.video_id)).scalars())
            )
        rows = []
        for video_id in videos:
            try:
                st = self.client.spark_status(video_id)
            except api_errors.NotFoundError:
                continue
            rows.append(spark_row(st, self.now()))
            if len(rows) >= PAGE_SIZE:
                with self.store.write() as conn:
                    run.add("spark", "changed", _write_spark(conn, rows))
                    self._renew(conn, run)
                rows = []
        with self.store.write() as conn:
            run.add("spark", "changed", _write_spark(conn, rows))
            self._complete(conn, run, "spark")


# ---------------------------------------------------------------- shared writers


def write_orders(conn: Connection, orders: Sequence[Any], campaign_pk: int | None, now: datetime):
    """Upsert orders and their deliverables; returns orders inserted or changed."""
    rows = [
        {
            "order_id": o.order_id,
            "campaign_pk": campaign_pk,
            "campaign_code": o.campaign_code,
            "handle_name": o.handle_name,
            "status": o.status,
            "video_number": o.video_number,
            "invite_link": o.invite_link,
            "video_ids": list(o.video_ids or []),
            "create_time": o.create_time,
            "update_time": o.update_time,
            "decline_reason": getattr(o, "decline_reason", None),
            "source": m.API_SOURCE,
            "fetched_at": now,
        }
        for o in orders
    ]
    changed = upsert(
        conn,
        m.Order.__table__,
        rows,
        key=["order_id"],
        compare=[
            "status",
            "video_number",
            "invite_link",
            "video_ids",
            "update_time",
            "decline_reason",
        ],
    )
    deliverables = [
        {
            "order_id": o.order_id,
            "position": i,
            "deliverable_name": d.deliverable_name,
            "spark_days": d.spark_ads_requested_authorization_days,
            "video_id": getattr(d, "video_id", None),
        }
        for o in orders
        for i, d in enumerate(o.deliverables or (), 1)
    ]
    upsert(conn, m.Deliverable.__table__, deliverables, key=["order_id", "position"])
    return changed


POST_METRICS = (
    "video_views",
    "video_views_organic",
    "video_views_paid",
    "reach",
    "likes",
    "comments",
    "shares",
    "favorites",
    "engagement_count",
    "engagement_rate",
    "video_completion_rate",
    "total_play_time",
    "average_view_time",
)


def report_post_row(video: Any, campaign_pk: int | None, order_id: str | None, now: datetime):
    """One report video -> a `posts` row."""
    row: dict[str, Any] = {
        "video_id": video.video_id,
        "handle_name": video.handle_name,
        "campaign_pk": campaign_pk,
        "order_id": order_id,
        "tracking": "order",
        "create_time": video.create_time,
        "embed_url": video.embed_url,
        "thumbnail_url": video.thumbnail_url,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }
    for name in POST_METRICS:
        row[name] = getattr(video, name, None)
    sources = getattr(video, "video_views_by_source", None)
    row["views_by_source"] = sources.model_dump() if hasattr(sources, "model_dump") else sources
    audience = {}
    for key, attr in (
        ("ages", "audience_age_distribution"),
        ("genders", "audience_genders_distribution"),
        ("countries", "audience_countries_distribution"),
        ("locales", "audience_locale_distribution"),
        ("devices", "audience_device_distribution"),
    ):
        shares = getattr(video, attr, None)
        if shares:
            audience[key] = [[str(s.key), float(s.percentage)] for s in shares]
    row["audience"] = audience or None
    retention = getattr(video, "video_view_retention", None)
    row["retention"] = list(retention) if retention else None
    return row


def write_report(
    conn: Connection,
    insights: Sequence[Any],
    campaign_of: dict[str, int | None],
    now: datetime,
    *,
    default_campaign: int | None = None,
) -> int:
    """Upsert report rows (posts + daily stats); returns posts inserted or changed.

    `insights` are order-report rows (with `.metrics`) or campaign-report videos; a video seen
    in a campaign report belongs to `default_campaign`.
    """
    posts, daily = [], []
    for ins in insights:
        order_id = getattr(ins, "order_id", None)
        video = ins.metrics if hasattr(ins, "metrics") else ins
        campaign_pk = campaign_of.get(order_id or "", default_campaign)
        row = report_post_row(video, campaign_pk, order_id, now)
        if not row["video_id"]:
            continue
        if getattr(ins, "video_id", None):
            row["video_id"] = ins.video_id
        if getattr(ins, "handle_name", None):
            row["handle_name"] = ins.handle_name
        posts.append(row)
        for d in getattr(video, "daily_stats", None) or ():
            daily.append(
                {
                    "video_id": row["video_id"],
                    "day": d.date,
                    "views": d.views,
                    "views_organic": getattr(d, "video_views_organic", None),
                    "views_paid": getattr(d, "video_views_paid", None),
                    "reach": getattr(d, "reach", None),
                    "likes": d.likes,
                    "comments": d.comments,
                    "shares": d.shares,
                    "favorites": d.favorites,
                    "engagement_rate": d.engagement_rate,
                    "video_completion_rate": d.video_completion_rate,
                }
            )
    if default_campaign is not None:
        for row in posts:  # a campaign report knows no order: keep the one an order report set
            row.pop("order_id", None)
    compare = [c for c in posts[0] if c not in ("video_id", "fetched_at")] if posts else []
    changed = upsert(conn, m.Post.__table__, posts, key=["video_id"], compare=compare)
    upsert(conn, m.PostDaily.__table__, daily, key=["video_id", "day"])
    return changed


def spark_row(st: Any, now: datetime) -> dict[str, Any]:
    """A Spark Ads status -> a `spark_authorizations` row."""
    return {
        "video_id": st.video_id,
        "auth_status": st.auth_status,
        "auth_status_updated_time": st.auth_status_updated_time,
        "num_remaining_request": st.num_remaining_request,
        "requested_authorization_days": st.requested_authorization_days,
        "auth_code": st.auth_code,
        "auth_code_status": st.auth_code_status,
        "auth_code_start_time": st.auth_code_start_time,
        "auth_code_end_time": st.auth_code_end_time,
        "source": m.API_SOURCE,
        "fetched_at": now,
    }


def _write_spark(conn: Connection, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    compare = [c for c in rows[0] if c not in ("video_id", "fetched_at")]
    return upsert(conn, m.SparkAuthorization.__table__, rows, key=["video_id"], compare=compare)


def _windows(start: date, end: date, days: int) -> list[tuple[date, date]]:
    out = []
    cur = start
    while cur <= end:
        stop = min(end, cur + timedelta(days=days - 1))
        out.append((cur, stop))
        cur = stop + timedelta(days=1)
    return out


# ---------------------------------------------------------------- freshness and purge


@dataclass(frozen=True)
class Freshness:
    """When a resource was last refreshed successfully."""

    resource: str
    last_success_at: datetime | None
    last_error: str | None


def freshness(store: Store) -> list[Freshness]:
    """Freshness of every resource, in the order of RESOURCES."""
    with store.read() as conn:
        rows = {r.resource: r for r in conn.execute(select(m.ResourceStatus))}
    return [
        Freshness(
            resource=r,
            last_success_at=as_utc(rows[r].last_success_at)
            if r in rows and rows[r].last_success_at
            else None,
            last_error=rows[r].last_error if r in rows else None,
        )
        for r in RESOURCES
    ]


def store_is_empty(store: Store) -> bool:
    """True when no creator has been cached yet."""
    with store.read() as conn:
        return conn.execute(select(m.Creator.id).limit(1)).first() is None


PURGEABLE = (
    m.Creator,
    m.Post,
    m.SparkAuthorization,
    m.LinkStatus,
    m.Order,
    m.Account,
)


def purge_legacy(store: Store, actor: str = "system") -> dict[str, int]:
    """Delete TikTok data that did not come from the API; keeps the team's own records."""
    from ttcm.services.audit import record

    removed: dict[str, int] = {}
    with store.write() as conn:
        for model in PURGEABLE:
            result = conn.execute(delete(model).where(model.source != m.API_SOURCE))
            removed[model.__tablename__] = max(result.rowcount, 0)
        if removed.get("creators"):
            versions.bump(conn, "creators")
        record(conn, actor, "purge", "non-API TikTok data", removed, None)
    return removed
