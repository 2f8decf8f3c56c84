"""Users, their sign-in throttling buckets and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ttcm.store.models.base import Base


class User(Base):
    """A person who may sign in, with a role and a session version for revocation."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    # immutable and never reused: session tokens name it, so a re-added name is a new account
    account_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SigninBucket(Base):
    """A sign-in rate bucket (client, account or device): its theoretical next-free time."""

    __tablename__ = "signin_buckets"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)  # epoch seconds; GCRA's theoretical arrival time


class AuditEntry(Base):
    """Who did what, when, with the TikTok request id when a call was made."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(400))
    detail: Mapped[dict | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
