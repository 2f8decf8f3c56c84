"""TTCM invitations: pre-check each creator, send in batches, follow the lifecycle.

Lifecycle: NOT_INVITED -> INVITED -> JOINED (the creator becomes a TTCM account) or REJECTED
(reason kept). Only a creator whose every rule is known to pass is sent: one that fails a rule,
whose facts are unknown, who is already invited or on TTCM, or whose handle is not in the cache
is not, and the check says why. Handles not in the cache are looked up on TikTok (`lookup`)
before anything is sent; TikTok shares eligibility facts only of creators who authorized the
app, so a handle it knows but the cache does not is refused with that reason, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from ttcm import rules
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain.eligibility import Eligibility, check
from ttcm.errors import InputError, UpstreamError
from ttcm.store import Store, versions
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.tables import table_of
from ttcm.store.upsert import upsert

if TYPE_CHECKING:
    from ttcm.api.protocol import TikTokOne


@dataclass
class InviteOutcome:
    """What happened to each handle of an invite request."""

    invited: list[str] = field(default_factory=list)
    already_ttcm: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # by TikTok, with its reason
    skipped: dict[str, list[str]] = field(default_factory=dict)  # failed our pre-check
    refused: dict[str, str] = field(default_factory=dict)  # not checkable: never sent, with why
    request_ids: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, str]]:
        """One row per handle: what happened to it, in words."""
        out = [{"Handle": h, "Outcome": "invited"} for h in self.invited]
        out += [
            {"Handle": h, "Outcome": f"rejected by TikTok: {r}"} for h, r in self.rejected.items()
        ]
        out += [{"Handle": h, "Outcome": "already on TTCM"} for h in self.already_ttcm]
        out += [{"Handle": h, "Outcome": "already invited"} for h in self.already_invited]
        out += [
            {"Handle": h, "Outcome": "not sent: " + "; ".join(f)} for h, f in self.skipped.items()
        ]
        out += [{"Handle": h, "Outcome": f"not sent: {r}"} for h, r in self.refused.items()]
        return out


class InviteError(InputError):
    """An invite request with bad input; nothing was sent."""


class InviteLookupError(UpstreamError):
    """TikTok answered a handle lookup in a way ttcm does not understand; nothing was sent."""


# verdicts of a pre-check; only ELIGIBLE is sent
ELIGIBLE = "eligible"
FAILS = "fails"
UNKNOWN_FACTS = "unknown facts"
ALREADY_TTCM = "already on TTCM"
ALREADY_INVITED = "already invited"
NOT_IN_CACHE = "not in the cache"
NO_ACCOUNT = "no such account"
NO_FACTS = "no facts"


@dataclass(frozen=True)
class Check:
    """The pre-check of one handle: a verdict, a sentence for people, the rules' outcome."""

    handle: str
    verdict: str
    message: str
    eligibility: Eligibility | None = None

    @property
    def sendable(self) -> bool:
        """True only when every rule is known to pass and no invitation is open."""
        return self.verdict == ELIGIBLE


def _cached_check(handle: str, result: Eligibility, invitation: Any) -> Check:
    state = invitation.state if invitation is not None else None
    if result.already_ttcm or state == "JOINED":
        return Check(handle, ALREADY_TTCM, "Already on TTCM: order directly.", result)
    if state == "INVITED":
        when = invitation.invited_at.strftime("%Y-%m-%d") if invitation.invited_at else "earlier"
        who = f" by {invitation.invited_by}" if invitation.invited_by else ""
        return Check(
            handle,
            ALREADY_INVITED,
            f"Already invited on {when}{who}; waiting for an answer.",
            result,
        )
    before = f" (invited before, rejected: {invitation.reason})" if state == "REJECTED" else ""
    if result.failures:
        text = "Fails: " + "; ".join(f.message for f in result.failures) + before
        return Check(handle, FAILS, text, result)
    if result.unknown:
        text = (
            "Cannot be checked: " + ", ".join(result.unknown) + " unknown in TikTok's data. "
            "Refresh the creators, or ask the creator to authorize ttcm." + before
        )
        return Check(handle, UNKNOWN_FACTS, text, result)
    return Check(handle, ELIGIBLE, "Eligible: every TTCM rule passes." + before, result)


def _looked_up_check(handle: str, status: str | None, reason: str | None) -> Check:
    if status == "INVALID":
        return Check(handle, NO_ACCOUNT, "TikTok has no usable account with this handle.")
    if status == "IN":
        return Check(
            handle, ALREADY_TTCM, "Already on TTCM (TikTok's answer): refresh, then order directly."
        )
    if status == "INVITED":
        return Check(handle, ALREADY_INVITED, "Already invited (TikTok's answer).")
    if status == "NOT_IN":
        text = (
            "Not on TTCM, and TikTok shares no eligibility facts of creators who have not "
            "authorized ttcm: ask the creator to authorize, refresh, then invite."
        )
        if reason:
            text += f" Last answer from TikTok: {reason}"
        return Check(handle, NO_FACTS, text)
    raise InviteLookupError(
        f"TikTok answered an unexpected status {str(status)[:30]!r} for {handle}; nothing was sent."
    )


