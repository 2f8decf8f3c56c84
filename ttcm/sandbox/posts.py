"""Creator videos: the posting schedule, counters that grow with age, daily stats and retention.

Organic post `j` of creator `i` is posted at a deterministic time on a per-creator rhythm (set by
`videos_30d`); a creator's list shows the most recent `posts_shown` of them. Sponsored videos
(orders, campaigns) are `Post`s too, created by the order and campaign life in `world.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ttcm import rules
from ttcm.sandbox.data import CreatorDirectory
from ttcm.sandbox.hashing import between, lognormal, mix, unit
from ttcm.sandbox.ids import MEDIA_HOST, VideoKind, video_id

EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z, origin of every posting rhythm
DAY = 86_400

_TAGS = {
    "11002002": ["beauty", "makeup", "grwm"],
    "11003001": ["ootd", "fashion", "thrift"],
    "11004001": ["recipe", "foodtok", "easyrecipe"],
    "11005001": ["comedy", "skit", "funny"],
    "11006001": ["dance", "choreo", "trend"],
    "11007001": ["gaming", "gamer", "speedrun"],
    "11008001": ["fitness", "workout", "gymtok"],
    "11009001": ["travel", "traveltok", "hiddengems"],
    "11010001": ["tech", "unboxing", "gadgets"],
    "11011001": ["diy", "crafts", "makeover"],
    "11012001": ["pets", "catsoftiktok", "dogsoftiktok"],
    "11013001": ["learnontiktok", "science", "explained"],
    "11014001": ["music", "cover", "newmusic"],
    "11015001": ["dayinmylife", "vlog", "lifestyle"],
    "11016001": ["momlife", "parenting", "family"],
    "11017001": ["moneytok", "budgeting", "investing"],
}
_CAPTIONS = [
    "POV: you finally tried it",
    "Day {n} of doing this until it works",
    "Trying this so you don't have to",
    "Wait for the end 😅",
    "3 things I wish I knew sooner",
    "Reply to @{mention} — here you go 💬",
    "Honest review, no filter",
    "Can't believe this actually worked",
    "Part {n}: you asked for it",
    'Is this "normal"? Asking for a friend',
    "Saving this for later <3",
    "Tell me you're tired without telling me",
]
_SOURCES = {
    "for_you": 0.64,
    "following": 0.1,
    "personal_profile": 0.08,
    "search": 0.08,
    "hashtag": 0.04,
    "sound": 0.03,
    "other": 0.03,
}

_SPLIT = ("video_views", "reach", "likes", "comments", "shares", "favorites", "engagement_count")
# Metric names of a report item (what `metrics` of the order report may select).
REPORT_METRICS = (
    *(f"{m}{suffix}" for m in _SPLIT for suffix in ("", "_organic", "_paid")),
    "engagement_rate",
    "video_completion_rate",
    "total_play_time",
    "average_view_time",
    "two_seconds_views",
    "six_seconds_views",
    "video_view_retention",
    "video_views_by_source",
    "audience_genders_distribution",
    "audience_countries_distribution",
    "audience_age_distribution",
    "audience_device_distribution",
    "audience_locale_distribution",
    "audience_language_distribution",
    "audience_interest_distribution",
    "video_boosted_date",
    *(
        f"ad_{m}"
        for m in ("impressions", "clicks", "ctr", "cost", "cpm", "cpc", "conversions", "cvr")
    ),
    "ad_cpa",
    "ad_roas",
    "daily_stats",
)


@dataclass(frozen=True, slots=True)
class Post:
    """One video of a creator; sponsored videos carry their order or campaign."""

    video_id: str
    creator: int
    kind: VideoKind
    j: int
    create_time: int  # Unix seconds
    order_id: str | None = None
    campaign_id: str | None = None
    brand_name: str | None = None


def fmt_time(ts: float) -> str:
    """Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC), the API's date-time text."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def day_of(ts: float) -> date:
    """The UTC date of Unix seconds."""
    return datetime.fromtimestamp(ts, UTC).date()


