"""The sandbox as of a moment: the directory, the brand's facts and everything derived from them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ttcm import rules
from ttcm.sandbox import life
from ttcm.sandbox.data import IN, INVALID, CreatorDirectory
from ttcm.sandbox.ids import VideoKind, video_id, video_ref
from ttcm.sandbox.posts import Post, PostCatalog, fmt_time
from ttcm.sandbox.state import SandboxState


class World:
    """Answers questions about creators, orders, campaigns and videos at a time `t`."""

    def __init__(self, directory: CreatorDirectory, state: SandboxState) -> None:
        self.d = directory
        self.seed = directory.seed
        self.posts = PostCatalog(directory)
        self.state = state

    @cached_property
    def authenticated(self) -> np.ndarray:
        """Indexes of the creators who authorized the app, in directory order."""
        return np.flatnonzero(self.d.authenticated)

    # ---------------------------------------------------------------- marketplace membership

    def invitation(self, i: int, t: float) -> life.InvitationState | None:
        """The invitation of creator `i` as of `t`, if the brand invited them."""
        inv = self.state.invitations.get(self.d.handles[i])
        return life.invitation_state(self.seed, inv, t) if inv else None

    def onboarding(self, i: int, t: float) -> tuple[str, str | None]:
        """(IN | NOT_IN | INVALID | INVITED, decline reason) of creator `i`."""
        status = int(self.d.status[i])
        if status == INVALID:
            return "INVALID", None
        if status == IN:
            return "IN", None
        inv = self.invitation(i, t)
        if inv is None:
            return "NOT_IN", None
        return inv.status, inv.reason

    def is_marketplace(self, i: int, t: float) -> bool:
        """True when creator `i` is on the marketplace at `t` (from the start or joined)."""
        return self.onboarding(i, t)[0] == "IN"

    def joined(self, t: float) -> np.ndarray:
        """Indexes of invited creators who have joined by `t`."""
        out = [
            int(inv["creator"])
            for inv in self.state.invitations.values()
            if life.invitation_state(self.seed, inv, t).status == "IN"
        ]
        return np.asarray(out, dtype=np.int64)

    # ---------------------------------------------------------------- orders

    def order_state(self, order: dict[str, Any], t: float) -> life.OrderState:
        """Where an order stands at `t`."""
        return life.order_state(self.seed, order, t)

    def order_posts(self, order: dict[str, Any], t: float) -> list[Post]:
        """Videos posted for an order by `t`, in posting order."""
        i, seq = int(order["creator"]), int(order["seq"])
        return [
            Post(
                video_id(self.seed, VideoKind.ORDER, i, seq * 16 + k),
                i,
                VideoKind.ORDER,
                seq * 16 + k,
                when,
                order_id=order["order_id"],
                brand_name=order.get("brand_name"),
            )
            for k, when in self.order_state(order, t).posted
        ]

    def order_payload(self, order: dict[str, Any], t: float) -> dict[str, Any]:
        """The order object of order get v2."""
        st = self.order_state(order, t)
        posted = {int(p.j) % 16: p.video_id for p in self.order_posts(order, t)}
        deliverables = []
        for k, dl in enumerate(order["deliverables"]):
            item = dict(dl)
            if k in posted:
                item["video_id"] = posted[k]
            deliverables.append(item)
        code = self.state.codes[order["campaign_code"]]
        return {
            "order_id": order["order_id"],
            "handle_name": self.d.handles[int(order["creator"])],
            "campaign_code": order["campaign_code"],
            "invite_link": code["invite_link"],
            "status": st.status,
            "video_number": int(order["video_number"]),
            "deliverables": deliverables,
            "video_ids": [posted[k] for k in sorted(posted)],
            "create_time": fmt_time(float(order["created_at"])),
            "update_time": fmt_time(st.update_time),
            **(
                {"decline_reason": life.decline_reason(order["order_id"])}
                if st.status == "DECLINED"
                else {}
            ),
        }

    # ---------------------------------------------------------------- TTO campaigns

    def campaign_posts(self, campaign: dict[str, Any], t: float) -> list[Post]:
        """Videos campaign members posted for the campaign by `t`, oldest first."""
        out = []
        seq = int(campaign["seq"])
        for member in campaign["members"].values():
            i = int(member["creator"])
            added = float(member["added_at"])
            when = life.campaign_post_time(self.seed, seq, i, added, self.is_marketplace(i, added))
            if when is not None and when <= t:
                vid = video_id(self.seed, VideoKind.CAMPAIGN, i, seq * 16)
                out.append(
                    Post(
                        vid,
                        i,
                        VideoKind.CAMPAIGN,
                        seq * 16,
                        when,
                        campaign_id=campaign["campaign_id"],
                        brand_name=campaign.get("brand_name"),
                    )
                )
        return sorted(out, key=lambda p: p.create_time)

    def campaign_videos(self, campaign: dict[str, Any], t: float) -> list[Post]:
        """Every video counted for a campaign at `t`: members' posts plus approved links."""
        posts = self.campaign_posts(campaign, t)
        seen = {p.video_id for p in posts}
        for link in self.state.links.values():
            if link["campaign_id"] != campaign["campaign_id"] or link["video_id"] in seen:
                continue
            if life.link_state(self.seed, link, t)[0] == "APPROVE":
                post = self.find_video(link["video_id"], t)
                if post is not None:
                    posts.append(post)
                    seen.add(post.video_id)
        return posts

    def link_payload(self, link: dict[str, Any], t: float) -> dict[str, Any]:
        """A link request as the link and link-status endpoints show it."""
        status, _ = life.link_state(self.seed, link, t)
        campaign = self.state.campaigns[link["campaign_id"]]
        return {
            "video_id": link["video_id"],
            "status": status,
            "campaign_id": link["campaign_id"],
            "last_reminded_timestamp": int(float(link.get("reminded_at") or link["requested_at"])),
            "number_of_requests": int(link["requests"]),
            "campaign_type": campaign["campaign_type"],
            "link_request_id": link["link_request_id"],
        }

    # ---------------------------------------------------------------- videos

    def creator_posts(self, i: int, t: float) -> list[Post]:
        """Every video creator `i` shows at `t` (organic and sponsored), newest first."""
        posts = self.posts.organic(i, t)
        for oid in self.state.orders_by_creator.get(i, ()):
            posts.extend(self.order_posts(self.state.orders[oid], t))
        for cid in self.state.campaigns_by_creator.get(i, ()):
            posts.extend(
                p for p in self.campaign_posts(self.state.campaigns[cid], t) if p.creator == i
            )
        posts.sort(key=lambda p: -p.create_time)
        return posts

    def find_video(self, vid: str, t: float) -> Post | None:
        """The video with id `vid` if it exists (has been posted) at `t`."""
        ref = video_ref(self.seed, vid, self.d.n)
        if ref is None:
            return None
        if ref.kind == VideoKind.ORGANIC:
            ok = self.posts.is_posted(ref.creator, ref.j, t)
            return self.posts.organic_post(ref.creator, ref.j) if ok else None
        if ref.kind == VideoKind.ORDER:
            oid = self.state.orders_by_seq.get(ref.j // 16)
            order = self.state.orders.get(oid or "")
            if order is None or int(order["creator"]) != ref.creator:
                return None
            return next((p for p in self.order_posts(order, t) if p.video_id == vid), None)
        cid = self.state.campaigns_by_seq.get(ref.j // 16)
        campaign = self.state.campaigns.get(cid or "")
        if campaign is None:
            return None
        return next((p for p in self.campaign_posts(campaign, t) if p.video_id == vid), None)

    def spark_events(self, vid: str, t: float) -> list[dict[str, Any]]:
        """Spark Ads requests of a video by `t`: those sent for it, and the one its order's
        deliverable asked for (sent when the creator posts the video)."""
        events = list(self.state.spark.get(vid, {}).get("events", []))
        ref = video_ref(self.seed, vid, self.d.n)
        if ref is not None and ref.kind == VideoKind.ORDER:
            post = self.find_video(vid, t)
            order = self.state.orders.get(post.order_id or "") if post is not None else None
            dels = order["deliverables"] if order is not None else []
            k = ref.j % 16
            days = (
                int(dels[k].get("spark_ads_requested_authorization_days") or 0)
                if k < len(dels)
                else 0
            )
            if post is not None and days > 0:
                events.append({"t": float(post.create_time), "days": days, "action": "APPLY"})
                events.sort(key=lambda e: float(e["t"]))
        return events

    def spark(self, vid: str, t: float) -> life.SparkState:
        """The Spark Ads authorization of a video at `t`."""
        lim = rules.limits()
        return life.spark_state(
            self.seed,
            vid,
            self.spark_events(vid, t),
            t,
            allowed_days=tuple(int(x) for x in lim["spark_ads_days"]),
            total_requests=int(lim["spark_ads_remaining_requests"]),
        )
