"""Validity checks for the SKOS doctrine thesaurus in corpus/taxonomy/doctrine-fdt.ttl."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

TAXONOMY_PATH = Path(__file__).resolve().parents[1] / "corpus" / "taxonomy" / "doctrine-fdt.ttl"
BASE_URI = "https://kb.fabriquedestransitions.fr/taxonomie/"
SCHEME_URI = URIRef(BASE_URI + "doctrine")
CONCEPT_PREFIX = BASE_URI + "c/"
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MIN_CONCEPTS = 60
MAX_CONCEPTS = 150

# The closed list of front-matter themes given to the corpus writers, copied verbatim.
BRIEF_THEMES: tuple[str, ...] = (
    "communauté apprenante",
    "accompagnement des territoires",
    "changement de modèle",
    "ingénierie du changement systémique",
    "formation des élus",
    "approche systémique",
    "mise en récit",
    "économie de la fonctionnalité et de la coopération",
    "investissement immatériel",
    "économie sociale et solidaire",
    "CRTE",
    "alimentation",
    "agriculture",
    "énergie",
    "mobilité",
    "foncier et urbanisme",
    "biodiversité",
    "eau",
    "habitat et rénovation",
    "déchets et économie circulaire",
    "santé",
    "tiers-lieux",
    "participation citoyenne",
    "coopération territoriale",
    "gouvernance",
    "diagnostic territorial",
    "évaluation",
    "maïeutique et cycle de médiation",
    "fabrique locale",
    "labellisation",
    "financement de la transition",
    "résilience",
    "emploi et compétences",
    "culture",
    "éducation et jeunesse",
    "numérique",
)

LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


# --------------------------------------------------------------------------- helpers


def normalize_label(text: str) -> str:
    """Casefold, unify apostrophes and strip combining accents, for collision checks."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def find_cycle(edges: Mapping[Node, Iterable[Node]]) -> list[Node] | None:
    """Return one cycle of the directed graph `edges` (depth-first search), or None."""
    white, grey, black = 0, 1, 2
    colour: dict[Node, int] = defaultdict(int)
    path: list[Node] = []

    def visit(node: Node) -> list[Node] | None:
        colour[node] = grey
        path.append(node)
        for nxt in edges.get(node, ()):
            if colour[nxt] == grey:
                return path[path.index(nxt) :] + [nxt]
            if colour[nxt] == white:
                found = visit(nxt)
                if found is not None:
                    return found
        path.pop()
        colour[node] = black
        return None

    for start in list(edges):
        if colour[start] == white:
            found = visit(start)
            if found is not None:
                return found
    return None


def shared_labels(labels: Iterable[tuple[Node, str]]) -> dict[str, set[Node]]:
    """Map each normalised label used by more than one concept to the concepts using it."""
    owners: dict[str, set[Node]] = defaultdict(set)
    for concept, label in labels:
        owners[normalize_label(label)].add(concept)
    return {label: found for label, found in owners.items() if len(found) > 1}


def asymmetric_pairs(graph: Graph, prop: URIRef, inverse: URIRef) -> list[tuple[Node, Node]]:
    """Pairs (s, o) with `s prop o` but without `o inverse s`."""
    return [(s, o) for s, o in graph.subject_objects(prop) if (o, inverse, s) not in graph]


def broader_map(graph: Graph) -> dict[Node, set[Node]]:
    """Concept -> set of its direct broader concepts."""
    edges: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in graph.subject_objects(SKOS.broader):
        edges[child].add(parent)
    return edges


