"""`ttcm doctor`: does the configured API answer the way the client expects? (issue 14)

A bounded set of read-only calls (accounts, account info, labels, one discover page, one creator
detail, one video page, one campaign page, one report page, one Spark Ads status), one request
each, never a write. Each answer gets a verdict: expected / drift (keys missing or new, variant
names, percentages, cursor type) / permission missing (with the scope to ask for) / unreachable.
`record` saves every answer with tokens, ids, handles and other personal values replaced, so a
team can attach them to a bug report and the project can turn them into fixtures.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ttcm import api as models
from ttcm.api import errors as api_errors
from ttcm.api.base import BaseClient
from ttcm.api.endpoints import ENDPOINTS
from ttcm.api.errors import key_text
from ttcm.api.redact import redact
from ttcm.api.shapes import SHAPES, inspect
from ttcm.auth import Principal, require
from ttcm.domain import format as numfmt

EXPECTED = "expected"
REACHABLE = "reachable"  # answered, but had nothing to show (e.g. 40007 for the sample id)
DRIFT = "drift"
PERMISSION = "permission missing"
UNREACHABLE = "unreachable"
FAILED = "error"
SKIPPED = "skipped"

# the permission each endpoint needs in My Apps > App Detail (docs/contract.md, "Transport")
# [assumed where the research gives only the family]
SCOPES: dict[str, str] = {
    "tcm_accounts": "TikTok One account management",
    "account_info": "TikTok One account management",
    "labels": "TikTok One creator discovery",
    "discover": "TikTok One creator discovery",
    "creator_public": "TikTok One creator discovery",
    "creator_public_videos": "TikTok One creator discovery",
    "campaigns": "TikTok One campaign management",
    "campaign_report": "TikTok One campaign reporting",
    "spark_status": "Spark Ads authorization (tcm/tt_video)",
}
MODELS: dict[str, type[BaseModel]] = {
    "account_info": models.AccountInfo,
    "labels": models.LabelSet,
    "discover": models.Creator,
    "creator_public": models.Creator,
    "creator_public_videos": models.Post,
    "campaigns": models.Campaign,
    "campaign_report": models.ReportVideo,
    "spark_status": models.SparkStatus,
}
# keys the client knows but does not model (paging and envelope parts)
_KNOWN_EXTRA = {"page_info", "has_more", "cursor", "video_info", "creator_info", "creator_rate"}
# values replaced by --record: ids, handles and personal or secret text
_PRIVATE_KEYS = (
    "handle",
    "handler",
    "display_name",
    "bio",
    "caption",
    "profile_image",
    "thumbnail_url",
    "embed_url",
    "invite_link",
    "auth_code",
    "authorization_code",
    "request_id",
    "account_name",
    "brand_name",
    "brand_website",
    "logo_url",
    "tiktok_account_url",
    "business_account_handle",
    "mentioned_accounts",
)


@dataclass
class Verdict:
    """One endpoint's result."""

    endpoint: str
    path: str
    status: str
    detail: str = ""
    request_id: str | None = None
    ms: float = 0.0


