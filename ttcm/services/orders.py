"""Orders: one per creator per campaign, 1-10 named videos, Spark Ads per deliverable.

Exactly once (ttcm.services.writes):
* each creator's order is claimed under "order:<campaign>:<handle>" (a request's creators in one
  transaction) before anything is sent; a double click or a second process waits for the first
  and gets its orders instead of sending again;
* just before each create call, the request and the campaign code it goes to are written into
  each creator's intent;
* a retry after an unconfirmed send (timeout, 5xx, crash) first reads that code's orders from
  TikTok (order get by CAMPAIGN_CODE) and records what it finds; only creators TikTok has no
  order for are sent again. A 40050 answer (an order already exists on the code) is reconciled
  the same way;
* TikTok cannot list a code nobody has seen, so a new code is started with a single order: if
  that call is unconfirmed only that creator is in doubt, and the service does not resend it
  until the user recovers it by its campaign code (`recover`) or explicitly asks to resend.

Limits: at most 100 creators per call and 200 active orders per campaign code (then a new code
is started). A code's deliverables are fixed by its first order, so a request with different
deliverables gets a code of its own.

Tying a post that was published outside the invitation link (`tie_post`): the campaign code
names the order's campaign; the brand asks TikTok to link the video to that campaign's TikTok
campaign (`campaign_link`, action LINK); the creator approves or rejects it in TikTok; the
refresh records the link status and, once approved, the post with full metrics from the
campaign report.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from ttcm import rules
from ttcm.api import errors as api_errors
from ttcm.api.models.campaigns import LinkInfo
from ttcm.api.models.orders import Deliverable as ApiDeliverable
from ttcm.api.models.orders import Order as ApiOrder
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.errors import InputError
from ttcm.services.audit import record
from ttcm.services.campaigns import HANDLE_RE, NOT_CACHED, creators_by_handle, text_problem
from ttcm.services.order_rules import why_not_orderable
from ttcm.services.writes import (
    STALE_AFTER,
    Claim,
    claim,
    claim_many,
    finish,
    mark,
    mark_outcome,
    note,
    open_intents,
)
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.rows_orders import write_orders
from ttcm.store.upsert import upsert

NEW_CODE = "(new code)"  # recorded in an intent whose request starts a new campaign code
MAX_PER_REQUEST = 1000
CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
VIDEO_RE = re.compile(r"[0-9]{1,32}")
_VIDEO_URL_RE = re.compile(r"/video/([0-9]{1,32})")
IN_PROGRESS = "Being sent from another session right now; try again in a moment to see it."
UNCONFIRMED = (
    "TikTok did not confirm this order. ttcm looks it up on its campaign code before sending "
    "again, so retrying cannot create a duplicate."
)
UNCONFIRMED_NEW = (
    "TikTok did not confirm this order, and it would have started a campaign code ttcm has not "
    "seen, so it cannot be looked up. If TikTok One shows an order for this creator, recover it "
    "by its campaign code; otherwise send it again explicitly."
)
REFUSED_BY_TIKTOK = (
    "TikTok refuses orders for this creator ({reason}). Choose another creator; this one can be "
    "ordered once on the TikTok Creator Marketplace (invite them from the Invitations page)."
)
NOT_SENT = "Not sent: an earlier call of this request failed; try again."
SENDING = (
    "Being sent, or its sender stopped half-way; a new request looks it up on TikTok once the "
    f"sender has been silent for {int(STALE_AFTER.total_seconds())} seconds."
)
LINK_LABELS = {
    "IN_REVIEW": "Waiting for the creator",
    "APPROVE": "Tied to the campaign",
    "REJECTED": "Rejected by the creator",
    "REVOKE": "Withdrawn",
}


class OrderError(InputError):
    """Invalid order input; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class OrderRequest:
    """What the order form collects."""

    campaign_pk: int
    handles: Sequence[str]
    video_number: int = 1
    deliverable_names: Sequence[str] = ()  # missing or blank: "Video <n>"
    spark_days: Sequence[int] = ()  # per deliverable, 0 = no request; missing: campaign default
    resend_unconfirmed: bool = False  # send orders whose new-code call was never confirmed


@dataclass
class OrdersOutcome:
    """What happened to each creator of an order request."""

    created: list[dict[str, Any]] = field(default_factory=list)
    existing: list[dict[str, Any]] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    unconfirmed: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)

    @property
    def orders(self) -> list[dict[str, Any]]:
        """Every order the request ended with (created now or earlier)."""
        return [*self.created, *self.existing]


