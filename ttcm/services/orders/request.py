"""An order request: what the form collects, its checks, the deliverables sent, the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ttcm import rules
from ttcm.domain import format as numfmt
from ttcm.services.campaigns.settings import HANDLE_RE, text_problem
from ttcm.services.form_error import FormError

NEW_CODE = "(new code)"  # recorded in an intent whose request starts a new campaign code
MAX_PER_REQUEST = 1000

Deliverables = list[dict[str, str | int]]
Signature = tuple[tuple[str, int], ...]
OrderRow = dict[str, str | None]


class OrderError(FormError):
    """Invalid order input; `errors` maps each field to what is wrong with it."""


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

    created: list[OrderRow] = field(default_factory=list)
    existing: list[OrderRow] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    unconfirmed: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)

    @property
    def orders(self) -> list[OrderRow]:
        """Every order the request ended with (created now or earlier)."""
        return [*self.created, *self.existing]

    def absorb(self, other: OrdersOutcome) -> None:
        """Add another request's outcome to this one."""
        for name in ("created", "existing", "notices", "request_ids"):
            getattr(self, name).extend(getattr(other, name))
        for name in ("refused", "failed", "unconfirmed"):
            getattr(self, name).update(getattr(other, name))


def deliverables(req: OrderRequest, default_days: int) -> Deliverables:
    """The deliverables sent to TikTok: one per video, named, each with its Spark Ads days."""
    out: Deliverables = []
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


def signature(items: Sequence[dict[str, str | int]]) -> Signature:
    """What makes deliverables the same: each one's name and Spark Ads days, in order."""
    return tuple(
        (str(d["deliverable_name"]), int(d["spark_ads_requested_authorization_days"] or 0))
        for d in items
    )


def clean_handle(raw: object) -> str:
    """A typed handle without spaces or a leading '@' ('' when it is not text)."""
    return raw.strip().removeprefix("@") if isinstance(raw, str) else ""


def order_key(campaign_pk: int, handle: str) -> str:
    """The business key of one creator's order in one campaign (claimed before sending)."""
    return f"order:{campaign_pk}:{handle}"


def validate(req: OrderRequest, campaign: dict[str, object] | None) -> dict[str, str]:
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
    errors.update(_handle_errors(req.handles))
    lo, hi = int(lim["order_video_min"]), int(lim["order_video_max"])
    videos = req.video_number
    if isinstance(videos, bool) or not isinstance(videos, int) or not lo <= videos <= hi:
        errors["video_number"] = f"a whole number from {lo} to {hi}"
        videos = hi
    per_video = numfmt.plural(videos, "video")
    names = list(req.deliverable_names)
    if len(names) > videos:
        errors["deliverable_names"] = f"{len(names)} names for {per_video}"
    for i, name in enumerate(names, 1):
        problem = text_problem(name, int(lim["text_max_chars"]), required=False, multiline=False)
        if problem:
            errors[f"deliverable_names[{i}]"] = problem
    spark = list(req.spark_days)
    if len(spark) > videos:
        errors["spark_days"] = f"{len(spark)} Spark Ads settings for {per_video}"
    allowed = (0, *rules.spark_days())
    for i, days in enumerate(spark, 1):
        if isinstance(days, bool) or days not in allowed:
            errors[f"spark_days[{i}]"] = "no request (0), or 7, 30, 60 or 365 days"
    return errors


def _handle_errors(raw: Sequence[str]) -> dict[str, str]:
    handles = [clean_handle(h) for h in raw if clean_handle(h)]
    bad = [h for h in handles if not HANDLE_RE.fullmatch(h)]
    if isinstance(raw, str) or not handles:
        return {"handles": "choose at least one creator"}
    if bad:
        shown = bad[0] if len(bad[0]) <= 40 else bad[0][:39] + "…"
        return {"handles": f"not a TikTok handle: {shown!r} (letters, digits, '.' and '_')"}
    if len(handles) > MAX_PER_REQUEST:
        return {"handles": f"at most {numfmt.count(MAX_PER_REQUEST)} creators per request"}
    return {}
