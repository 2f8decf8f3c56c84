"""The local store: a cache of TikTok data plus the team's own records."""

from ttcm.store import models_alerts as models_alerts  # registers the alerts tables on Base
from ttcm.store.engine import Store, is_sqlite, make_engine
from ttcm.store.migrate import check, ensure_schema, upgrade

__all__ = ["Store", "check", "ensure_schema", "is_sqlite", "make_engine", "upgrade"]
