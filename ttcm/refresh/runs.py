"""The `sync_runs` bookkeeping: a run's row, its checkpoint and counts, and how it ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert


@dataclass
class RunState:
    """One run: its id, the checkpoint it resumes from and writes, and its counts."""

    id: int
    owner: str
    checkpoint: dict[str, Any]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    resumed_from: int | None = None

    def add(self, resource: str, key: str, n: int) -> None:
        """Add `n` to the count `key` of `resource`."""
        bucket = self.counts.setdefault(resource, {})
        bucket[key] = bucket.get(key, 0) + n

    def is_completed(self, resource: str) -> bool:
        """True when this run (or the one it resumes) finished `resource`."""
        return resource in self.checkpoint.get("completed", [])

    def mark_completed(self, resource: str) -> None:
        """Note in the checkpoint that `resource` is finished."""
        done = self.checkpoint.setdefault("completed", [])
        if resource not in done:
            done.append(resource)


def start_run(
    store: Store, owner: str, resources: Sequence[str], full: bool, now: datetime
) -> RunState:
    """Open a run row; resumes the last run's checkpoint when it died or failed."""
    with store.write() as conn:
        # the caller holds the lease, so any run still marked running died without saying so
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
            table_of(m.SyncRun)
            .insert()
            .values(
                resources=",".join(resources),
                full=full,
                status="running",
                owner=owner,
                started_at=now,
                heartbeat_at=now,
                counts={},
                checkpoint=checkpoint,
                resumed_from=resumed_from,
            )
            .returning(m.SyncRun.id)
        ).scalar_one()
    return RunState(id=run_id, owner=owner, checkpoint=checkpoint, resumed_from=resumed_from)


def save_progress(conn: Connection, run: RunState, now: datetime) -> None:
    """Write the run's heartbeat, checkpoint and counts inside the caller's transaction."""
    conn.execute(
        update(m.SyncRun)
        .where(m.SyncRun.id == run.id)
        .values(heartbeat_at=now, checkpoint=dict(run.checkpoint), counts=dict(run.counts))
    )


def finish_run(
    store: Store,
    run: RunState,
    *,
    status: str,
    error: str | None,
    resources: Sequence[str],
    actor: str,
    now: datetime,
) -> None:
    """Close the run row, audit it and record each resource's last attempt and success."""
    with store.write() as conn:
        record(
            conn,
            actor,
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
            if status == "ok" or run.is_completed(resource):
                values["last_success_at"] = now
                values["last_error"] = None
            upsert(conn, table_of(m.ResourceStatus), [values], key=["resource"])
