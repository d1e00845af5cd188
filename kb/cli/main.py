"""The `kb` command: the root group and where each subcommand lives.

Subcommands are imported only when run, so that `kb --help` and each command load no more
than they need: the table gives each command's module and the first line of its help (the
help's list of commands is printed from it; a test keeps both in step). Commands of other
packages join through the `kb.commands` entry points."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import KbGroup, settings_for

COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("kb.cli.instance:init", "Crée ou met à jour la base et l'index de l'instance."),
    "ingest": ("kb.cli.ingest:ingest",
               "Ingère des fichiers ou des dossiers (parcourus récursivement) : PDF, DOCX, ODT, "
               "Markdown, HTML, texte, exports JSON Lines et archives ZIP de ces formats."),
    "search": ("kb.cli.search:search",
               "Cherche dans la base (en tant qu'opérateur : tous les documents)."),
    "reindex": ("kb.cli.index:reindex",
                "Reconstruit l'index depuis la base, à côté de l'ancien, puis bascule."),
    "check": ("kb.cli.index:check",
              "Compare la base et l'index et signale (ou répare) les écarts ; signale (ou "
              "relance) aussi les étiquetages d'après dépôt qui ont échoué."),
    "eval": ("kb.cli.evaluation:evaluate",
             "Mesure la qualité (recherche, étiquetage) sur des jugements de référence."),
    "user": ("kb.cli.users:user", "Gère les comptes (création, nom affiché, rôle, "
             "désactivation)."),
    "dossier": ("kb.cli.dossiers:dossier", "Dossiers de doctrine et de labels : liste, "
                "historique, export des fondamentaux."),
    "taxonomy": ("kb.cli.taxonomy:taxonomy", "Gère les thésaurus SKOS (import, export, "
                 "usage pour l'étiquetage)."),
    "candidates": ("kb.cli.taxonomy:candidates", "Liste les concepts candidats : expressions "
                   "fréquentes qu'aucun concept ne couvre."),
    "people": ("kb.cli.people:people", "Annuaire des allié·e·s : liste, fiche, fusion, import "
               "CSV."),
    "tag": ("kb.cli.tagging:tag", "Étiquette automatiquement les documents et entraîne "
            "l'étiqueteur appris ; les décisions humaines sont conservées."),
    "tags": ("kb.cli.tagging:tags", "Étiquettes des documents : reprise d'une indexation "
             "existante."),
    "backup": ("kb.cli.backup:backup", "Sauvegarde l'instance dans FICHIER (archive ZIP) "
               "pendant que le service tourne : base, originaux, thésaurus, réglages, avec "
               "leurs sommes de contrôle."),
    "restore": ("kb.cli.backup:restore", "Restaure la sauvegarde FICHIER dans une instance "
                "vide (SQLite ou PostgreSQL, selon KB_DATABASE_URL), reconstruit l'index et "
                "vérifie le tout (kb check)."),
}


@click.group(name="kb", cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]},
             lazy={name: target for name, (target, _) in COMMANDS.items()},
             short_help={name: text for name, (_, text) in COMMANDS.items()})
@click.option("--home", type=click.Path(path_type=Path), default=None,
              help="Dossier de l'instance (sinon KB_HOME, par défaut ./instance).")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """kb : base documentaire de la Fabrique des transitions."""
    ctx.obj = settings_for(home)
