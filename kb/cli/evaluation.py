"""`kb eval`: search and tagging quality measured against reference judgements."""

from __future__ import annotations

import click

from kb.cli.search import eval_search
from kb.cli.tagging import eval_tags


@click.group(name="eval")
def evaluate() -> None:
    """Mesure la qualité (recherche, étiquetage) sur des jugements de référence."""


evaluate.add_command(eval_search)
evaluate.add_command(eval_tags)
