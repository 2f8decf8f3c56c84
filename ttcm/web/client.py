"""Which client a sign-in attempt comes from: the peer, or what a trusted proxy says it is.

Streamlit's server (uvicorn) already replaces the peer address with the last X-Forwarded-For
entry when the peer is in uvicorn's `FORWARDED_ALLOW_IPS` (loopback by default), so anybody on
this machine could pose as any address. `client_key` undoes that: a forwarded address counts
only when the connection came from a proxy listed in TTCM_TRUSTED_PROXIES.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence

UVICORN_DEFAULT_TRUSTED = "127.0.0.1,::1"


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _within(address: str, networks: Sequence[str]) -> bool:
    ip = _parse(address)
    if ip is None:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


def _uvicorn_trusted(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _uvicorn_pick(forwarded: list[str], trusted: list[str]) -> str | None:
    """The address uvicorn's ProxyHeadersMiddleware takes from X-Forwarded-For."""
    if "*" in trusted:
        return forwarded[0] if forwarded else None
    for host in reversed(forwarded):
        if not _within(host, [t for t in trusted if _parse(t.split("/")[0])]):
            return host
    return forwarded[0] if forwarded else None


def client_key(
    remote_ip: str | None,
    forwarded_for: str | None,
    trusted_proxies: Sequence[str],
    uvicorn_trusted: str | None = None,
) -> str:
    """The address sign-in throttling counts an attempt against."""
    forwarded = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    if uvicorn_trusted is None:
        uvicorn_trusted = os.environ.get("FORWARDED_ALLOW_IPS", UVICORN_DEFAULT_TRUSTED)
    upstream = _uvicorn_trusted(uvicorn_trusted)
    peer = remote_ip
    if forwarded and remote_ip is not None and remote_ip == _uvicorn_pick(forwarded, upstream):
        # uvicorn replaced the peer: the real peer was one of the hosts uvicorn trusts
        peer = next((h for h in upstream if _parse(h)), "127.0.0.1")
    if peer is None:
        return "no-address"
    if not forwarded or not _within(peer, trusted_proxies):
        return peer
    for host in reversed(forwarded):  # the nearest hop that is not one of our proxies
        if not _within(host, trusted_proxies):
            return host if _parse(host) else f"{peer} (bad forwarded value)"
    return peer
