"""Refresh bookkeeping: runs, per-resource status, leases and the app's own settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class SyncRun(Base):
    """One refresh run: what it did and where it stopped."""

    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resources: Mapped[str] = mapped_column(String(200))
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # running | ok | failed | interrupted
    owner: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    counts: Mapped[dict]
    checkpoint: Mapped[dict]
    error: Mapped[str | None] = mapped_column(Text)
    resumed_from: Mapped[int | None] = mapped_column(Integer)


class ResourceStatus(Base):
    """Freshness of one resource: the last successful refresh."""

    __tablename__ = "resource_status"
    resource: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_success_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_run_id: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    rows: Mapped[int | None] = mapped_column(Integer)


class Lease(Base):
    """A named lease: only one holder at a time across processes (e.g. the refresh)."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]


class AppSetting(Base):
    """Small key/value settings the app keeps (e.g. the generated cookie key marker)."""

    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
