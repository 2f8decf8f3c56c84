"""Which posts a campaign's figures count: the one rule every KPI, chart, table and report uses.

A campaign counts its posts tracked through an order, and the posts added by hand of its own
creators (added to the campaign by the team, or with an order in it). A post linked to the
campaign by a creator who is not one of its creators (possible before this rule existed) is a
stray: it is listed so the team can add the creator or remove the post, and counts nowhere.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, CompoundSelect, Connection, and_, not_, or_, select

from ttcm.store import models as m


def creator_handles(campaign_pk: int) -> CompoundSelect:
    """The handles of a campaign's creators: added by the team, or with an order in it."""
    added = select(m.CampaignCreator.handle_name).where(
        m.CampaignCreator.campaign_pk == campaign_pk
    )
    ordered = select(m.Order.handle_name).where(m.Order.campaign_pk == campaign_pk)
    return added.union(ordered)


def _own(campaign_pk: int) -> ColumnElement[bool]:
    return or_(
        m.Post.tracking == "order",
        m.Post.handle_name.in_(creator_handles(campaign_pk)),
    )


def counted(campaign_pk: int) -> ColumnElement[bool]:
    """SQL condition on `posts`: the post counts in the campaign's figures."""
    return and_(m.Post.campaign_pk == campaign_pk, _own(campaign_pk))


def strays(campaign_pk: int) -> ColumnElement[bool]:
    """SQL condition on `posts`: linked to the campaign, but by a creator who is not in it."""
    return and_(m.Post.campaign_pk == campaign_pk, not_(_own(campaign_pk)))


def is_creator(conn: Connection, campaign_pk: int, handle: str) -> bool:
    """True when `handle` is one of the campaign's creators."""
    handles = creator_handles(campaign_pk).subquery()
    found = conn.execute(select(handles.c.handle_name).where(handles.c.handle_name == handle))
    return found.first() is not None
