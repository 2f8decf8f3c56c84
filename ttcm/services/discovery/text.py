"""Text search over handles, display names and bios, on the store's trigram index (§6)."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from ttcm.store import Store
from ttcm.store import models as m


def text_ids(store: Store, query: str) -> np.ndarray:
    """Sorted ids of creators whose handle, display name or bio contains `query` (any case)."""
    q = query.strip()
    if not q:
        return np.zeros(0, dtype=np.int64)
    with store.read() as conn:
        if store.is_sqlite and len(q) >= 3:
            phrase = '"' + q.replace('"', '""') + '"'  # user text is one phrase, never FTS syntax
            cursor = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "SELECT rowid FROM creators_fts WHERE creators_fts MATCH ?", (phrase,)
            )
            ids = np.fromiter((r[0] for r in cursor), dtype=np.int64)
        else:
            c = m.Creator
            escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            blob = func.lower(
                func.coalesce(c.handle_name, "")
                + " "
                + func.coalesce(c.display_name, "")
                + " "
                + func.coalesce(c.bio, "")
            )
            rows = conn.execute(select(c.id).where(blob.like(f"%{escaped}%", escape="\\")))
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64)
    ids.sort()
    return ids
