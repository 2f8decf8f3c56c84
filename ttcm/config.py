"""Settings from the environment or `.streamlit/secrets.toml` (ARCHITECTURE.md §3)."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"
SANDBOX = "sandbox"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'data' / 'ttcm.db'}"
DEFAULT_SANDBOX_STATE = PROJECT_DIR / "data" / "sandbox_state.json"


class ConfigError(ValueError):
    """A setting has a value ttcm cannot use."""


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with `Settings.load()`."""

    api_base: str = SANDBOX
    access_token: str = field(default="sandbox-token", repr=False)
    account_id: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    qps: float = 10.0
    sandbox_creators: int = 5000
    sandbox_seed: int = 7
    sandbox_state: Path = DEFAULT_SANDBOX_STATE  # the in-process sandbox's writes (campaigns, …)
    cookie_key: str | None = field(default=None, repr=False)
    # reverse proxies whose X-Forwarded-For is believed (IPs or CIDR ranges); none by default
    trusted_proxies: tuple[str, ...] = ()

    @property
    def is_sandbox(self) -> bool:
        """True when the in-process offline API is used."""
        return self.api_base == SANDBOX

    @classmethod
    def load(cls, env: dict[str, str] | None = None, secrets_file: Path | None = None) -> Settings:
        """Read TTCM_* from the environment, falling back to secrets.toml, then defaults."""
        env = dict(os.environ if env is None else env)
        secrets = _read_secrets(secrets_file or SECRETS_FILE)

        def get(name: str) -> str | None:
            value = env.get(name)
            if value in (None, ""):
                value = secrets.get(name)
            return None if value in (None, "") else str(value)

        api_base = (get("TTCM_API_BASE") or SANDBOX).rstrip("/")
        if api_base != SANDBOX and not api_base.startswith(("http://", "https://")):
            raise ConfigError("TTCM_API_BASE must be 'sandbox' or an http(s) URL")
        token = get("TTCM_ACCESS_TOKEN")
        if token is None:
            if api_base != SANDBOX:
                raise ConfigError("TTCM_ACCESS_TOKEN is required when TTCM_API_BASE is a URL")
            token = "sandbox-token"
        return cls(
            api_base=api_base,
            access_token=token,
            account_id=get("TTCM_ACCOUNT_ID"),
            database_url=_database_url(get("TTCM_DATABASE_URL")),
            qps=_positive(get("TTCM_QPS"), 10.0, "TTCM_QPS", float),
            sandbox_creators=int(
                _positive(get("TTCM_SANDBOX_CREATORS"), 5000, "TTCM_SANDBOX_CREATORS", int)
            ),
            sandbox_seed=int(_positive(get("TTCM_SANDBOX_SEED"), 7, "TTCM_SANDBOX_SEED", int)),
            sandbox_state=Path(get("TTCM_SANDBOX_STATE") or DEFAULT_SANDBOX_STATE),
            cookie_key=get("TTCM_COOKIE_KEY"),
            trusted_proxies=_networks(get("TTCM_TRUSTED_PROXIES")),
        )


def _read_secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name} is not valid TOML: {exc}") from None


def _database_url(value: str | None) -> str:
    if value is None:
        return DEFAULT_DATABASE_URL
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////"):
        # relative SQLite paths are relative to the project, not to the current directory
        rel = value.removeprefix("sqlite:///")
        if rel and rel != ":memory:":
            return f"sqlite:///{(PROJECT_DIR / rel).resolve()}"
    return value


def _networks(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    out = []
    for part in value.split(","):
        item = part.strip()
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigError(
                "TTCM_TRUSTED_PROXIES must be comma-separated IP addresses or CIDR ranges "
                f"(e.g. 10.0.0.5,10.1.0.0/16), got {item!r}"
            ) from None
    return tuple(out)


def _positive(value: str | None, default: float, name: str, kind: type) -> float:
    if value is None:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")
    return number
