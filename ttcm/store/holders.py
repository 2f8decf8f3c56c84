"""Who holds a claim: this process's identity, and whether a recorded holder's process is gone.

A holder id is `host:pid:start`, where `start` is the process's start time (from /proc where it
exists), so a pid reused by a later process is not mistaken for the holder. Only a holder on this
host can be proved dead; one on another machine is presumed alive until its claim goes stale.
A claim id (`holder/serial`) tells apart several claims of one process; it is judged by its holder.
"""

from __future__ import annotations

import itertools
import os
import socket
from functools import cache

_claims = itertools.count(1)


def _start_of(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (None where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its last ')'
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


@cache
def _identity(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:{_start_of(pid) or '-'}"


def holder_id() -> str:
    """This process's holder id."""
    return _identity(os.getpid())


def claim_id() -> str:
    """An id for one claim of this process, unique among its claims (`holder_id()/serial`)."""
    return f"{holder_id()}/{next(_claims)}"


def holder_is_dead(holder: str | None) -> bool:
    """True when `holder` (or a claim id) ran on this host and its process is gone (kill -9)."""
    if not holder:
        return False
    holder = holder.partition("/")[0]
    host, _, rest = holder.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return holder != holder_id()  # our pid, another start time: the holder was earlier
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, owned by someone else
    current = _start_of(pid)
    return start not in ("", "-") and current is not None and current != start