class PostCatalog:
    """Posts of a directory: schedule, counters, payloads, daily stats and report metrics."""

    def __init__(self, directory: CreatorDirectory) -> None:
        self.d = directory
        self.seed = directory.seed
        self._profiles: dict[str, tuple[float, float, float, float, float]] = {}

    # ---------------------------------------------------------------- schedule

    def _rhythm(self, i: int) -> tuple[float, float]:
        period = 30.0 * DAY / max(float(self.d.videos_30d[i]), 0.25)
        return period, unit(self.seed, i, "phase") * period

    def organic_time(self, i: int, j: int) -> int:
        """Posting time of organic post `j` of creator `i` (even seconds)."""
        period, phase = self._rhythm(i)
        t = EPOCH + phase + (j + 0.5 * unit(self.seed, i, j, "jitter")) * period
        return int(t) // 2 * 2

    def _last_j(self, i: int, t: float) -> int:
        period, phase = self._rhythm(i)
        j = math.floor((t - EPOCH - phase) / period)
        return j if self.organic_time(i, j) <= t else j - 1

    def organic(self, i: int, t: float) -> list[Post]:
        """The organic posts creator `i` shows at time `t`, newest first."""
        last = self._last_j(i, t)
        shown = min(int(self.d.posts_shown[i]), int(self.d.videos[i]))
        return [self.organic_post(i, j) for j in range(last, last - shown, -1)]

    def organic_post(self, i: int, j: int) -> Post:
        """Organic post `j` of creator `i`."""
        vid = video_id(self.seed, VideoKind.ORGANIC, i, j)
        return Post(vid, i, VideoKind.ORGANIC, j, self.organic_time(i, j))

    def newer_videos(self, post: Post, t: float) -> int:
        """How many organic videos creator `post.creator` posted after `post`, up to `t`."""
        return max(0, self._last_j(post.creator, t) - self._last_j(post.creator, post.create_time))

    def is_reported(self, post: Post, t: float) -> bool:
        """True while TikTok reports the post's metrics at `t`: fewer than `report_post_days`
        days old and fewer than `report_newer_videos` newer videos of its creator."""
        lim = rules.limits()
        young = t - post.create_time < int(lim["report_post_days"]) * DAY
        return young and self.newer_videos(post, t) < int(lim["report_newer_videos"])

    def is_posted(self, i: int, j: int, t: float) -> bool:
        """True when organic post `j` of creator `i` exists at time `t`."""
        return j <= self._last_j(i, t)

    # ---------------------------------------------------------------- counters

    def _profile(self, post: Post) -> tuple[float, float, float, float, float]:
        """Final views and per-like ratios of a post (cached: daily stats reuse them)."""
        key = post.video_id
        cached = self._profiles.get(key)
        if cached is None:
            i = post.creator
            typical = max(
                float(self.d.views_30d[i]) / max(int(self.d.videos_30d[i]), 1) * 0.8, 20.0
            )
            if post.kind != VideoKind.ORGANIC:
                typical *= 1.25
            er = int(self.d.er_bp[i]) / 10_000
            cached = (
                lognormal(typical, 0.9, self.seed, "views", key),
                er * 0.8 * lognormal(1.0, 0.3, self.seed, "likes", key),
                between(0.02, 0.06, self.seed, "c", key),
                between(0.03, 0.09, self.seed, "s", key),
                between(0.05, 0.15, self.seed, "f", key),
            )
            if len(self._profiles) > 100_000:
                self._profiles.clear()
            self._profiles[key] = cached
        return cached

    def counters(self, post: Post, t: float) -> dict[str, int]:
        """Lifetime counters of a post at time `t` (they grow quickly, then level off)."""
        final, like_ratio, c, s, f = self._profile(post)
        age = max(0.0, t - post.create_time) / DAY
        views = int(final * (1.0 - math.exp(-age / 1.8)))
        likes = int(views * like_ratio)
        return {
            "video_views": views,
            "likes": likes,
            "comments": int(likes * c),
            "shares": int(likes * s),
            "favorites": int(likes * f),
        }

    def payload(self, post: Post, t: float) -> dict[str, Any]:
        """The post object of the video-list endpoints."""
        d, i = self.d, post.creator
        labels = d.labels(i, "content")
        tags = _TAGS.get(labels[0]["label_id"], ["fyp"]) if labels else ["fyp"]
        h = mix(self.seed, "caption", post.video_id)
        mentioned: list[str] = []
        if post.kind == VideoKind.ORGANIC:
            caption = _CAPTIONS[h % len(_CAPTIONS)]
            if "{mention}" in caption:
                mentioned = [d.handles[mix(h, 1) % d.n]]
            caption = caption.format(n=h % 90 + 2, mention=mentioned[0] if mentioned else "")
            kept = [tag for k, tag in enumerate(tags) if (h >> (8 + k)) & 1] or tags[:1]
            collab = "CREATOR_EARNS_COMMISSION" if unit(h, "collab") < 0.05 else "NONE"
        else:
            brand = post.brand_name or "our partner"
            caption = f"Partnered with {brand} ✨ {_CAPTIONS[h % 3]}"
            kept = [*tags[:2], "ad"]
            collab = "PAID_PARTNERSHIP"
        caption = caption + " " + " ".join(f"#{tag}" for tag in kept)
        return {
            "video_id": post.video_id,
            "display_name": d.display_name(i),
            "caption": caption,
            "thumbnail_url": f"{MEDIA_HOST}/thumb/{post.video_id}.jpeg",
            "embed_url": f"{MEDIA_HOST}/embed/{post.video_id}",
            **self.counters(post, t),
            "create_time": post.create_time,
            "caption_hashtags": kept,
            "mentioned_accounts": mentioned,
            "collaboration_status": collab,
        }

    # ---------------------------------------------------------------- reporting

    def retention(self, post: Post) -> list[float]:
        """Share of viewers still watching at each second of the video (second 0 = 1.0)."""
        duration = int(between(9, 76, self.seed, "duration", post.video_id))
        tau = duration * between(0.5, 1.4, self.seed, "tau", post.video_id)
        return [
            round(0.5 * math.exp(-s / 2.2) + 0.5 * math.exp(-s / tau), 4)
            for s in range(duration + 1)
        ]

    def daily_stats(
        self, post: Post, t: float, start: date | None = None, end: date | None = None
    ) -> list[dict[str, Any]]:
        """Per-day increments from the posting day to today, clipped to [start, end]."""
        first, today = day_of(post.create_time), day_of(t)
        lo = max(first, start) if start else first
        hi = min(today, end) if end else today
        completion = self.retention(post)[-1]
        out: list[dict[str, Any]] = []
        day = lo
        prev = self._cumulative(post, day - timedelta(days=1), t)
        while day <= hi:
            cur = self._cumulative(post, day, t)
            inc = {k: cur[k] - prev[k] for k in cur}
            views = inc["video_views"]
            engaged = inc["likes"] + inc["comments"] + inc["shares"]
            out.append(
                {
                    "date": day.isoformat(),
                    "views": views,
                    "likes": inc["likes"],
                    "comments": inc["comments"],
                    "shares": inc["shares"],
                    "favorites": inc["favorites"],
                    "engagement_rate": round(engaged / views, 4) if views else 0.0,
                    "video_completion_rate": completion,
                }
            )
            prev, day = cur, day + timedelta(days=1)
        return out

    def _cumulative(self, post: Post, day: date, t: float) -> dict[str, int]:
        end_of_day = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() + DAY - 1
        if end_of_day < post.create_time:
            return dict.fromkeys(("video_views", "likes", "comments", "shares", "favorites"), 0)
        return self.counters(post, min(end_of_day, t))

    def report_item(
        self,
        post: Post,
        t: float,
        *,
        start: date | None = None,
        end: date | None = None,
        auth_code: str | None = None,
        boosted_since: float | None = None,
        daily: bool = True,
    ) -> dict[str, Any]:
        """The metrics of one video as in the TTO report (`videos[]` item)."""
        d, i, vid = self.d, post.creator, post.video_id
        c = self.counters(post, t)
        views = c["video_views"]
        paid_share = 0.35 if boosted_since is not None and boosted_since <= t else 0.0
        paid = int(views * paid_share)
        retention = self.retention(post)
        avg_time = round(sum(retention[1:]), 2)
        engaged = c["likes"] + c["comments"] + c["shares"]
        reach = int(views * between(0.7, 0.9, self.seed, "reach", vid))
        item: dict[str, Any] = {
            "video_info": {
                "video_id": vid,
                "create_time": fmt_time(post.create_time),
                "embed_url": f"{MEDIA_HOST}/embed/{vid}",
                "thumbnail_url": f"{MEDIA_HOST}/thumb/{vid}.jpeg",
            },
            "creator_info": {"handle_name": d.handles[i], "display_name": d.display_name(i)},
        }
        if auth_code:
            item["video_info"]["authorization_code"] = auth_code
        totals = {**c, "reach": reach, "engagement_count": engaged}
        for key in _SPLIT:
            value = totals[key]
            part = int(value * paid_share)
            item[key], item[f"{key}_organic"], item[f"{key}_paid"] = value, value - part, part
        item.update(
            {
                "engagement_rate": round(engaged / views, 4) if views else 0.0,
                "video_completion_rate": retention[-1],
                "total_play_time": int(views * avg_time),
                "average_view_time": avg_time,
                "two_seconds_views": int(views * retention[min(2, len(retention) - 1)]),
                "six_seconds_views": int(views * retention[min(6, len(retention) - 1)]),
                "video_view_retention": retention,
                "video_views_by_source": self._sources(vid, views),
                **self._audience(i),
                "video_boosted_date": day_of(boosted_since).isoformat()
                if paid and boosted_since is not None
                else "1970-01-01",
            }
        )
        if paid:
            impressions = int(paid * between(1.2, 2.0, self.seed, "imp", vid))
            clicks = int(impressions * between(0.005, 0.02, self.seed, "clk", vid))
            cost = round(impressions / 1000 * between(3, 9, self.seed, "cpm", vid), 2)
            conversions = int(clicks * between(0.02, 0.08, self.seed, "cv", vid))
            item.update(
                {
                    "ad_impressions": impressions,
                    "ad_clicks": clicks,
                    "ad_ctr": round(clicks / impressions, 4) if impressions else 0.0,
                    "ad_cost": cost,
                    "ad_cpm": round(cost / impressions * 1000, 2) if impressions else 0.0,
                    "ad_cpc": round(cost / clicks, 2) if clicks else 0.0,
                    "ad_conversions": conversions,
                    "ad_cvr": round(conversions / clicks, 4) if clicks else 0.0,
                    "ad_cpa": round(cost / conversions, 2) if conversions else 0.0,
                    "ad_roas": round(conversions * 35.0 / cost, 2) if cost else 0.0,
                }
            )
        if daily:
            item["daily_stats"] = self.daily_stats(post, t, start, end)
        return item

    def _sources(self, vid: str, views: int) -> dict[str, int]:
        weights = {k: w * between(0.7, 1.3, self.seed, "src", vid, k) for k, w in _SOURCES.items()}
        total = sum(weights.values())
        out = {k: int(views * w / total) for k, w in weights.items()}
        out["for_you"] += views - sum(out.values())
        return out

    def _audience(self, i: int) -> dict[str, Any]:
        d = self.d
        apple = next(e["percentage"] for e in d.audience_devices(i) if e["device"] == "APPLE")
        langs = d.languages(i)
        lang_share = [round(0.8 / len(langs), 4)] * len(langs)
        out: dict[str, Any] = {
            "audience_genders_distribution": d.audience_genders(i),
            "audience_countries_distribution": d.audience_countries(i),
            "audience_age_distribution": d.audience_ages(i),
            "audience_device_distribution": [
                {"device": "ios", "percentage": apple},
                {"device": "android", "percentage": round(1 - apple, 4)},
            ],
            "audience_language_distribution": [
                {"language": lang, "percentage": p}
                for lang, p in zip(langs, lang_share, strict=True)
            ],
            "audience_interest_distribution": [
                {"interest_tag": lab["label_name"], "percentage": round(0.6 / (k + 1), 4)}
                for k, lab in enumerate(d.labels(i, "content"))
            ],
        }
        locales = d.audience_locales(i)
        if locales:
            out["audience_locale_distribution"] = locales
        return out
