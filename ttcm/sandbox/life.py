"""What happens after a brand acts, derived from the facts, the seed and the time.

Nothing here mutates state: each function answers "as of time t" from the stored fact (an
invitation, an order, a link request, the Spark Ads requests of a video). The same facts, seed and
time always give the same answer, in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ttcm.sandbox.hashing import between, unit
from ttcm.sandbox.ids import auth_code

HOUR = 3_600.0
DAY = 86_400.0

# why a sandbox creator declines a marketplace invitation
INVITE_DECLINE_REASONS = (
    "The creator declined the invitation: not interested in brand work right now.",
    "The creator declined the invitation: prefers to stay off the marketplace.",
    "The creator did not accept the invitation before it expired.",
    "The creator declined the invitation: already represented by an agency.",
)


def _odd(t: float) -> int:
    """Sponsored videos are posted on odd seconds, organic ones on even: no shared timestamp."""
    return int(t) | 1


# ---------------------------------------------------------------- invitations


@dataclass(frozen=True, slots=True)
class InvitationState:
    """An invitation as of some time."""

    status: str  # INVITED (pending), IN (joined) or NOT_IN (declined)
    decided_at: float | None = None
    reason: str | None = None


def invitation_state(seed: int, inv: dict[str, Any], t: float) -> InvitationState:
    """Pending for 12-72 h, then joined (about 65 %) or declined with a reason."""
    keys = (seed, "invite", int(inv["creator"]), int(inv["round"]))
    decide = float(inv["invited_at"]) + between(12, 72, *keys) * HOUR
    if t < decide:
        return InvitationState("INVITED")
    if unit(*keys, "join") < 0.65:
        return InvitationState("IN", decide)
    reason = INVITE_DECLINE_REASONS[int(unit(*keys, "why") * len(INVITE_DECLINE_REASONS))]
    return InvitationState("NOT_IN", decide, reason)


# ---------------------------------------------------------------- orders


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order as of some time."""

    status: str  # ORDER_CREATED | ACCEPTED | IN_PROGRESS | COMPLETED | DECLINED
    update_time: float
    posted: list[tuple[int, int]]  # (deliverable index, posting time) of videos posted so far


def order_video_times(seed: int, order: dict[str, Any]) -> tuple[float, bool, list[int]]:
    """(decision time, declined?, posting time of each video if accepted)."""
    oid = order["order_id"]
    decided = float(order["created_at"]) + between(12, 72, seed, "order", oid) * HOUR
    declined = unit(seed, "order-decline", oid) < 0.12
    times, t = [], decided
    for k in range(int(order["video_number"])):
        t += between(24, 96, seed, "order-video", oid, k) * HOUR
        times.append(_odd(t))
    return decided, declined, times


# why a sandbox creator declines an order (sandbox fiction; the field is [assumed],
# docs/contract.md)
ORDER_DECLINE_REASONS = (
    "Schedule conflict: no time in the posting window.",
    "The fee is below my rate.",
    "The product does not fit my content.",
    "I work with a competing brand.",
)


def decline_reason(order_id: str) -> str:
    """The reason a declined sandbox order gives (stable for the order)."""
    return ORDER_DECLINE_REASONS[sum(map(ord, order_id)) % len(ORDER_DECLINE_REASONS)]


def order_state(seed: int, order: dict[str, Any], t: float) -> OrderState:
    """Created, then accepted (88 %) or declined after 12-72 h; videos every 1-4 days after."""
    decided, declined, times = order_video_times(seed, order)
    if t < decided:
        return OrderState("ORDER_CREATED", float(order["created_at"]), [])
    if declined:
        return OrderState("DECLINED", decided, [])
    posted = [(k, vt) for k, vt in enumerate(times) if vt <= t]
    if not posted:
        return OrderState("ACCEPTED", decided, [])
    status = "COMPLETED" if len(posted) == len(times) else "IN_PROGRESS"
    return OrderState(status, float(posted[-1][1]), posted)


# ---------------------------------------------------------------- TTO campaigns and links


def campaign_post_time(
    seed: int, campaign_seq: int, creator: int, added_at: float, marketplace: bool
) -> int | None:
    """When a creator added to a campaign posts their campaign video (None: never)."""
    keys = (seed, "campaign-join", campaign_seq, creator)
    if not marketplace or unit(*keys) >= 0.7:
        return None
    joined = added_at + between(6, 48, *keys, "join") * HOUR
    return _odd(joined + between(24, 120, *keys, "post") * HOUR)