def ancestors(node: Node, edges: Mapping[Node, Iterable[Node]]) -> set[Node]:
    """All nodes reachable from `node` along `edges` (excluding `node` unless on a cycle)."""
    seen: set[Node] = set()
    stack = list(edges.get(node, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return seen


def label(graph: Graph, concept: Node) -> str:
    """French preferred label of a concept, for readable assertion messages."""
    for value in graph.objects(concept, SKOS.prefLabel):
        if isinstance(value, Literal) and value.language == "fr":
            return str(value)
    return str(concept)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def graph() -> Graph:
    assert TAXONOMY_PATH.is_file(), f"missing thesaurus file {TAXONOMY_PATH}"
    parsed = Graph()
    parsed.parse(TAXONOMY_PATH, format="turtle")
    return parsed


@pytest.fixture(scope="module")
def concepts(graph: Graph) -> set[Node]:
    return set(graph.subjects(RDF.type, SKOS.Concept))


@pytest.fixture(scope="module")
def top_concepts(graph: Graph) -> set[Node]:
    return set(graph.objects(SCHEME_URI, SKOS.hasTopConcept))


# --------------------------------------------------------------------------- helper self-tests


def test_find_cycle_detects_a_cycle() -> None:
    a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    cycle = find_cycle({a: {b}, b: {c}, c: {a}})
    assert cycle is not None and cycle[0] == cycle[-1]


def test_find_cycle_accepts_a_polyhierarchy() -> None:
    a, b, c, d = (URIRef(f"urn:{x}") for x in "abcd")
    assert find_cycle({a: {b, c}, b: {d}, c: {d}}) is None


def test_shared_labels_ignores_case_accents_and_apostrophes() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    found = shared_labels([(a, "Économie d'usage"), (b, "economie d\u2019usage"), (a, "EFC")])
    assert set(found) == {"economie d'usage"}
    assert shared_labels([(a, "énergie"), (a, "energie"), (b, "eau")]) == {}


def test_asymmetric_pairs_reports_a_missing_inverse() -> None:
    small = Graph()
    a, b = URIRef("urn:a"), URIRef("urn:b")
    small.add((a, SKOS.broader, b))
    assert asymmetric_pairs(small, SKOS.broader, SKOS.narrower) == [(a, b)]
    small.add((b, SKOS.narrower, a))
    assert asymmetric_pairs(small, SKOS.broader, SKOS.narrower) == []


# --------------------------------------------------------------------------- scheme


def test_exactly_one_concept_scheme(graph: Graph) -> None:
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert schemes == {SCHEME_URI}


def test_scheme_metadata(graph: Graph) -> None:
    for prop in (DCTERMS.title, DCTERMS.description):
        values = graph.objects(SCHEME_URI, prop)
        french = [v for v in values if getattr(v, "language", None) == "fr"]
        assert len(french) == 1, f"scheme needs exactly one {prop}@fr"
    for prop in (DCTERMS.created, DCTERMS.modified):
        assert graph.value(SCHEME_URI, prop) is not None, f"scheme lacks {prop}"


# --------------------------------------------------------------------------- concepts


def test_concept_count_in_range(concepts: set[Node]) -> None:
    assert MIN_CONCEPTS <= len(concepts) <= MAX_CONCEPTS, len(concepts)


def test_concept_uris_are_stable_ascii_slugs(concepts: set[Node]) -> None:
    bad = [
        str(c)
        for c in concepts
        if not str(c).startswith(CONCEPT_PREFIX)
        or not SLUG_RE.fullmatch(str(c).removeprefix(CONCEPT_PREFIX))
    ]
    assert bad == []


def test_every_concept_is_in_the_scheme(graph: Graph, concepts: set[Node]) -> None:
    missing = [label(graph, c) for c in concepts if (c, SKOS.inScheme, SCHEME_URI) not in graph]
    assert missing == []


def test_skos_links_only_point_between_declared_concepts(graph: Graph, concepts: set[Node]) -> None:
    undeclared: set[Node] = set()
    for prop in (SKOS.broader, SKOS.narrower, SKOS.related):
        for s, o in graph.subject_objects(prop):
            undeclared |= {s, o} - concepts
    for prop in (*LABEL_PROPERTIES, SKOS.definition, SKOS.inScheme, SKOS.topConceptOf):
        undeclared |= set(graph.subjects(prop, None)) - concepts - {SCHEME_URI}
    assert undeclared == set()


def test_one_pref_label_per_language_and_a_french_one(graph: Graph, concepts: set[Node]) -> None:
    problems: list[str] = []
    for concept in concepts:
        by_language: dict[str | None, int] = defaultdict(int)
        for value in graph.objects(concept, SKOS.prefLabel):
            by_language[getattr(value, "language", None)] += 1
        if by_language.get("fr") != 1:
            problems.append(f"{concept}: {by_language.get('fr', 0)} French prefLabel(s)")
        problems += [
            f"{concept}: {n} prefLabels @{lang}" for lang, n in by_language.items() if n > 1
        ]
    assert problems == []


def test_labels_are_language_tagged_literals(graph: Graph, concepts: set[Node]) -> None:
    untagged = [
        (label(graph, c), str(v))
        for c in concepts
        for prop in LABEL_PROPERTIES
        for v in graph.objects(c, prop)
        if not isinstance(v, Literal) or not v.language or not str(v).strip()
    ]
    assert untagged == []


def test_every_concept_has_a_french_definition(graph: Graph, concepts: set[Node]) -> None:
    missing = [
        label(graph, c)
        for c in concepts
        if not any(
            getattr(v, "language", None) == "fr" and len(str(v).split()) >= 5
            for v in graph.objects(c, SKOS.definition)
        )
    ]
    assert missing == []


# --------------------------------------------------------------------------- hierarchy


def test_no_broader_cycles(graph: Graph) -> None:
    cycle = find_cycle(broader_map(graph))
    assert cycle is None, " -> ".join(label(graph, c) for c in cycle or [])


def test_broader_and_narrower_are_symmetric(graph: Graph) -> None:
    assert asymmetric_pairs(graph, SKOS.broader, SKOS.narrower) == []
    assert asymmetric_pairs(graph, SKOS.narrower, SKOS.broader) == []


def test_related_is_symmetric_and_outside_the_hierarchy(graph: Graph) -> None:
    assert asymmetric_pairs(graph, SKOS.related, SKOS.related) == []
    edges = broader_map(graph)
    clashes = [
        (label(graph, s), label(graph, o))
        for s, o in graph.subject_objects(SKOS.related)
        if s == o or o in ancestors(s, edges) or s in ancestors(o, edges)
    ]
    assert clashes == []


def test_top_concepts_are_declared_both_ways_and_have_no_broader(
    graph: Graph, top_concepts: set[Node]
) -> None:
    assert top_concepts, "the scheme declares no skos:hasTopConcept"
    assert set(graph.subjects(SKOS.topConceptOf, SCHEME_URI)) == top_concepts
    with_broader = [label(graph, t) for t in top_concepts if (t, SKOS.broader, None) in graph]
    assert with_broader == []


def test_concepts_without_broader_are_top_concepts(
    graph: Graph, concepts: set[Node], top_concepts: set[Node]
) -> None:
    non_top = concepts - top_concepts
    orphans = [label(graph, c) for c in non_top if (c, SKOS.broader, None) not in graph]
    assert orphans == []


def test_every_concept_is_reachable_from_a_top_concept(
    graph: Graph, concepts: set[Node], top_concepts: set[Node]
) -> None:
    children: dict[Node, set[Node]] = defaultdict(set)
    for parent, child in graph.subject_objects(SKOS.narrower):
        children[parent].add(child)
    for child, parent in graph.subject_objects(SKOS.broader):
        children[parent].add(child)
    reached = set(top_concepts)
    for top in top_concepts:
        reached |= ancestors(top, children)
    assert sorted(label(graph, c) for c in concepts - reached) == []


# --------------------------------------------------------------------------- labels


def test_no_label_is_shared_by_two_concepts(graph: Graph, concepts: set[Node]) -> None:
    labels = [
        (c, str(v)) for c in concepts for prop in LABEL_PROPERTIES for v in graph.objects(c, prop)
    ]
    collisions = {
        text: sorted(label(graph, c) for c in owners)
        for text, owners in shared_labels(labels).items()
    }
    assert collisions == {}


def test_brief_theme_list_is_complete_and_distinct() -> None:
    assert len(BRIEF_THEMES) == 36
    assert len({normalize_label(t) for t in BRIEF_THEMES}) == 36


@pytest.mark.parametrize("theme", BRIEF_THEMES)
def test_brief_theme_is_a_label_of_exactly_one_concept(
    graph: Graph, concepts: set[Node], theme: str
) -> None:
    matches = {
        c
        for c in concepts
        for prop in (SKOS.prefLabel, SKOS.altLabel)
        for v in graph.objects(c, prop)
        if isinstance(v, Literal) and v.language == "fr" and str(v) == theme
    }
    assert len(matches) == 1, f"theme {theme!r} matches {len(matches)} concept(s)"
