"""TTCM invitations: pre-check each creator, send in batches, follow the lifecycle.

Lifecycle: NOT_INVITED -> INVITED -> JOINED (the creator becomes a TTCM account) or REJECTED
(reason kept). A creator that fails a rule is never sent; the outcome names each failed rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.services.audit import record
from ttcm.services.eligibility import Eligibility, check
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.upsert import upsert


@dataclass
class InviteOutcome:
    """What happened to each handle of an invite request."""

    invited: list[str] = field(default_factory=list)
    already_ttcm: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # by TikTok, with its reason
    skipped: dict[str, list[str]] = field(default_factory=dict)  # failed our pre-check
    request_ids: list[str] = field(default_factory=list)


class InviteError(ValueError):
    """An invite request with bad input; nothing was sent."""


def _clean(handles: Sequence[str]) -> list[str]:
    out = []
    for h in handles:
        handle = (h or "").strip().lstrip("@")
        if not handle:
            continue
        if not rules.is_handle(handle):
            raise InviteError(
                f"Not a TikTok handle: {handle[:40]!r} (letters, digits, '.' and '_' only)"
            )
        if handle not in out:
            out.append(handle)
    if not out:
        raise InviteError("Name at least one creator to invite.")
    return out


class Invitations:
    """Invite creators to TTCM and follow each invitation."""

    def __init__(self, store: Store, client_factory: Callable[[], Any]) -> None:
        self.store = store
        self.client_factory = client_factory

    def precheck(self, actor: Principal, handles: Sequence[str]) -> dict[str, Eligibility]:
        """The eligibility of each handle from the cache (unknown facts listed, not guessed)."""
        require(actor, "read")
        wanted = _clean(handles)
        table = m.Creator.__table__
        with self.store.read() as conn:
            rows = {
                r.handle_name: r._mapping
                for r in conn.execute(select(table).where(table.c.handle_name.in_(wanted)))
            }
        out = {}
        for h in wanted:
            if h in rows:
                out[h] = check(rows[h])
            else:
                out[h] = Eligibility(eligible=None, unknown=["everything (not in the cache)"])
        return out

    def invite(self, actor: Principal, handles: Sequence[str]) -> InviteOutcome:
        """Send invitations to the creators that pass the pre-check, ≤20 per API call."""
        require(actor, "invite")
        checks = self.precheck(actor, handles)
        outcome = InviteOutcome()
        with self.store.read() as conn:
            states = dict(
                conn.execute(
                    select(m.Invitation.handle_name, m.Invitation.state).where(
                        m.Invitation.handle_name.in_(list(checks))
                    )
                ).all()
            )
        to_send = []
        for handle, result in checks.items():
            if result.already_ttcm:
                outcome.already_ttcm.append(handle)
            elif result.failures:
                outcome.skipped[handle] = [f.message for f in result.failures]
            elif states.get(handle) in ("INVITED", "JOINED"):
                outcome.already_invited.append(handle)  # sending twice would only nag the creator
            else:
                to_send.append(handle)
        size = int(rules.limits()["invite_handles_per_call"])
        if not to_send:
            return outcome
        with self.client_factory() as client:
            for i in range(0, len(to_send), size):
                batch = to_send[i : i + size]
                sent = client.invite(batch)
                result, request_id = sent.value, sent.request_id
                outcome.request_ids.append(request_id)
                self._record(actor, batch, result, request_id, outcome)
        return outcome

    def _record(
        self,
        actor: Principal,
        batch: list[str],
        result: Any,
        request_id: str,
        outcome: InviteOutcome,
    ) -> None:
        now = datetime.now(UTC)
        reasons = dict(getattr(result, "reject_reasons", None) or {})
        rows = []
        for h in result.invited or ():
            outcome.invited.append(h)
            rows.append({"handle_name": h, "state": "INVITED", "reason": None})
        for h in result.rejected or ():
            reason = reasons.get(h) or "TikTok rejected the invitation without a reason."
            outcome.rejected[h] = reason
            rows.append({"handle_name": h, "state": "REJECTED", "reason": reason})
        for h in result.in_tcm or ():
            outcome.already_ttcm.append(h)
            rows.append({"handle_name": h, "state": "JOINED", "reason": None})
        for row in rows:
            row.update(
                request_id=request_id,
                invited_by=actor.username,
                invited_at=now,
                decided_at=now if row["state"] != "INVITED" else None,
                updated_at=now,
            )
        with self.store.write() as conn:
            upsert(conn, m.Invitation.__table__, rows, key=["handle_name"])
            joined = [r["handle_name"] for r in rows if r["state"] == "JOINED"]
            if joined:
                conn.execute(
                    update(m.Creator)
                    .where(m.Creator.handle_name.in_(joined))
                    .values(is_tcm_creator=True, onboarding_status="IN")
                )
                versions.bump(conn, "creators")
            record(
                conn,
                actor.username,
                "invite",
                ",".join(batch)[:400],
                {
                    "invited": list(result.invited or ()),
                    "rejected": reasons or list(result.rejected or ()),
                    "in_tcm": list(result.in_tcm or ()),
                },
                request_id,
            )

    def lifecycle(self, actor: Principal) -> list[dict[str, Any]]:
        """Every invitation and where it stands, newest first."""
        require(actor, "read")
        with self.store.read() as conn:
            return [
                dict(r._mapping)
                for r in conn.execute(
                    select(
                        m.Invitation.handle_name,
                        m.Invitation.state,
                        m.Invitation.reason,
                        m.Invitation.invited_by,
                        m.Invitation.invited_at,
                        m.Invitation.decided_at,
                        m.Invitation.request_id,
                    ).order_by(m.Invitation.invited_at.desc())
                )
            ]