MAX_HANDLES = 1000  # one pre-check; larger lists are split by the person, never cut silently


def _clean(handles: Sequence[str]) -> list[str]:
    out: list[str] = []
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
    if len(out) > MAX_HANDLES:
        raise InviteError(
            f"At most {numfmt.count(MAX_HANDLES)} handles at a time; this list has "
            f"{numfmt.count(len(out))}. Split it and check each part."
        )
    return out


class Invitations:
    """Invite creators to TTCM and follow each invitation."""

    def __init__(self, store: Store, client_factory: Callable[[], Any]) -> None:
        self.store = store
        self.client_factory = client_factory

    def precheck(
        self,
        actor: Principal,
        handles: Sequence[str],
        looked_up: Mapping[str, Check] | None = None,
    ) -> dict[str, Check]:
        """Each handle's check from the cache (and earlier lookups); no API call."""
        require(actor, "read")
        wanted = _clean(handles)
        table = m.Creator.__table__
        with self.store.read() as conn:
            rows = {
                r.handle_name: dict(r._mapping)
                for r in conn.execute(select(table).where(table.c.handle_name.in_(wanted)))
            }
            invitations = {
                r.handle_name: r
                for r in conn.execute(
                    select(m.Invitation).where(m.Invitation.handle_name.in_(wanted))
                )
            }
        out = {}
        for h in wanted:
            if h in rows:
                out[h] = _cached_check(h, check(rows[h]), invitations.get(h))
            elif looked_up and h in looked_up:
                out[h] = looked_up[h]
            elif h in invitations:
                out[h] = _cached_check(h, Eligibility(eligible=None), invitations[h])
                if out[h].verdict not in (ALREADY_TTCM, ALREADY_INVITED):
                    out[h] = Check(h, NOT_IN_CACHE, "Not in the cache: look it up on TikTok.")
            else:
                out[h] = Check(h, NOT_IN_CACHE, "Not in the cache: look it up on TikTok.")
        return out

    def lookup(self, actor: Principal, handles: Sequence[str]) -> dict[str, Check]:
        """Ask TikTok about the handles the cache does not hold (≤20 per call); sends nothing."""
        require(actor, "invite")
        checks = self.precheck(actor, handles)
        unknown = [h for h, c in checks.items() if c.verdict == NOT_IN_CACHE]
        if not unknown:
            return {}
        with self.client_factory() as client:
            return self._lookup(client, unknown)

    def _lookup(self, client: TikTokOne, handles: list[str]) -> dict[str, Check]:
        answers = {st.handle_name: st for st in client.creator_status(handles)}
        out = {}
        for h in handles:
            answer = answers.get(h)
            if answer is None:
                raise InviteLookupError(f"TikTok's status answer left out {h}; nothing was sent.")
            out[h] = _looked_up_check(h, answer.status, answer.reject_reason)
        return out

    def invite(self, actor: Principal, handles: Sequence[str]) -> InviteOutcome:
        """Send invitations to the creators whose check passes, ≤20 per API call."""
        require(actor, "invite")
        checks = self.precheck(actor, handles)
        outcome = InviteOutcome()
        size = int(rules.limits()["invite_handles_per_call"])
        unknown = [h for h, c in checks.items() if c.verdict == NOT_IN_CACHE]
        if unknown:
            with self.client_factory() as client:
                checks.update(self._lookup(client, unknown))
        to_send = []
        for handle, c in checks.items():
            if c.verdict == ALREADY_TTCM:
                outcome.already_ttcm.append(handle)
            elif c.verdict == ALREADY_INVITED:
                outcome.already_invited.append(handle)  # sending twice would only nag
            elif c.verdict == FAILS and c.eligibility is not None:
                outcome.skipped[handle] = [f.message for f in c.eligibility.failures]
            elif not c.sendable:
                outcome.refused[handle] = c.message
            else:
                to_send.append(handle)
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
            upsert(conn, table_of(m.Invitation), rows, key=["handle_name"])
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
        """Every invitation and where it stands, newest first (raw values: see `lifecycle_rows`)."""
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


def lifecycle_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Invitations for people: the state's name, a reason or "—", times, TikTok's request id."""
    return [
        {
            "Handle": str(r["handle_name"]),
            "State": numfmt.label("invitation_state", r["state"]),
            "Reason": r["reason"] or numfmt.MISSING,
            "Invited by": r["invited_by"] or numfmt.MISSING,
            "Invited (UTC)": numfmt.timestamp(r["invited_at"]),
            "Decided (UTC)": numfmt.timestamp(r["decided_at"]),
            "TikTok request id": r["request_id"] or numfmt.MISSING,
        }
        for r in rows
    ]
