"""Instance settings, built from the environment by the CLI and the app factory only."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from kb.errors import ConfigError

DEFAULT_SECRET_KEY = "dev-secret-key-change-me"
VISIBILITIES = ("public", "membres", "restreint")


@dataclass(frozen=True)
class Setting:
    """One documented setting: environment variable, default and help text."""

    env: str
    default: str
    help: str


# One table of every setting, so that the README and `kb --help` can be checked against it.
SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting("KB_HOME", "./instance", "Dossier de l'instance : base, index, originaux."),
    Setting("KB_DATABASE_URL", "sqlite:///$KB_HOME/kb.sqlite3", "URL SQLAlchemy de la base."),
    Setting("KB_SECRET_KEY", DEFAULT_SECRET_KEY,
            "Clé secrète des sessions web (obligatoire en production)."),
    Setting("KB_MAX_UPLOAD_MB", "50",
            "Taille maximale d'un fichier ingéré ou téléversé, en Mo."),
    Setting("KB_READ_TIMEOUT", "180",
            "Durée maximale de lecture d'un fichier ingéré, en secondes : au-delà, il est "
            "signalé en échec et le lot continue (0 : lecture sans limite, dans le même "
            "processus)."),
    Setting("KB_DEFAULT_VISIBILITY", "membres",
            "Visibilité d'un document qui n'en déclare aucune."),
    Setting("KB_PRODUCTION", "0", "1 pour refuser de démarrer avec la clé secrète par défaut."),
    Setting("KB_TRUSTED_PROXIES", "0",
            "Nombre de proxys inverses de confiance devant le service (nginx, Caddy…) : leurs "
            "en-têtes X-Forwarded-* donnent l'adresse réelle du client (limites de "
            "connexion) ; 0 : aucun, ces en-têtes sont ignorés."),
    Setting("KB_QUORUM", "50%",
            "Quorum des décisions du collectif qualifié : part (« 50% », « 0.5 ») ou nombre "
            "(« 3 ») de ses membres actifs ayant pris position."),
)


@dataclass(frozen=True)
class Settings:
    """Where an instance keeps its files and how it behaves; every path derives from `home`."""

    home: Path
    database_url: str
    secret_key: str = DEFAULT_SECRET_KEY
    max_file_bytes: int = 50 * 1024 * 1024
    # Each file is read in a separate process stopped after this many seconds (0: no limit).
    read_timeout_s: float = 180.0
    default_visibility: str = "membres"
    production: bool = False
    quorum: str = "50%"
    trusted_proxies: int = 0

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def originals_dir(self) -> Path:
        return self.home / "originals"

    @classmethod
    def for_home(cls, home: Path | str, **overrides: object) -> Settings:
        """Settings for an instance folder, with the embedded defaults (used by tests)."""
        home = Path(home).resolve()
        base = cls(home=home, database_url=f"sqlite:///{home / 'kb.sqlite3'}")
        return replace(base, **overrides) if overrides else base

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from `KB_*` environment variables."""
        env = os.environ if environ is None else environ
        home = Path(env.get("KB_HOME", "./instance")).resolve()
        visibility = env.get("KB_DEFAULT_VISIBILITY", "membres")
        if visibility not in VISIBILITIES:
            raise ConfigError(
                f"KB_DEFAULT_VISIBILITY : valeur « {visibility} » inconnue "
                f"(attendu : {', '.join(VISIBILITIES)})"
            )
        try:
            max_mb = float(env.get("KB_MAX_UPLOAD_MB", "50"))
        except ValueError as exc:
            raise ConfigError("KB_MAX_UPLOAD_MB : un nombre de mégaoctets est attendu") from exc
        try:
            read_timeout = float(env.get("KB_READ_TIMEOUT", "180"))
        except ValueError as exc:
            raise ConfigError("KB_READ_TIMEOUT : un nombre de secondes est attendu") from exc
        if read_timeout < 0:
            raise ConfigError("KB_READ_TIMEOUT : un nombre de secondes positif ou nul est attendu")
        quorum = env.get("KB_QUORUM", "50%").strip()
        parse_quorum(quorum)
        proxies = env.get("KB_TRUSTED_PROXIES", "0").strip()
        if not proxies.isdigit():
            raise ConfigError(f"KB_TRUSTED_PROXIES : « {proxies} » n'est pas un nombre de "
                              "proxys (0, 1, 2…)")
        return cls(
            home=home,
            database_url=env.get("KB_DATABASE_URL") or f"sqlite:///{home / 'kb.sqlite3'}",
            secret_key=env.get("KB_SECRET_KEY", DEFAULT_SECRET_KEY),
            max_file_bytes=int(max_mb * 1024 * 1024),
            read_timeout_s=read_timeout,
            default_visibility=visibility,
            production=env.get("KB_PRODUCTION", "0") in ("1", "true", "yes"),
            quorum=quorum,
            trusted_proxies=int(proxies),
        )


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
