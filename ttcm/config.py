"""Settings from the environment or `.streamlit/secrets.toml` (docs/architecture.md)."""

from __future__ import annotations

import ipaddress
import math
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ttcm.errors import TTCMError

PROJECT_DIR = Path(__file__).resolve().parent.parent
SANDBOX = "sandbox"


def home_dir() -> Path:
    """The checkout when ttcm runs from one (`make run`, editable install), else the current dir."""
    if (PROJECT_DIR / "pyproject.toml").is_file() and (PROJECT_DIR / "app.py").is_file():
        return PROJECT_DIR
    return Path.cwd()


def default_secrets_file() -> Path:
    """`.streamlit/secrets.toml` of the home directory (where Streamlit looks for it too)."""
    return home_dir() / ".streamlit" / "secrets.toml"


def data_dir(value: str | None = None) -> Path:
    """The local cache's folder: `value` (TTCM_DATA_DIR, relative to the home) or home/data."""
    return (home_dir() / (value or "data")).resolve()


DEFAULT_DATABASE_URL = f"sqlite:///{data_dir() / 'ttcm.db'}"
DEFAULT_SANDBOX_STATE = data_dir() / "sandbox_state.json"
# SQLAlchemy backends ttcm ships a driver for (pyproject.toml)
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


class ConfigError(TTCMError, ValueError):
    """A setting has a value ttcm cannot use."""


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with `Settings.load()`."""

    api_base: str = SANDBOX
    access_token: str = field(default="sandbox-token", repr=False)
    account_id: str | None = None
    data_dir: Path = field(default_factory=data_dir)  # database, index, sandbox state, cookie key
    index_dir: Path | None = None  # discovery index snapshots; None: beside the database
    database_url: str = DEFAULT_DATABASE_URL
    qps: float = 10.0
    sandbox_creators: int = 5000
    sandbox_seed: int = 7
    sandbox_state: Path = DEFAULT_SANDBOX_STATE  # the in-process sandbox's writes (campaigns, …)
    sandbox_dialect: str = ""  # answer variants of the in-process sandbox (ttcm/sandbox/dialect.py)
    cookie_key: str | None = field(default=None, repr=False)
    # reverse proxies whose X-Forwarded-For is believed (IPs or CIDR ranges); none by default
    trusted_proxies: tuple[str, ...] = ()
    # days of metric snapshots (posts and creators) a refresh keeps; None keeps every day
    snapshot_retention_days: int | None = None

    @property
    def is_sandbox(self) -> bool:
        """True when the in-process offline API is used."""
        return self.api_base == SANDBOX

    @classmethod
    def load(cls, env: dict[str, str] | None = None, secrets_file: Path | None = None) -> Settings:
        """Read TTCM_* from the environment, falling back to secrets.toml, then defaults."""
        env = dict(os.environ if env is None else env)
        secrets = _read_secrets(secrets_file or default_secrets_file())

        def get(name: str) -> str | None:
            value: object = env.get(name)
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
        folder = data_dir(get("TTCM_DATA_DIR"))
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"TTCM_DATA_DIR must be a folder, but {folder} is a file")
        return cls(
            api_base=api_base,
            access_token=token,
            account_id=get("TTCM_ACCOUNT_ID"),
            data_dir=folder,
            index_dir=_index_dir(get("TTCM_INDEX_DIR")),
            database_url=_database_url(get("TTCM_DATABASE_URL"), folder),
            qps=_positive(get("TTCM_QPS"), 10.0, "TTCM_QPS", float),
            sandbox_creators=int(
                _positive(get("TTCM_SANDBOX_CREATORS"), 5000, "TTCM_SANDBOX_CREATORS", int)
            ),
            sandbox_seed=int(_positive(get("TTCM_SANDBOX_SEED"), 7, "TTCM_SANDBOX_SEED", int)),
            sandbox_state=Path(get("TTCM_SANDBOX_STATE") or folder / "sandbox_state.json"),
            sandbox_dialect=_dialect(get("TTCM_SANDBOX_DIALECT")),
            cookie_key=get("TTCM_COOKIE_KEY"),
            trusted_proxies=_networks(get("TTCM_TRUSTED_PROXIES")),
            snapshot_retention_days=_retention(get("TTCM_SNAPSHOT_RETENTION_DAYS")),
        )


def _read_secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name} is not valid TOML: {exc}") from None


def _database_url(value: str | None, folder: Path) -> str:
    if value is None:
        return f"sqlite:///{folder / 'ttcm.db'}"
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in DATABASE_SCHEMES or not rest.strip("/"):
        # only the scheme is echoed: a database URL may carry a password
        got = f" (got a {scheme[:20]!r} URL)" if sep else ""
        raise ConfigError(
            f"TTCM_DATABASE_URL must be sqlite:///PATH or postgresql://USER@HOST/DB{got}"
        )
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////"):
        # relative SQLite paths are relative to the home (the checkout), not to the current dir
        rel = value.removeprefix("sqlite:///")
        if rel and rel != ":memory:":
            return f"sqlite:///{(home_dir() / rel).resolve()}"
    return value


def _index_dir(value: str | None) -> Path | None:
    if value is None:
        return None
    folder = home_dir() / value
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"TTCM_INDEX_DIR must be a folder, but {folder} is a file")
    return folder.resolve()


# the answer variants the in-process sandbox can speak (ttcm/sandbox/dialect.py applies them)
SANDBOX_DIALECTS = ("renamed", "string_cursors", "thin_discover", "percentages", "unknown_list_key")


def parse_dialect(spec: str | Iterable[str] | None) -> frozenset[str]:
    """The dialect flags of `a,b,c` (or an iterable); ValueError naming an unknown one."""
    if spec is None:
        return frozenset()
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    names = frozenset(p.strip() for p in parts if p.strip())
    unknown = sorted(names - set(SANDBOX_DIALECTS))
    if unknown:
        raise ValueError(
            f"unknown dialect {unknown[0]!r}; choose from {', '.join(SANDBOX_DIALECTS)}"
        )
    return names


def _dialect(value: str | None) -> str:
    try:
        return ",".join(sorted(parse_dialect(value)))
    except ValueError as exc:
        raise ConfigError(f"TTCM_SANDBOX_DIALECT: {exc}") from None


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
    if not math.isfinite(number):
        raise ConfigError(f"{name} must be a finite number, got {value!r}")
    if number <= 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")
    return number


MAX_RETENTION_DAYS = 36_500  # a hundred years; more is a typo, not a policy


def _retention(value: str | None) -> int | None:
    """Days of snapshots to keep: a whole number of days >= 1, or unset/`all` to keep every day."""
    if value is None or value.strip().lower() == "all":
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_RETENTION_DAYS:
        raise ConfigError(
            "TTCM_SNAPSHOT_RETENTION_DAYS must be a whole number of days from 1 to "
            f"{MAX_RETENTION_DAYS} or 'all', got {value[:40]!r}"
        )
    return int(text)
