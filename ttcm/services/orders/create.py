"""The exactly-once send of an order request (ttcm.services.writes).

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
  until the user recovers it by its campaign code or explicitly asks to resend.

Limits: at most 100 creators per call and 200 active orders per campaign code (then a new code
is started).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ttcm import rules
from ttcm.api import errors as api_errors
from ttcm.api.client import TikTokOneClient
from ttcm.auth import Principal
from ttcm.services.campaigns.creators import NOT_CACHED, creators_by_handle
from ttcm.services.order_rules import why_not_orderable
from ttcm.services.orders import messages as msg
from ttcm.services.orders.codes import codes, lookup
from ttcm.services.orders.record import OrderRecorder
from ttcm.services.orders.request import (
    NEW_CODE,
    Deliverables,
    OrdersOutcome,
    clean_handle,
    order_key,
    signature,
)
from ttcm.services.tiktok_writer import TikTokWriter
from ttcm.services.writes import Claim, claim_many, mark, mark_outcome, note
from ttcm.store.audit import record

Campaign = dict[str, object]


class OrderSender:
    """Sends one request's orders for one campaign, exactly once per creator."""

    def __init__(
        self,
        writer: TikTokWriter,
        actor: Principal,
        campaign: Campaign,
        recorder: OrderRecorder | None = None,
    ) -> None:
        self.store = writer.store
        self.client_factory = writer.client_factory
        self.wait_seconds = writer.wait_seconds
        self.stale_after = writer.stale_after
        self.poll = writer.poll
        self.actor = actor
        self.campaign = campaign
        self.pk = int(str(campaign["id"]))
        self.recorder = recorder or OrderRecorder(writer.store, actor, self.pk)

    def send(
        self, handles: Sequence[str], dels: Deliverables, *, resend_unconfirmed: bool
    ) -> OrdersOutcome:
        """Create one order per creator, exactly once, and record them with the audit trail."""
        outcome = OrdersOutcome()
        todo = self._resolve(handles, outcome)
        deadline = time.monotonic() + self.wait_seconds
        while todo:
            items = {
                order_key(self.pk, h): {"campaign_pk": self.pk, "handle_name": h} for h in todo
            }
            got = claim_many(
                self.store, items, "order.create", self.actor, stale_after=self.stale_after
            )
            claims: dict[str, Claim] = {}
            busy = []
            for h in todo:
                c = got[order_key(self.pk, h)]
                if c is None:
                    busy.append(h)
                elif c.done_result is not None:
                    outcome.existing.append({"handle_name": h, **c.done_result})
                else:
                    claims[h] = c
            if claims:
                self._process(dels, claims, outcome, resend_unconfirmed)
            if not busy:
                break
            if time.monotonic() >= deadline:
                outcome.failed.update(dict.fromkeys(busy, msg.IN_PROGRESS))
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
            elif why := why_not_orderable(dict(row._mapping)):
                outcome.refused[row.handle_name] = why
            else:
                out.append(row.handle_name)
        return out

    def _process(
        self,
        dels: Deliverables,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
        resend_unconfirmed: bool,
    ) -> None:
        """Reconcile resumed claims, then send the rest; every claim leaves with an outcome."""
        try:
            with self.client_factory() as client:
                self._reconcile(client, claims, outcome)
                for h in [h for h, c in claims.items() if c.resumed]:
                    new = claims[h].payload.get("campaign_code") == NEW_CODE
                    if new and not resend_unconfirmed:
                        mark(self.store, [claims.pop(h).id], "unknown", "new code unconfirmed")
                        outcome.unconfirmed[h] = msg.UNCONFIRMED_NEW
                self._send(client, dels, claims, outcome)
        except api_errors.TikTokAPIError as exc:
            # a look-up failed before anything was sent: hand the claims back as they were
            resumed = [c.id for c in claims.values() if c.resumed]
            fresh = [c.id for c in claims.values() if not c.resumed]
            mark(self.store, resumed, "unknown", "look-up failed before re-sending")
            mark(self.store, fresh, "failed", "not sent")
            text = msg.failure_text(exc, "failed")
            for h in claims:
                outcome.failed[h] = text
            claims.clear()

    def _reconcile(
        self, client: TikTokOneClient, claims: dict[str, Claim], outcome: OrdersOutcome
    ) -> None:
        """Record orders an earlier, unconfirmed attempt created, found on the code it used.

        A creator whose unconfirmed call would have started a new code is looked up on every
        code of the campaign ttcm knows (a refresh or a recovery may have found that code since).
        """
        by_code: dict[str, set[str]] = {}
        known = [room.campaign_code for room in codes(self.store, self.pk)]
        for h, c in claims.items():
            code = c.payload.get("campaign_code")
            if c.resumed and code and code != NEW_CODE:
                by_code.setdefault(str(code), set()).add(h)
            elif c.resumed and code == NEW_CODE:
                for other in known:
                    by_code.setdefault(other, set()).add(h)
        for code, wanted in sorted(by_code.items()):
            found, request_id = lookup(client, code)
            mine = [o for o in found if o.handle_name in wanted]
            if mine:
                self.recorder.save(mine, code, claims, outcome, request_id=request_id)

    def _send(
        self,
        client: TikTokOneClient,
        dels: Deliverables,
        claims: dict[str, Claim],
        outcome: OrdersOutcome,
    ) -> None:
        """Send the claimed creators in calls of ≤100, filling codes and starting new ones."""
        if not claims:
            return
        lim = rules.limits()
        per_call = int(lim["order_handles_per_call"])
        per_code = int(lim["orders_per_campaign_code"])
        wanted = signature(dels)
        known = codes(self.store, self.pk)
        rooms = [(c.campaign_code, c.left) for c in known if c.deliverables == wanted and c.left]
        if known and not any(c.deliverables == wanted for c in known):
            why = msg.OTHER_DELIVERABLES
        else:
            why = f"The campaign's codes are full ({per_code} orders each)" if known else ""
        brand, description = str(self.campaign["brand_name"]), str(self.campaign["description"])
        default_days = int(str(self.campaign["spark_days_default"] or 30))
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
                "campaign_pk": self.pk,
                "brand_name": brand,
                "description": description,
                "deliverables": dels,
                "campaign_code": code or NEW_CODE,
            }
            note(self.store, {claims[h].id: {**request, "handle_name": h} for h in batch})
            try:
                sent = client.order_create(
                    brand,
                    description,
                    batch,
                    deliverables=dels,
                    campaign_code=code,
                    default_spark_days=default_days,
                )
            except (api_errors.NotTTCMCreatorError, api_errors.CountryUnsupportedError) as exc:
                if len(batch) > 1:  # a definite refusal of the call: find whom it is about
                    singles.update(batch)
                    queue = batch + queue
                    continue
                [h] = batch
                mark(self.store, [claims.pop(h).id], "failed", str(exc)[:500])
                outcome.refused[h] = msg.REFUSED_BY_TIKTOK.format(reason=exc.message)
                continue
            except api_errors.DuplicateRequestError as exc:
                if code is None or retried_duplicate:
                    self._fail(code, batch, queue, claims, outcome, exc)
                    return
                retried_duplicate = True
                self._adopt_duplicates(client, code, exc, claims, outcome)
                queue = [h for h in batch if h in claims] + queue
                continue
            except Exception as exc:
                self._fail(code, batch, queue, claims, outcome, exc)
                if isinstance(exc, api_errors.TikTokAPIError):
                    return
                raise
            result = sent.value
            outcome.request_ids.append(sent.request_id)
            new_code = result.campaign_code or code or NEW_CODE
            self.recorder.save(
                result.orders,
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
                outcome.unconfirmed.update(dict.fromkeys(missing, msg.UNCONFIRMED))
            used = len(result.orders)
            left = result.remaining_orders
            if code is None:
                rooms.insert(0, (new_code, per_code - used if left is None else left))
            else:
                rooms[0] = (code, rooms[0][1] - used if left is None else left)
            if rooms[0][1] <= 0:
                why = f"Campaign code {rooms.pop(0)[0]} is full ({per_code} orders)"

    def _adopt_duplicates(
        self,
        client: TikTokOneClient,
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
            orders, request_id = lookup(client, code)
            found = [o for o in orders if o.handle_name in claims]
        self.recorder.save(found, code, claims, outcome, request_id=request_id)

    def _fail(
        self,
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
                outcome.unconfirmed[h] = msg.UNCONFIRMED if code else msg.UNCONFIRMED_NEW
            else:
                outcome.failed[h] = msg.failure_text(exc, status)
        for h in queue:
            claims.pop(h)
            outcome.failed[h] = msg.NOT_SENT
        with self.store.write() as conn:
            record(
                conn,
                self.actor.username,
                "order.create_failed" if status == "failed" else "order.create_unconfirmed",
                f"campaign {self.pk} code {code or NEW_CODE}",
                {"handles": batch[:100], "error": f"{exc.__class__.__name__}: {exc}"[:500]},
                getattr(exc, "request_id", None),
            )
