"""Metric history through real refreshes of the sandbox: one snapshot a day, continued after
TikTok stops reporting a post (day 21), read back as series by role-checked services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.builders import VIEWER
from tests.refresh.conftest import make_client
from ttcm.auth import Principal
from ttcm.config import Settings
from ttcm.errors import Forbidden
from ttcm.refresh.history import HistoryPolicy
from ttcm.refresh.run import Refresher
from ttcm.services.history import creator_series, post_series
from ttcm.services.posts import PostError
from ttcm.services.profiles import ProfileError
from ttcm.store import Store
from ttcm.store import models as m

NOBODY = Principal("nobody", "Nobody", "none")


def _snapshots(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(m.PostSnapshot)).scalar_one()


def test_history_goes_on_after_tiktok_stops_reporting(store: Store, sandbox) -> None:
    handles = [sandbox.directory.handles[int(i)] for i in np.flatnonzero(sandbox.discover.listed)]
    policy = HistoryPolicy(day_clock=lambda: sandbox.clock.now().date())
    with make_client(sandbox) as client:
        created = client.order_create("Acme", "Drop", handles[:2], video_number=1).value
        with store.write() as conn:
            conn.execute(
                m.CampaignCode.__table__.insert().values(
                    campaign_code=created.campaign_code,
                    invite_link=created.invite_link,
                    created_at=datetime.now(UTC),
                )
            )

        def refresh() -> None:
            report = Refresher(store, client, history=policy).run(["orders", "posts"])
            assert report.status == "ok", report.error

        refresh()
        sandbox.advance(24 * 14)  # the creators post; TikTok reports the videos
        refresh()
        with store.read() as conn:
            vids = conn.execute(select(m.Post.video_id, m.Post.video_views)).all()
        assert vids
        reported_day = sandbox.clock.now().date()
        sandbox.advance(24 * 26)  # every video is past day 21: TikTok stops reporting them
        refresh()
        rows = _snapshots(store)
        refresh()  # a second refresh the same day adds nothing
        assert _snapshots(store) == rows == 2 * len(vids)
        for vid, views in vids:
            series = post_series(store, VIEWER, vid)
            assert series.days == [reported_day, sandbox.clock.now().date()]
            assert series.reported == [True, False]
            assert series.views[-1] == series.views[0] == views  # the last values TikTok gave
            assert series.stopped_on == sandbox.clock.now().date()
            assert series.note == (
                f"TikTok stopped reporting this post on {series.stopped_on.isoformat()}; "
                "last values kept."
            )
        keep_today = HistoryPolicy(day_clock=policy.day_clock, retention_days=1)
        pruned = Refresher(store, client, history=keep_today).run(["campaigns"])
        assert pruned.counts["history"]["pruned"] == len(vids)  # the reported day is gone
        assert _snapshots(store) == len(vids)


def test_series_are_role_checked_and_name_what_is_missing(store: Store) -> None:
    with pytest.raises(Forbidden):
        post_series(store, NOBODY, "123")
    with pytest.raises(Forbidden):
        creator_series(store, NOBODY, "maya")
    with pytest.raises(PostError, match="No post 123"):
        post_series(store, VIEWER, "123")
    with pytest.raises(PostError, match="1-32 digits"):
        post_series(store, VIEWER, "=1+1")
    with pytest.raises(ProfileError, match="No creator @maya"):
        creator_series(store, VIEWER, "maya")


def test_creator_series_reads_followers_and_engagement_per_day(store: Store, sandbox) -> None:
    policy = HistoryPolicy(day_clock=lambda: sandbox.clock.now().date())
    with make_client(sandbox) as client:
        Refresher(store, client, history=policy).run(["creators"])
    with store.read() as conn:
        handle, followers, er, avg = conn.execute(
            select(
                m.Creator.handle_name,
                m.Creator.followers_count,
                m.Creator.engagement_rate,
                m.Creator.avg_views,
            ).where(m.Creator.engagement_rate.is_not(None))
        ).first()
        snap_avg = conn.execute(
            select(m.CreatorSnapshot.avg_views)
            .join(m.Creator, m.Creator.id == m.CreatorSnapshot.creator_pk)
            .where(m.Creator.handle_name == handle)
        ).scalar_one()
    series = creator_series(store, VIEWER, f"@{handle}")
    assert series.days == [sandbox.clock.now().date()]
    assert (series.followers, series.engagement_rate) == ([followers], [er])
    assert snap_avg == avg


def test_the_policy_follows_the_sandbox_clock_and_the_retention(tmp_path) -> None:
    from ttcm.sandbox import SandboxApp
    from ttcm.services.history import history_policy

    state = tmp_path / "sandbox_state.json"
    SandboxApp(n_creators=50, seed=3, state_path=state).advance(24 * 40)
    settings = Settings.load(
        env={"TTCM_SANDBOX_STATE": str(state), "TTCM_SNAPSHOT_RETENTION_DAYS": "14"},
        secrets_file=tmp_path / "none.toml",
    )
    policy = history_policy(settings)
    assert policy.retention_days == 14
    assert policy.day_clock is not None
    ahead = policy.day_clock() - datetime.now(UTC).date()
    assert timedelta(days=39) <= ahead <= timedelta(days=41)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    unread = Settings.load(env={"TTCM_SANDBOX_STATE": str(broken)}, secrets_file=tmp_path / "n")
    fallback = history_policy(unread).day_clock
    assert fallback is not None and fallback() == datetime.now(UTC).date()
