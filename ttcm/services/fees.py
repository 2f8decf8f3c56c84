"""Agreed fees: what the team agreed to pay a creator for a campaign (default: the list price).

A fee is an amount and a currency, set by a manager and audited. Clearing it brings the creator's
list price back. Bad input is refused with the field it concerns; nothing is clamped or rounded.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select, update

from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt
from ttcm.domain.exchange import clean_currency
from ttcm.errors import InputError
from ttcm.store import Store
from ttcm.store import models as m
from ttcm.store.audit import record

MAX_FEE = 10**12  # above any real fee in any currency (1e12 IDR is ~60 M USD)


class FeeError(InputError):
    """A fee that cannot be saved; `field` is "amount", "currency" or "creator"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def amount_problem(amount: Any) -> str | None:
    """What is wrong with a typed fee amount (None when it can be saved)."""
    if amount is None:
        return "Enter the agreed amount."
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount):
        return "The fee is a number."
    if amount < 0:
        return f"A fee is 0 or more ({numfmt.decimal(amount)} now)."
    if amount > MAX_FEE:
        shown = numfmt.decimal(amount)
        return f"A fee above {numfmt.count(MAX_FEE)} is not plausible ({shown} now)."
    return None


def currency_problem(currency: Any) -> str | None:
    """What is wrong with a typed fee currency (None when it can be saved)."""
    try:
        clean_currency(currency if isinstance(currency, str) else "")
    except ValueError as exc:
        return str(exc)
    return None


class Fees:
    """Set or clear the agreed fee of a campaign's creator (managers, audited)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def set_fee(
        self,
        actor: Principal,
        campaign_pk: int,
        handle: str,
        amount: float | None,
        currency: str | None,
    ) -> None:
        """Agree `amount` `currency` with the creator; amount None goes back to the list price."""
        require(actor, "campaign.write")
        if amount is not None:
            problem = amount_problem(amount)
            if problem:
                raise FeeError("amount", problem)
            problem = currency_problem(currency)
            if problem:
                raise FeeError("currency", problem)
            currency = clean_currency(currency or "")
        else:
            currency = None
        cc = m.CampaignCreator
        with self.store.write() as conn:
            before = conn.execute(
                select(cc.agreed_fee, cc.fee_currency).where(
                    cc.campaign_pk == campaign_pk, cc.handle_name == handle
                )
            ).first()
            if before is None:
                raise FeeError("creator", f"@{handle[:40]} is not a creator of this campaign.")
            conn.execute(
                update(cc)
                .where(cc.campaign_pk == campaign_pk, cc.handle_name == handle)
                .values(agreed_fee=None if amount is None else float(amount), fee_currency=currency)
            )
            record(
                conn,
                actor.username,
                "campaign.fee" if amount is not None else "campaign.fee_cleared",
                str(campaign_pk),
                {
                    "handle": handle,
                    "before": [before.agreed_fee, before.fee_currency],
                    "after": [amount, currency],
                },
                None,
            )