def link_state(seed: int, link: dict[str, Any], t: float) -> tuple[str, float]:
    """(status, time of the last change) of a brand's video link request."""
    if link.get("revoked_at") is not None:
        return "REVOKE", float(link["revoked_at"])
    keys = (seed, "link", link["link_request_id"], int(link["round"]))
    requested = float(link["requested_at"])
    decide = requested + between(6, 72, *keys) * HOUR
    if t < decide:
        return "IN_REVIEW", float(link.get("reminded_at") or requested)
    return ("APPROVE" if unit(*keys, "ok") < 0.75 else "REJECTED"), decide


# ---------------------------------------------------------------- Spark Ads


@dataclass(slots=True)
class SparkState:
    """The Spark Ads authorization of one video as of some time."""

    remaining: int
    auth_status: str | None = None  # None: never requested
    updated_at: float = 0.0
    requested_days: int = 0
    cycle: int = 0
    decide_at: float = 0.0
    auth_code: str | None = None
    start: float | None = None
    end: float | None = None
    code_status: str | None = None

    def live(self, t: float) -> bool:
        """True when an accepted code has not expired at `t`."""
        return self.auth_status == "ACCEPTED" and self.end is not None and t < self.end


def spark_state(
    seed: int,
    video: str,
    events: list[dict[str, Any]],
    t: float,
    *,
    allowed_days: tuple[int, ...],
    total_requests: int,
) -> SparkState:
    """Replay the requests of one video: each waits 6-96 h, then ~80 % are accepted.

    The creator approves the requested duration about 70 % of the time and another allowed one
    otherwise; the code runs from the acceptance for the approved days. EXTEND adds days to a live
    accepted code. A new request after a rejection or an expiry starts a new cycle.
    """
    st = SparkState(remaining=total_requests)
    for ev in events:
        at = float(ev["t"])
        _decide(st, seed, video, at, allowed_days)
        st.remaining -= 1
        if ev.get("action") == "EXTEND" and st.live(at) and st.end is not None:
            st.end += int(ev["days"]) * DAY
            st.updated_at = at
        elif st.auth_status == "WAITING":
            st.requested_days = int(ev["days"])  # a reminder: same decision time
        else:
            st.cycle += 1
            st.auth_status, st.updated_at = "WAITING", at
            st.requested_days = int(ev["days"])
            st.decide_at = at + between(6, 96, seed, "spark", video, st.cycle) * HOUR
            st.auth_code = st.start = st.end = None
    _decide(st, seed, video, t, allowed_days)
    if st.auth_status == "ACCEPTED" and st.start is not None and st.end is not None:
        keys = (seed, "spark-use", video, st.cycle)
        used_at = st.start + between(12, 120, *keys) * HOUR
        if t >= st.end:
            st.code_status = "EXPIRED"
        elif unit(*keys) < 0.5 and t >= used_at:
            st.code_status = "IN_USE"
        else:
            st.code_status = "NOT_USED"
    return st


def spark_boosted_since(seed: int, video: str, st: SparkState) -> float | None:
    """When the video's accepted code went into use, if it did."""
    if st.code_status not in ("IN_USE", "EXPIRED") or st.start is None:
        return None
    keys = (seed, "spark-use", video, st.cycle)
    return st.start + between(12, 120, *keys) * HOUR if unit(*keys) < 0.5 else None


def _decide(st: SparkState, seed: int, video: str, t: float, allowed: tuple[int, ...]) -> None:
    if st.auth_status != "WAITING" or t < st.decide_at:
        return
    keys = (seed, "spark", video, st.cycle)
    st.updated_at = st.decide_at
    if unit(*keys, "accept") >= 0.8:
        st.auth_status = "REJECTED"
        return
    days = st.requested_days
    if unit(*keys, "same") >= 0.7:
        others = [d for d in allowed if d != days] or [days]
        days = others[int(unit(*keys, "days") * len(others))]
    st.auth_status = "ACCEPTED"
    st.start, st.end = st.decide_at, st.decide_at + days * DAY
    st.auth_code = auth_code(seed, video, st.cycle)
