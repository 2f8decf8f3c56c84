"""Campaign links: tie a post published outside the invitation link to its order's campaign.

The campaign code names the order's campaign; the brand asks TikTok to link the video to that
campaign's TikTok campaign (`campaign_link`, action LINK), once (ttcm.services.writes); the creator
approves or rejects it in TikTok; the refresh records the link status and, once approved, the post
with full metrics from the campaign report. Changes need `order.write`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select

from ttcm.api import errors as api_errors
from ttcm.api.models.campaigns import LinkInfo
from ttcm.auth import Principal, require
from ttcm.services.orders.codes import CODE_PROBLEM, CODE_RE
from ttcm.services.orders.request import OrderError
from ttcm.services.tiktok_writer import TikTokWriter
from ttcm.services.writes import Claim, claim, finish, mark, mark_outcome, note
from ttcm.store import models as m
from ttcm.store.audit import record
from ttcm.store.upsert import upsert

VIDEO_RE = re.compile(r"[0-9]{1,32}")
_VIDEO_URL_RE = re.compile(r"/video/([0-9]{1,32})")
LINK_LABELS = {
    "IN_REVIEW": "Waiting for the creator",
    "APPROVE": "Tied to the campaign",
    "REJECTED": "Rejected by the creator",
    "REVOKE": "Withdrawn",
}
LinkRow = dict[str, object]


class Links(TikTokWriter):
    """Ask TikTok to tie published posts to a campaign, and list those requests."""

    def tie_post(self, actor: Principal, campaign_code: str, video: str) -> LinkRow:
        """Ask TikTok to tie a published video to the campaign of `campaign_code` (once)."""
        require(actor, "order.write")
        code, vid = _checked(campaign_code, video)
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
            return {
                "video_id": link.video_id,
                "campaign_code": code,
                "campaign_pk": campaign_pk,
                "status": link.status,
                "number_of_requests": link.number_of_requests,
                "already": True,
            }
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
        info, request_id = self._send(intent, campaign_id, vid, asked)
        return self._record(actor, info, campaign_pk, code, intent, request_id)

    def _send(
        self, intent: Claim, campaign_id: str, vid: str, asked: int
    ) -> tuple[LinkInfo, str | None]:
        """The link request TikTok holds: found after an unconfirmed try, or sent now."""
        with self.client_factory() as client:
            if intent.resumed:
                for li in client.iter_link_status(campaign_ids=[campaign_id]):
                    if li.video_id == vid and int(li.number_of_requests or 0) > asked:
                        return li, None
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
            return sent.value, sent.request_id

    def _record(
        self,
        actor: Principal,
        info: LinkInfo,
        campaign_pk: int,
        code: str,
        intent: Claim,
        request_id: str | None,
    ) -> LinkRow:
        now = datetime.now(UTC)
        campaign_id, vid = str(intent.payload["campaign_id"]), str(intent.payload["video_id"])
        row = {
            "link_request_id": info.link_request_id or f"{campaign_id}:{vid}",
            "video_id": vid,
            "campaign_id": campaign_id,
            "status": info.status,
            "number_of_requests": info.number_of_requests,
            "source": m.API_SOURCE,
            "fetched_at": now,
        }
        result: LinkRow = {
            "video_id": vid,
            "campaign_code": code,
            "campaign_pk": campaign_pk,
            "status": info.status,
            "number_of_requests": info.number_of_requests,
        }
        with self.store.write() as conn:
            upsert(conn, cast(Table, m.LinkStatus.__table__), [row], key=["link_request_id"])
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

    def tied_posts(self, actor: Principal, campaign_pk: int) -> list[LinkRow]:
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
            {**dict(r._mapping), "status_label": LINK_LABELS.get(r.status or "", r.status)}
            for r in rows
        ]


def _checked(campaign_code: object, video: object) -> tuple[str, str]:
    """The code and the video id of a tie request, or an OrderError naming each bad field."""
    code = campaign_code.strip() if isinstance(campaign_code, str) else ""
    text = video.strip() if isinstance(video, str) else ""
    in_url = _VIDEO_URL_RE.search(text)
    vid = in_url.group(1) if in_url else text
    errors = {}
    if not CODE_RE.fullmatch(code):
        errors["campaign_code"] = CODE_PROBLEM
    if not VIDEO_RE.fullmatch(vid):
        errors["video_id"] = "the video's id (digits) or its tiktok.com/@…/video/… link"
    if errors:
        raise OrderError(errors)
    return code, vid
