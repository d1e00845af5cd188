"""Instance settings, built from the environment by the CLI and the app factory only."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kb.errors import ConfigError

DEFAULT_SECRET_KEY = "dev-secret-key-change-me"
VISIBILITIES = ("public", "membres", "restreint")


def _megabytes(text: str) -> int:
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1.0
    if megabytes <= 0:
        raise ValueError("un nombre de mégaoctets est attendu")
    return int(megabytes * 1024 * 1024)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise ValueError("un nombre de secondes positif ou nul est attendu")
    return seconds


def _visibility(text: str) -> str:
    if text not in VISIBILITIES:
        raise ValueError(f"valeur « {text} » inconnue (attendu : {', '.join(VISIBILITIES)})")
    return text


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "oui")


def _quorum(text: str) -> str:
    parse_quorum(text)
    return text.strip()


def _proxies(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"« {text} » n'est pas un nombre de proxys (0, 1, 2…)")
    return int(text)


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, the `Settings` field it fills, its default as
    one would write it in the environment (`$KB_HOME` stands for the instance folder), its
    help, how its text is read (`ValueError` saying what is expected), and whether a variable
    set but empty counts as unset."""

    env: str
    field: str
    default: str
    help: str
    parse: Callable[[str], Any] = str
    blank_is_unset: bool = False


# Every setting, once: `Settings.from_env` reads them, the README and `kb --help` are checked
# against this table, and the defaults are written nowhere else.
SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting("KB_HOME", "home", "./instance", "Dossier de l'instance : base, index, originaux.",
            lambda text: Path(text).resolve()),
    Setting("KB_DATABASE_URL", "database_url", "sqlite:///$KB_HOME/kb.sqlite3",
            "URL SQLAlchemy de la base.", blank_is_unset=True),
    Setting("KB_SECRET_KEY", "secret_key", DEFAULT_SECRET_KEY,
            "Clé secrète des sessions web (obligatoire en production)."),
    Setting("KB_MAX_UPLOAD_MB", "max_file_bytes", "50",
            "Taille maximale d'un fichier ingéré ou téléversé, en Mo.", _megabytes),
    Setting("KB_READ_TIMEOUT", "read_timeout_s", "180",
            "Durée maximale de lecture d'un fichier ingéré, en secondes : au-delà, il est "
            "signalé en échec et le lot continue (0 : lecture sans limite, dans le même "
            "processus).", _seconds),
    Setting("KB_DEFAULT_VISIBILITY", "default_visibility", "membres",
            "Visibilité d'un document qui n'en déclare aucune.", _visibility),
    Setting("KB_PRODUCTION", "production", "0",
            "1 pour refuser de démarrer avec la clé secrète par défaut.", _flag),
    Setting("KB_TRUSTED_PROXIES", "trusted_proxies", "0",
            "Nombre de proxys inverses de confiance devant le service (nginx, Caddy…) : leurs "
            "en-têtes X-Forwarded-* donnent l'adresse réelle du client (limites de "
            "connexion) ; 0 : aucun, ces en-têtes sont ignorés.", _proxies),
    Setting("KB_QUORUM", "quorum", "50%",
            "Quorum des décisions du collectif qualifié : part (« 50% », « 0.5 ») ou nombre "
            "(« 3 ») de ses membres actifs ayant pris position.", _quorum),
)


@dataclass(frozen=True)
class Settings:
    """Where an instance keeps its files and how it behaves; every path derives from `home`.
    Built by `from_env` (or `for_home`), which take every value and default from
    `SETTINGS_TABLE`."""

    home: Path
    database_url: str
    secret_key: str
    max_file_bytes: int
    # Each file is read in a separate process stopped after this many seconds (0: no limit).
    read_timeout_s: float
    default_visibility: str
    production: bool
    trusted_proxies: int
    quorum: str

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def originals_dir(self) -> Path:
        return self.home / "originals"

    @classmethod
    def for_home(cls, home: Path | str, **overrides: Any) -> Settings:
        """Settings for an instance folder, with the defaults (used by tests)."""
        base = cls.from_env({"KB_HOME": str(home)})
        return replace(base, **overrides) if overrides else base

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `KB_*` environment variables."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS_TABLE:
            text = env.get(setting.env)
            if text is None or (setting.blank_is_unset and not text.strip()):
                text = setting.default.replace("$KB_HOME", str(values.get("home", "")))
            try:
                values[setting.field] = setting.parse(text)
            except ValueError as exc:
                raise ConfigError(f"{setting.env} : {exc}") from exc
        return cls(**values)


def parse_quorum(text: str) -> tuple[str, float]:
    """`"3"` is a count of members; `"50%"` or `"0.5"` a share of the active collective."""
    value = text.strip().replace(",", ".")
    try:
        if value.endswith("%"):
            share = float(value[:-1]) / 100
        elif value.isdigit():
            if int(value) < 1:
                raise ValueError(value)
            return "count", float(int(value))
        else:
            share = float(value)
    except ValueError as exc:
        raise ConfigError(f"KB_QUORUM : « {text} » n'est ni un nombre de membres ni une part "
                          "(ex. 3, 50%, 0.5)") from exc
    if not 0 < share <= 1:
        raise ConfigError(f"KB_QUORUM : la part « {text} » doit être comprise entre 0 et 100 %")
    return "share", share