@dataclass(frozen=True)
class CodeRoom:
    """A campaign code of a campaign and how many more orders it takes."""

    campaign_code: str
    invite_link: str | None
    active: int
    left: int
    deliverables: tuple[tuple[str, int], ...]


def deliverables(req: OrderRequest, default_days: int) -> list[dict[str, Any]]:
    """The deliverables sent to TikTok: one per video, named, each with its Spark Ads days."""
    out = []
    for i in range(req.video_number):
        name = req.deliverable_names[i] if i < len(req.deliverable_names) else ""
        days = req.spark_days[i] if i < len(req.spark_days) else default_days
        out.append(
            {
                "deliverable_name": (name or "").strip() or f"Video {i + 1}",
                "spark_ads_requested_authorization_days": int(days),
            }
        )
    return out


def _signature(items: Sequence[dict[str, Any]]) -> tuple[tuple[str, int], ...]:
    return tuple(
        (d["deliverable_name"], int(d["spark_ads_requested_authorization_days"] or 0))
        for d in items
    )


def clean_handle(raw: Any) -> str:
    """A typed handle without spaces or a leading '@' ('' when it is not text)."""
    return raw.strip().removeprefix("@") if isinstance(raw, str) else ""


def validate(req: OrderRequest, campaign: dict[str, Any] | None) -> dict[str, str]:
    """Field -> problem for every field that is wrong (empty when the request is usable)."""
    lim = rules.limits()
    if campaign is None:
        return {"campaign": "no such campaign"}
    errors: dict[str, str] = {}
    if campaign.get("archived_at"):
        errors["campaign"] = "archived; restore it before creating orders"
    elif any(
        text_problem(campaign.get(name), int(lim["text_max_chars"]), required=True, multiline=False)
        for name in ("brand_name", "description")
    ):
        errors["campaign"] = (
            "fill the TTCM section (brand name and description, at most "
            f"{lim['text_max_chars']} characters each) in the campaign settings first"
        )
    handles = [clean_handle(h) for h in req.handles if clean_handle(h)]
    bad = [h for h in handles if not HANDLE_RE.fullmatch(h)]
    if isinstance(req.handles, str) or not handles:
        errors["handles"] = "choose at least one creator"
    elif bad:
        shown = bad[0] if len(bad[0]) <= 40 else bad[0][:39] + "…"
        errors["handles"] = f"not a TikTok handle: {shown!r} (letters, digits, '.' and '_')"
    elif len(handles) > MAX_PER_REQUEST:
        errors["handles"] = f"at most {numfmt.count(MAX_PER_REQUEST)} creators per request"
    lo, hi = int(lim["order_video_min"]), int(lim["order_video_max"])
    videos = req.video_number
    if isinstance(videos, bool) or not isinstance(videos, int) or not lo <= videos <= hi:
        errors["video_number"] = f"a whole number from {lo} to {hi}"
        videos = hi
    names = list(req.deliverable_names)
    if len(names) > videos:
        errors["deliverable_names"] = f"{len(names)} names for {videos} video(s)"
    for i, name in enumerate(names, 1):
        problem = text_problem(name, int(lim["text_max_chars"]), required=False, multiline=False)
        if problem:
            errors[f"deliverable_names[{i}]"] = problem
    spark = list(req.spark_days)
    if len(spark) > videos:
        errors["spark_days"] = f"{len(spark)} Spark Ads settings for {videos} video(s)"
    allowed = (0, *rules.spark_days())
    for i, days in enumerate(spark, 1):
        if isinstance(days, bool) or days not in allowed:
            errors[f"spark_days[{i}]"] = "no request (0), or 7, 30, 60 or 365 days"
    return errors


def _order_key(campaign_pk: int, handle: str) -> str:
    return f"order:{campaign_pk}:{handle}"


def _row(o: Any) -> dict[str, Any]:
    return {
        "handle_name": o.handle_name,
        "order_id": o.order_id,
        "campaign_code": o.campaign_code,
        "invite_link": o.invite_link,
        "status": o.status,
    }


def _lookup(client: Any, code: str) -> tuple[list[ApiOrder], str | None]:
    """Every order on a campaign code, and the request id of the look-up ([] for no such code)."""
    orders: list[ApiOrder] = []
    request_id = None
    params = {"query_type": "CAMPAIGN_CODE", "campaign_code": code}
    try:
        for page in client.iter_pages("orders", params):
            request_id = request_id or page.request_id
            raw = page.data.get("orders") or []
            orders.extend(ApiOrder.model_validate(o) for o in raw if isinstance(o, dict))
    except api_errors.NotFoundError as exc:
        return [], exc.request_id
    return orders, request_id


