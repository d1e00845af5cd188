"""The concept picker: every concept of a thesaurus, indented under its broader ones, one
group per thesaurus; the same choices on the document page, the candidates and the concept
form (`taxonomy/_picker.html` renders them)."""

from __future__ import annotations

from kb.context import KbContext
from kb.taxonomy.reading import list_schemes, taxonomy_tree
from kb.visibility import Reader

Choices = list[tuple[str, str]]
Groups = list[tuple[str, Choices]]


def flatten(nodes: list, depth: int = 0) -> Choices:  # type: ignore[type-arg]
    options: Choices = []
    for node in nodes:
        options.append((node.uri, "\u2003" * depth + node.label))
        options.extend(flatten(node.children, depth + 1))
    return options


def concept_groups(ctx: KbContext, reader: Reader, scheme_uri: str | None = None) -> Groups:
    """(thesaurus title, [(uri, indented label)]) for every thesaurus, or just one."""
    return [(scheme.title, flatten(taxonomy_tree(ctx, reader, scheme.uri, counts=False,
                                                   labels=False)))
            for scheme in list_schemes(ctx) if scheme_uri in (None, scheme.uri)]


def known_uris(groups: Groups) -> set[str]:
    return {uri for _, choices in groups for uri, _ in choices}