@dataclass
class DoctorReport:
    """Every verdict, the requests made and the rate-limit headroom seen."""

    verdicts: list[Verdict] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    throttled: int = 0
    qps: float = 0.0
    qpm: int = 0
    recorded: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every endpoint that was called answered as expected."""
        return all(v.status in (EXPECTED, REACHABLE, SKIPPED) for v in self.verdicts)

    @property
    def headroom(self) -> str:
        """The rate-limit headroom this check saw, for people."""
        left = max(0, self.qpm - self.requests)
        throttled = f"{self.throttled} throttled answer(s)" if self.throttled else "no throttling"
        return (
            f"{numfmt.count(self.requests)} requests in {numfmt.elapsed(self.seconds)}; limits "
            f"{numfmt.exact(self.qps)}/s and {numfmt.count(self.qpm)}/min leave "
            f"{numfmt.count(left)} requests this minute; {throttled}"
        )


def _model_keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        alias = info.validation_alias
        if alias is not None and hasattr(alias, "choices"):
            keys.update(str(c) for c in alias.choices)
    return keys


def _new_keys(name: str, data: dict[str, Any]) -> list[str]:
    model = MODELS.get(name)
    shape = SHAPES.get(name)
    if model is None or shape is None:
        return []
    rows = data.get(shape.list_keys[0]) if shape.list_keys else [data]
    known = _model_keys(model) | _KNOWN_EXTRA
    for variants in shape.renames.values():
        known.update(variants)
    seen: set[str] = set()
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            seen.update(str(k) for k in row)
    return sorted(seen - known)  # list answers: the items' keys (top-level keys are metadata)


def _verdict_of(name: str, raw: dict[str, Any], request_id: str | None) -> tuple[str, str]:
    data = copy.deepcopy(raw)
    try:
        finding = inspect(name, data, request_id)
    except api_errors.UnexpectedResponse as err:
        return DRIFT, f"missing {err.missing!r} in {err.where} (keys: {', '.join(err.present)})"
    notes: list[str] = []
    if finding.variants:
        notes.append("variant names: " + "; ".join(finding.variants))
    if finding.percentages:
        notes.append("percentages, not fractions: " + ", ".join(finding.percentages))
    source = data.get("page_info") if isinstance(data.get("page_info"), dict) else data
    cursor = source.get("cursor") if isinstance(source, dict) else None
    if cursor is not None and not isinstance(cursor, int):
        notes.append(f"cursor is a {type(cursor).__name__}, not milliseconds")
    new = _new_keys(name, data)
    if new:
        notes.append("new keys: " + ", ".join(key_text(k) for k in new[:20]))
    if notes:
        return DRIFT, "; ".join(notes)
    return EXPECTED, "shape as expected"


def _private(key: str) -> bool:
    k = key.lower()
    return k == "id" or k.endswith(("_id", "_ids")) or any(p in k for p in _PRIVATE_KEYS)


def scrub(value: Any, placeholders: dict[str, str] | None = None, key: str = "") -> Any:
    """`value` with ids, handles and personal text replaced by stable placeholders."""
    placeholders = {} if placeholders is None else placeholders
    if isinstance(value, dict):
        return {k: scrub(v, placeholders, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, placeholders, key) for v in value]
    if key and _private(key) and value is not None and not isinstance(value, bool):
        text = f"{type(value).__name__}:{value}"
        if text not in placeholders:
            placeholders[text] = f"<{key}-{len(placeholders) + 1}>"
        return placeholders[text]
    if isinstance(value, str):
        return redact(value)
    return value


class Doctor:
    """Runs the check with one client; `record_dir` saves the scrubbed answers."""

    def __init__(
        self,
        client: BaseClient,
        *,
        record_dir: Path | None = None,
        country: str = "US",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.record_dir = record_dir
        self.country = country
        self._clock = clock
        self._placeholders: dict[str, str] = {}

    def run(self) -> DoctorReport:
        """Every check in order; later checks use ids the earlier answers gave."""
        report = DoctorReport(qps=self.client.limiter.qps, qpm=self.client.limiter.qpm)
        started = self._clock()
        sent_before = self.client.requests_sent
        for verdict in self._checks(report):
            report.verdicts.append(verdict)
        report.requests = self.client.requests_sent - sent_before
        report.seconds = self._clock() - started
        return report

    def _checks(self, report: DoctorReport) -> Iterator[Verdict]:
        accounts = yield from self._one(report, "tcm_accounts", {})
        ids = (accounts or {}).get("tto_tcm_account_ids") or (accounts or {}).get("tcm_account_ids")
        if isinstance(ids, list) and ids:
            self.client.use_account(str(ids[0]))
        yield from self._one(report, "account_info", {})
        yield from self._one(report, "labels", {"label_type": "SEARCH"})
        found = yield from self._one(
            report, "discover", {"country_codes": [self.country], "page": 1, "page_size": 10}
        )
        handle = _first(found, ("creators", "creator_list"), ("handle_name", "handle"))
        if handle is None:
            yield self._skip("creator_public", "no creator in the discover page")
            yield self._skip("creator_public_videos", "no creator in the discover page")
        else:
            yield from self._one(report, "creator_public", {"handle_name": handle})
            yield from self._one(
                report, "creator_public_videos", {"handle_name": handle, "limit": 10}
            )
        listed = yield from self._one(report, "campaigns", {"page": 1, "page_size": 5})
        campaign = _first(listed, ("campaigns",), ("campaign_id",))
        if campaign is None:
            yield self._skip("campaign_report", "the account has no campaign")
            yield self._skip("spark_status", "the account has no campaign video")
            return
        videos = yield from self._one(
            report, "campaign_report", {"campaign_id": campaign, "page": 1, "page_size": 10}
        )
        video = _first_video(videos)
        if video is None:
            yield self._skip("spark_status", "the campaign report has no video")
            return
        yield from self._one(report, "spark_status", {"video_id": video})

    def _skip(self, name: str, why: str) -> Verdict:
        return Verdict(name, ENDPOINTS[name].path, SKIPPED, why)

    def _one(
        self, report: DoctorReport, name: str, params: dict[str, Any]
    ) -> Generator[Verdict, None, Any]:
        # a generator so _checks can `yield from` it and still get the raw data back
        endpoint = ENDPOINTS[name]
        assert endpoint.method == "GET" and not endpoint.write  # the doctor never writes
        started = self._clock()
        try:
            response = self.client.request(name, params, raw=True)
        except api_errors.PermissionDeniedError as err:
            yield Verdict(
                name,
                endpoint.path,
                PERMISSION,
                f"{err.message} — ask for the {SCOPES.get(name, 'matching')} permission",
                err.request_id,
            )
            return None
        except api_errors.RateLimitError as err:
            report.throttled += 1
            yield Verdict(name, endpoint.path, FAILED, f"throttled: {err.message}", err.request_id)
            return None
        except (api_errors.APIConnectionError, api_errors.ServerError) as err:
            yield Verdict(name, endpoint.path, UNREACHABLE, str(err), err.request_id)
            return None
        except api_errors.NotFoundError as err:
            detail = f"reachable, nothing to show for the sample id ({err.message})"
            yield Verdict(name, endpoint.path, REACHABLE, detail, err.request_id)
            return None
        except api_errors.TikTokAPIError as err:
            yield Verdict(name, endpoint.path, FAILED, str(err), err.request_id)
            return None
        ms = (self._clock() - started) * 1000
        status, detail = _verdict_of(name, response.data, response.request_id)
        self._record(name, response.data, response.request_id, status, detail)
        yield Verdict(name, endpoint.path, status, detail, response.request_id, ms)
        return response.data

    def _record(
        self, name: str, data: dict[str, Any], request_id: str, status: str, detail: str
    ) -> None:
        if self.record_dir is None:
            return
        self.record_dir.mkdir(parents=True, exist_ok=True)
        out = {
            "endpoint": name,
            "path": ENDPOINTS[name].path,
            "verdict": status,
            "detail": detail,
            "request_id": scrub(request_id, self._placeholders, "request_id"),
            "data": scrub(data, self._placeholders),
        }
        path = self.record_dir / f"{name}.json"
        path.write_text(redact(json.dumps(out, indent=1, ensure_ascii=False)), encoding="utf-8")


def _first(data: dict[str, Any] | None, lists: tuple[str, ...], keys: tuple[str, ...]) -> Any:
    for list_key in lists:
        rows = (data or {}).get(list_key)
        if isinstance(rows, list):
            for row in rows:
                if isinstance(row, dict):
                    for key in keys:
                        if row.get(key) not in (None, ""):
                            return str(row[key])
    return None


def _first_video(data: dict[str, Any] | None) -> str | None:
    for key in SHAPES["campaign_report"].list_keys:
        rows = (data or {}).get(key)
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            nested = row.get("video_info")
            info: dict[str, Any] = nested if isinstance(nested, dict) else row
            vid = info.get("video_id") or info.get("item_id")
            if vid not in (None, ""):
                return str(vid)
    return None


def run_doctor(
    principal: Principal | None, client: BaseClient, record_dir: Path | None = None
) -> DoctorReport:
    """Check the configured API for an admin (the CLI passes the system principal)."""
    require(principal, "credentials")
    return Doctor(client, record_dir=record_dir).run()