def _failure_text(exc: BaseException, status: str) -> str:
    if status == "unknown":
        return UNCONFIRMED
    if isinstance(exc, api_errors.RateLimitError):
        return "TikTok is throttling requests; nothing was created. Try again in a minute."
    if isinstance(exc, api_errors.APIConnectionError):
        return "TikTok could not be reached; nothing was created. Try again."
    if isinstance(exc, api_errors.RequestValidationError):
        return f"Not sent: {exc.message}"
    if isinstance(exc, api_errors.TikTokAPIError):
        return f"TikTok refused the order: {exc}"
    return f"The order could not be sent: {exc.__class__.__name__}"


class Orders:
    """Create, recover and list orders, and tie published posts; changes need `order.write`."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], Any],
        *,
        wait_seconds: float = 30.0,
        stale_after: Any = STALE_AFTER,
        poll: float = 0.05,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.wait_seconds = wait_seconds
        self.stale_after = stale_after
        self.poll = poll

    def _campaign(self, campaign_pk: Any) -> dict[str, Any] | None:
        if isinstance(campaign_pk, bool) or not isinstance(campaign_pk, int):
            return None
        table = m.Campaign.__table__
        with self.store.read() as conn:
            row = conn.execute(select(table).where(table.c.id == campaign_pk)).first()
        return dict(row._mapping) if row else None

    # ------------------------------------------------------------ reads

    def list(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """The campaign's orders with their deliverables, by handle."""
        require(actor, "read")
        with self.store.read() as conn:
            orders = [
                dict(r._mapping)
                for r in conn.execute(
                    select(m.Order.__table__)
                    .where(m.Order.campaign_pk == campaign_pk)
                    .order_by(m.Order.handle_name)
                )
            ]
            dels: dict[str, list[dict[str, Any]]] = {}
            for d in conn.execute(
                select(m.Deliverable.__table__)
                .join(m.Order, m.Order.order_id == m.Deliverable.order_id)
                .where(m.Order.campaign_pk == campaign_pk)
                .order_by(m.Deliverable.order_id, m.Deliverable.position)
            ):
                dels.setdefault(d.order_id, []).append(dict(d._mapping))
        labels = rules.vocab()["order_statuses"]
        for o in orders:
            o["deliverables"] = dels.get(o["order_id"], [])
            o["status_label"] = labels.get(o["status"] or "", o["status"] or "unknown")
        return orders

    def codes(self, campaign_pk: int) -> list[CodeRoom]:
        """The campaign's codes, oldest first, with their room and their deliverables."""
        cap = int(rules.limits()["orders_per_campaign_code"])
        o, d = m.Order, m.Deliverable
        with self.store.read() as conn:
            codes = conn.execute(
                select(m.CampaignCode.campaign_code, m.CampaignCode.invite_link)
                .where(m.CampaignCode.campaign_pk == campaign_pk)
                .order_by(m.CampaignCode.created_at, m.CampaignCode.campaign_code)
            ).all()
            active = dict(
                conn.execute(
                    select(o.campaign_code, func.count())
                    .where(o.campaign_pk == campaign_pk)
                    .where(func.coalesce(o.status, "") != "DECLINED")
                    .group_by(o.campaign_code)
                ).all()
            )
            items = conn.execute(
                select(o.campaign_code, d.order_id, d.deliverable_name, d.spark_days)
                .join(d, d.order_id == o.order_id)
                .where(o.campaign_pk == campaign_pk)
                .order_by(o.campaign_code, d.order_id, d.position)
            ).all()
        first: dict[str, str] = {}
        sig: dict[str, list[tuple[str, int]]] = {}
        for code, order_id, name, days in items:
            if first.setdefault(code, order_id) == order_id:
                sig.setdefault(code, []).append((name or "", int(days or 0)))
        return [
            CodeRoom(
                code,
                link,
                int(active.get(code, 0)),
                max(0, cap - int(active.get(code, 0))),
                tuple(sig.get(code, ())),
            )
            for code, link in codes
        ]

    def room(self, req: OrderRequest) -> int:
        """How many of `req`'s orders fit on the campaign's current codes (the rest start one)."""
        campaign = self._campaign(req.campaign_pk) or {}
        wanted = _signature(deliverables(req, int(campaign.get("spark_days_default") or 30)))
        return sum(c.left for c in self.codes(req.campaign_pk) if c.deliverables == wanted)

    def unconfirmed(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """Orders of the campaign that were sent (or are being sent) without a confirmed result."""
        require(actor, "read")
        out = []
        for row in open_intents(self.store, f"order:{campaign_pk}:"):
            code = row["payload"].get("campaign_code")
            new = code == NEW_CODE
            out.append(
                {
                    "handle_name": row["key"].split(":", 2)[2],
                    "status": row["status"],
                    "campaign_code": None if new else code,
                    "new_code": new,
                    "message": SENDING
                    if row["status"] == "pending"
                    else (UNCONFIRMED_NEW if new else UNCONFIRMED),
                    "updated_at": row["updated_at"],
                }
            )
        return out

    def resend_unconfirmed(self, actor: Principal, campaign_pk: int) -> OrdersOutcome:
        """Send again, as first requested, the unconfirmed orders that started a new code."""
        require(actor, "order.write")
        groups: dict[tuple[tuple[str, int], ...], list[str]] = {}
        for row in open_intents(self.store, f"order:{campaign_pk}:"):
            payload = row["payload"]
            if row["status"] == "unknown" and payload.get("campaign_code") == NEW_CODE:
                sig = _signature(payload.get("deliverables") or [])
                groups.setdefault(sig, []).append(row["key"].split(":", 2)[2])
        outcome = OrdersOutcome()
        for sig, handles in groups.items():
            done = self.create(
                actor,
                OrderRequest(
                    campaign_pk,
                    handles,
                    video_number=len(sig),
                    deliverable_names=[name for name, _ in sig],
                    spark_days=[days for _, days in sig],
                    resend_unconfirmed=True,
                ),
            )
            for name in ("created", "existing", "notices", "request_ids"):
                getattr(outcome, name).extend(getattr(done, name))
            for name in ("refused", "failed", "unconfirmed"):
                getattr(outcome, name).update(getattr(done, name))
        return outcome

    # ------------------------------------------------------------ create

    def create(self, actor: Principal, req: OrderRequest) -> OrdersOutcome:
        """Create one order per creator, exactly once, and record them with the audit trail."""
        require(actor, "order.write")
        campaign = self._campaign(req.campaign_pk)
        errors = validate(req, campaign)
        if errors:
            raise OrderError(errors)
        assert campaign is not None
        outcome = OrdersOutcome()
        dels = deliverables(req, int(campaign["spark_days_default"] or 30))
        todo = self._resolve(req.handles, outcome)
        deadline = time.monotonic() + self.wait_seconds
        while todo:
            items = {
                _order_key(campaign["id"], h): {"campaign_pk": campaign["id"], "handle_name": h}
                for h in todo
            }
            got = claim_many(self.store, items, "order.create", actor, stale_after=self.stale_after)
            claims: dict[str, Claim] = {}
            busy = []
            for h in todo:
                c = got[_order_key(campaign["id"], h)]
                if c is None:
                    busy.append(h)
                elif c.done_result is not None:
                    outcome.existing.append({"handle_name": h, **c.done_result})
                else:
                    claims[h] = c
            if claims:
                self._process(actor, campaign, req, dels, claims, outcome)
            if not busy:
                break
            if time.monotonic() >= deadline:
                outcome.failed.update(dict.fromkeys(busy, IN_PROGRESS))
                break
            time.sleep(self.poll)
            todo = busy
        return outcome

    def _resolve(self, handles: Sequence[str], outcome: OrdersOutcome) -> list[str]:
        """Canonical handles of supported cached creators; the others are refused with a reason."""
        wanted: dict[str, str] = {}
        for raw in handles:
            h = clean_handle(raw)
            if h:
                wanted.setdefault(h.lower(), h)
        known = creators_by_handle(self.store, list(wanted))
        out = []
        for low, typed in wanted.items():
            row = known.get(low)
            if row is None:
                outcome.refused[typed] = NOT_CACHED
            elif why := why_not_orderable(row._mapping):
                outcome.refused[row.handle_name] = why
            else:
                out.append(row.handle_name)
        return out

    def _process(
        self,
        actor: Principal,
        campaign: dict[str, Any],
        req: OrderRequest,
        dels: list[dict[str, Any]],
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """Reconcile resumed claims, then send the rest; every claim leaves with an outcome."""
        try:
            with self.client_factory() as client:
                self._reconcile(actor, client, campaign["id"], claims, outcome)
                for h in [h for h, c in claims.items() if c.resumed]:
                    if claims[h].payload.get("campaign_code") == NEW_CODE and not (
                        req.resend_unconfirmed
                    ):
                        mark(self.store, [claims.pop(h).id], "unknown", "new code unconfirmed")
                        outcome.unconfirmed[h] = UNCONFIRMED_NEW
                self._send(actor, client, campaign, dels, claims, outcome)
        except api_errors.TikTokAPIError as exc:
            # a look-up failed before anything was sent: hand the claims back as they were
            resumed = [c.id for c in claims.values() if c.resumed]
            fresh = [c.id for c in claims.values() if not c.resumed]
            mark(self.store, resumed, "unknown", "look-up failed before re-sending")
            mark(self.store, fresh, "failed", "not sent")
            text = _failure_text(exc, "failed")
            for h in claims:
                outcome.failed[h] = text
            claims.clear()

    def _reconcile(
        self,
        actor: Principal,
        client: Any,
        campaign_pk: int,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """Record orders an earlier, unconfirmed attempt created, found on the code it used.

        A creator whose unconfirmed call would have started a new code is looked up on every
        code of the campaign ttcm knows (a refresh or a recovery may have found that code since).
        """
        by_code: dict[str, set[str]] = {}
        known = [room.campaign_code for room in self.codes(campaign_pk)]
        for h, c in claims.items():
            code = c.payload.get("campaign_code")
            if c.resumed and code and code != NEW_CODE:
                by_code.setdefault(code, set()).add(h)
            elif c.resumed and code == NEW_CODE:
                for other in known:
                    by_code.setdefault(other, set()).add(h)
        for code, wanted in sorted(by_code.items()):
            found, request_id = _lookup(client, code)
            mine = [o for o in found if o.handle_name in wanted]
            if mine:
                self._record(actor, mine, campaign_pk, code, claims, outcome, request_id=request_id)

    def _send(
        self,
        actor: Principal,
        client: Any,
        campaign: dict[str, Any],
        dels: list[dict[str, Any]],
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """Send the claimed creators in calls of ≤100, filling codes and starting new ones."""
        if not claims:
            return
        lim = rules.limits()
        per_call = int(lim["order_handles_per_call"])
        per_code = int(lim["orders_per_campaign_code"])
        wanted = _signature(dels)
        codes = self.codes(campaign["id"])
        rooms = [[c.campaign_code, c.left] for c in codes if c.deliverables == wanted and c.left]
        if codes and not any(c.deliverables == wanted for c in codes):
            why = (
                "These deliverables differ from those of the campaign's codes (a code keeps its "
                "first order's deliverables)"
            )
        else:
            why = f"The campaign's codes are full ({per_code} orders each)" if codes else ""
        queue = sorted(claims)
        retried_duplicate = False
        singles: set[str] = set()  # sent one by one to learn which creator TikTok refuses
        while queue:
            code = rooms[0][0] if rooms else None
            if code is None and why:
                outcome.notices.append(f"{why}: a new campaign code was started.")
                why = ""
            # a new code starts with one order: if that call is unconfirmed, one creator is in doubt
            size = min(per_call, rooms[0][1]) if rooms and queue[0] not in singles else 1
            batch, queue = queue[:size], queue[size:]
            request = {
                "campaign_pk": campaign["id"],
                "brand_name": campaign["brand_name"],
                "description": campaign["description"],
                "deliverables": dels,
                "campaign_code": code or NEW_CODE,
            }
            note(self.store, {claims[h].id: {**request, "handle_name": h} for h in batch})
            try:
                sent = client.order_create(
                    campaign["brand_name"],
                    campaign["description"],
                    batch,
                    deliverables=dels,
                    campaign_code=code,
                    default_spark_days=int(campaign["spark_days_default"] or 30),
                )
            except (api_errors.NotTTCMCreatorError, api_errors.CountryUnsupportedError) as exc:
                if len(batch) > 1:  # a definite refusal of the call: find whom it is about
                    singles.update(batch)
                    queue = batch + queue
                    continue
                [h] = batch
                mark(self.store, [claims.pop(h).id], "failed", str(exc)[:500])
                outcome.refused[h] = REFUSED_BY_TIKTOK.format(reason=exc.message)
                continue
            except api_errors.DuplicateRequestError as exc:
                if code is None or retried_duplicate:
                    self._fail(actor, campaign, code, batch, queue, claims, outcome, exc)
                    return
                retried_duplicate = True
                self._adopt_duplicates(actor, client, campaign["id"], code, exc, claims, outcome)
                queue = [h for h in batch if h in claims] + queue
                continue
            except Exception as exc:
                self._fail(actor, campaign, code, batch, queue, claims, outcome, exc)
                if isinstance(exc, api_errors.TikTokAPIError):
                    return
                raise
            result = sent.value
            outcome.request_ids.append(sent.request_id)
            new_code = result.campaign_code or code
            self._record(
                actor,
                result.orders,
                campaign["id"],
                new_code,
                claims,
                outcome,
                request_id=sent.request_id,
                invite_link=result.invite_link,
                remaining=result.remaining_orders,
                dels=dels,
                created=True,
            )
            missing = [h for h in batch if h in claims]
            if missing:  # answered without these creators: leave them to a look-up by code
                note(
                    self.store,
                    {claims[h].id: {**request, "campaign_code": new_code} for h in missing},
                )
                mark(self.store, [claims.pop(h).id for h in missing], "unknown", "not in answer")
                outcome.unconfirmed.update(dict.fromkeys(missing, UNCONFIRMED))
            used = len(result.orders)
            left = result.remaining_orders
            if code is None:
                rooms.insert(0, [new_code, per_code - used if left is None else left])
            else:
                rooms[0][1] = rooms[0][1] - used if left is None else left
            if rooms[0][1] <= 0:
                why = f"Campaign code {rooms.pop(0)[0]} is full ({per_code} orders)"

    def _adopt_duplicates(
        self,
        actor: Principal,
        client: Any,
        campaign_pk: int,
        code: str,
        exc: api_errors.DuplicateRequestError,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """40050: some creators already have an order on the code; record those orders."""
        ids = exc.existing_order_ids[: int(rules.limits()["order_ids_per_get"])]
        found = (
            [o for o in client.iter_orders(order_ids=ids) if o.handle_name in claims] if ids else []
        )
        request_id = exc.request_id
        if not found:
            orders, request_id = _lookup(client, code)
            found = [o for o in orders if o.handle_name in claims]
        self._record(actor, found, campaign_pk, code, claims, outcome, request_id=request_id)

    def _fail(
        self,
        actor: Principal,
        campaign: dict[str, Any],
        code: str | None,
        batch: list[str],
        queue: list[str],
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
        exc: BaseException,
    ) -> None:
        """A create call failed: the batch is `failed` or `unknown`, the unsent rest `failed`."""
        status = mark_outcome(self.store, [claims[h].id for h in batch], exc)
        mark(self.store, [claims[h].id for h in queue], "failed", "not sent")
        for h in batch:
            claims.pop(h)
            if status == "unknown":
                outcome.unconfirmed[h] = UNCONFIRMED if code else UNCONFIRMED_NEW
            else:
                outcome.failed[h] = _failure_text(exc, status)
        for h in queue:
            claims.pop(h)
            outcome.failed[h] = NOT_SENT
        with self.store.write() as conn:
            record(
                conn,
                actor.username,
                "order.create_failed" if status == "failed" else "order.create_unconfirmed",
                f"campaign {campaign['id']} code {code or NEW_CODE}",
                {"handles": batch[:100], "error": f"{exc.__class__.__name__}: {exc}"[:500]},
                getattr(exc, "request_id", None),
            )

    def _record(
        self,
        actor: Principal,
        orders: Sequence[ApiOrder],
        campaign_pk: int,
        code: str,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
        *,
        request_id: str | None,
        invite_link: str | None = None,
        remaining: int | None = None,
        dels: list[dict[str, Any]] | None = None,
        created: bool = False,
        action: str | None = None,
    ) -> None:
        """Store orders TikTok holds, finish their intents and write one audit entry."""
        now = datetime.now(UTC)
        filled = [self._filled(o, code, invite_link, dels) for o in orders]
        with self.store.write() as conn:
            upsert(
                conn,
                m.CampaignCode.__table__,
                [
                    {
                        "campaign_code": code,
                        "campaign_pk": campaign_pk,
                        "invite_link": invite_link
                        or next((o.invite_link for o in filled if o.invite_link), None),
                        "remaining_orders": remaining,
                        "created_at": now,
                    }
                ],
                key=["campaign_code"],
                update=["remaining_orders"] if remaining is not None else (),
            )
            write_orders(conn, filled, campaign_pk, now)
            upsert(
                conn,
                m.CampaignCreator.__table__,
                [
                    {
                        "campaign_pk": campaign_pk,
                        "handle_name": o.handle_name,
                        "added_by": actor.username,
                        "added_at": now,
                    }
                    for o in filled
                ],
                key=["campaign_pk", "handle_name"],
                update=(),
            )
            for o in filled:
                row = _row(o)
                c = claims.pop(o.handle_name or "", None)
                if c is not None:
                    finish(conn, c.id, "done", request_id, row)
                (outcome.created if created else outcome.existing).append(row)
            if filled:
                record(
                    conn,
                    actor.username,
                    action or ("order.create" if created else "order.reconcile"),
                    f"campaign {campaign_pk} code {code}",
                    {
                        "campaign_code": code,
                        "orders": [o.order_id for o in filled][:200],
                        "handles": [o.handle_name for o in filled][:200],
                    },
                    request_id,
                )

    @staticmethod
    def _filled(
        o: ApiOrder, code: str, invite_link: str | None, dels: list[dict[str, Any]] | None
    ) -> ApiOrder:
        """A create answer's order with what the answer leaves out (deliverables, video count)."""
        update: dict[str, Any] = {}
        if not o.campaign_code:
            update["campaign_code"] = code
        if not o.invite_link and invite_link:
            update["invite_link"] = invite_link
        if not o.status:
            update["status"] = "ORDER_CREATED"
        if dels is not None and not o.deliverables:
            update["deliverables"] = [ApiDeliverable(**d) for d in dels]
        if dels is not None and not o.video_number:
            update["video_number"] = len(dels)
        return o.model_copy(update=update) if update else o

    # ------------------------------------------------------------ recover and statuses

    def recover(self, actor: Principal, campaign_pk: int, campaign_code: str) -> OrdersOutcome:
        """Record the orders of a code TikTok created but ttcm never saw (look-up by code)."""
        require(actor, "order.write")
        code = campaign_code.strip() if isinstance(campaign_code, str) else ""
        if not CODE_RE.fullmatch(code):
            raise OrderError({"campaign_code": "letters, digits, '-' and '_' (at most 64)"})
        campaign = self._campaign(campaign_pk)
        if campaign is None:
            raise OrderError({"campaign": "no such campaign"})
        with self.store.read() as conn:
            owner = conn.execute(
                select(m.CampaignCode.campaign_pk).where(m.CampaignCode.campaign_code == code)
            ).first()
        if owner is not None and owner[0] != campaign_pk:
            raise OrderError({"campaign_code": "belongs to another campaign"})
        with self.client_factory() as client:
            found, request_id = _lookup(client, code)
        if not found:
            raise OrderError({"campaign_code": "TikTok has no orders on this campaign code"})
        outcome = OrdersOutcome()
        items = {
            _order_key(campaign_pk, o.handle_name or ""): {
                "campaign_pk": campaign_pk,
                "handle_name": o.handle_name,
                "campaign_code": code,
            }
            for o in found
        }
        got = claim_many(self.store, items, "order.create", actor, stale_after=self.stale_after)
        claims = {c.key.split(":", 2)[2]: c for c in got.values() if c is not None and not c.done}
        self._record(
            actor,
            found,
            campaign_pk,
            code,
            claims,
            outcome,
            request_id=request_id,
            action="order.recover",
        )
        return outcome

    def refresh_statuses(self, actor: Principal, campaign_pk: int) -> int:
        """Read the campaign's orders from TikTok now (by code); returns orders changed."""
        require(actor, "order.write")
        changed = 0
        with self.client_factory() as client:
            for room in self.codes(campaign_pk):
                found, _ = _lookup(client, room.campaign_code)
                with self.store.write() as conn:
                    changed += write_orders(conn, found, campaign_pk, datetime.now(UTC))
        return changed

    # ------------------------------------------------------------ tie a published post

    def tie_post(self, actor: Principal, campaign_code: str, video: str) -> dict[str, Any]:
        """Ask TikTok to tie a published video to the campaign of `campaign_code` (once)."""
        require(actor, "order.write")
        code = campaign_code.strip() if isinstance(campaign_code, str) else ""
        text = video.strip() if isinstance(video, str) else ""
        in_url = _VIDEO_URL_RE.search(text)
        vid = in_url.group(1) if in_url else text
        errors = {}
        if not CODE_RE.fullmatch(code):
            errors["campaign_code"] = "letters, digits, '-' and '_' (at most 64)"
        if not VIDEO_RE.fullmatch(vid):
            errors["video_id"] = "the video's id (digits) or its tiktok.com/@…/video/… link"
        if errors:
            raise OrderError(errors)
        with self.store.read() as conn:
            found = conn.execute(
                select(m.Campaign.id, m.Campaign.campaign_id)
                .join(m.CampaignCode, m.CampaignCode.campaign_pk == m.Campaign.id)
                .where(m.CampaignCode.campaign_code == code)
            ).first()
            if found is None:
                raise OrderError({"campaign_code": "none of this team's orders uses this code"})
            campaign_pk, campaign_id = found
            if not campaign_id:
                raise OrderError({"campaign": "this campaign does not exist on TikTok"})
            link = conn.execute(
                select(m.LinkStatus).where(
                    m.LinkStatus.campaign_id == campaign_id, m.LinkStatus.video_id == vid
                )
            ).first()
        if link is not None and link.status in ("IN_REVIEW", "APPROVE"):
            return _link_row(link, code, campaign_pk, already=True)
        asked = int(link.number_of_requests or 0) if link is not None else 0
        intent = claim(
            self.store,
            f"link:{campaign_id}:{vid}:{asked}",
            "post.tie",
            {"campaign_code": code, "campaign_id": campaign_id, "video_id": vid},
            actor,
            wait_seconds=self.wait_seconds,
            stale_after=self.stale_after,
        )
        if intent.done_result is not None:
            return {**intent.done_result, "already": True}
        with self.client_factory() as client:
            info, request_id = None, None
            if intent.resumed:
                info = next(
                    (
                        li
                        for li in client.iter_link_status(campaign_ids=[campaign_id])
                        if li.video_id == vid and int(li.number_of_requests or 0) > asked
                    ),
                    None,
                )
            if info is None:
                note(self.store, {intent.id: {**intent.payload, "action": "LINK"}})
                try:
                    sent = client.campaign_link(campaign_id, vid, "LINK")
                except (api_errors.NotFoundError, api_errors.InvalidRequestError) as exc:
                    mark(self.store, [intent.id], "failed", str(exc)[:500])
                    problem = (
                        "TikTok has no published video with this id"
                        if isinstance(exc, api_errors.NotFoundError)
                        else exc.message
                    )
                    raise OrderError({"video_id": problem}) from None
                except Exception as exc:
                    mark_outcome(self.store, [intent.id], exc)
                    raise
                info, request_id = sent.value, sent.request_id
        return self._record_link(
            actor, info, campaign_id, campaign_pk, code, vid, intent, request_id
        )

    def _record_link(
        self,
        actor: Principal,
        info: LinkInfo,
        campaign_id: str,
        campaign_pk: int,
        code: str,
        vid: str,
        intent: Claim,
        request_id: str | None,
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        row = {
            "link_request_id": info.link_request_id or f"{campaign_id}:{vid}",
            "video_id": vid,
            "campaign_id": campaign_id,
            "status": info.status,
            "number_of_requests": info.number_of_requests,
            "source": m.API_SOURCE,
            "fetched_at": now,
        }
        result = {
            "video_id": vid,
            "campaign_code": code,
            "campaign_pk": campaign_pk,
            "status": info.status,
            "number_of_requests": info.number_of_requests,
        }
        with self.store.write() as conn:
            upsert(conn, m.LinkStatus.__table__, [row], key=["link_request_id"])
            finish(conn, intent.id, "done", request_id, result)
            record(
                conn,
                actor.username,
                "post.tie" if request_id else "post.tie.reconcile",
                f"campaign {campaign_pk} code {code}",
                {"video_id": vid, "campaign_id": campaign_id, "campaign_code": code},
                request_id,
            )
        return {**result, "already": False, "request_id": request_id}

    def tied_posts(self, actor: Principal, campaign_pk: int) -> list[dict[str, Any]]:
        """Link requests of the campaign's TikTok campaign, with the post once it is recorded."""
        require(actor, "read")
        li, p, c = m.LinkStatus, m.Post, m.Campaign
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    li.video_id,
                    li.status,
                    li.number_of_requests,
                    li.fetched_at,
                    p.handle_name,
                    p.video_views,
                    p.create_time,
                )
                .join(c, c.campaign_id == li.campaign_id)
                .join(p, p.video_id == li.video_id, isouter=True)
                .where(c.id == campaign_pk)
                .order_by(li.video_id)
            ).all()
        return [
            {**dict(r._mapping), "status_label": LINK_LABELS.get(r.status, r.status)} for r in rows
        ]


def _link_row(link: Any, code: str, campaign_pk: int, *, already: bool) -> dict[str, Any]:
    return {
        "video_id": link.video_id,
        "campaign_code": code,
        "campaign_pk": campaign_pk,
        "status": link.status,
        "number_of_requests": link.number_of_requests,
        "already": already,
    }
