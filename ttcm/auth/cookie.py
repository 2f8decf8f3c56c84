"""The session-cookie signing key: from the settings' secrets, else generated once and kept."""

from __future__ import annotations

import math
import secrets
from collections import Counter
from pathlib import Path

from ttcm import rules
from ttcm.auth import AuthError
from ttcm.config import Settings

MAKE_A_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def key_weakness(key: str) -> str | None:
    """Why `key` is too weak to sign sessions with, or None when it will do."""
    cfg = rules.load("roles")["cookie"]
    if len(key) < cfg["min_key_length"]:
        return f"it has {len(key)} characters; at least {cfg['min_key_length']} are needed"
    lowered = key.lower()
    for word in cfg["sample_words"]:
        if word in lowered:
            return f"it contains the sample word {word!r}"
    for period in range(1, len(key) // 2 + 1):
        if all(key[i] == key[i - period] for i in range(period, len(key))):
            return f"it repeats the same {period} character(s)"
    # the characters' own frequencies bound what the key can hold (a generous upper estimate)
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < cfg["min_key_bits"]:
        need = cfg["min_key_bits"]
        return f"it holds about {bits:.0f} bits of randomness; at least {need} are needed"
    return None


def cookie_key(settings: Settings, key_file: Path | None = None) -> str:
    """The session-cookie signing key: from secrets, else generated once and kept on disk."""
    key = settings.cookie_key
    source = "TTCM_COOKIE_KEY"
    if key is None:
        key_file = key_file or settings.data_dir / "cookie_key"
        source = str(key_file)
        if key_file.is_file():
            key = key_file.read_text(encoding="utf-8").strip()
        else:
            key = secrets.token_urlsafe(48)
            key_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = key_file.with_suffix(".tmp")
            tmp.write_text(key, encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(key_file)
    weakness = key_weakness(key)
    if weakness:
        raise AuthError(
            f"{source} is too weak to sign sessions with ({weakness}). "
            f"Make a random one with: {MAKE_A_KEY}"
        )
    return key
