"""Write concept schemes back as valid SKOS Turtle (labels, notes, hierarchy, deprecation)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD
from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.context import KbContext
from kb.errors import NotFound
from kb.models import Concept, ConceptRelation, ConceptScheme

LABEL_PROPERTIES = {"pref_labels": SKOS.prefLabel, "alt_labels": SKOS.altLabel,
                    "hidden_labels": SKOS.hiddenLabel, "definitions": SKOS.definition,
                    "scope_notes": SKOS.scopeNote}


def _literal(text: str, language: str) -> Literal:
    return Literal(text, lang=language) if language else Literal(text)


def scheme_graph(session: Session, scheme: ConceptScheme) -> Graph:
    """The SKOS graph of one scheme."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    graph.bind("owl", OWL)
    ref = URIRef(scheme.uri)
    graph.add((ref, RDF.type, SKOS.ConceptScheme))
    graph.add((ref, DCTERMS.title, Literal(scheme.title, lang="fr")))
    if scheme.description:
        graph.add((ref, DCTERMS.description, Literal(scheme.description, lang="fr")))
    if scheme.modified:
        graph.add((ref, DCTERMS.modified, Literal(scheme.modified, datatype=XSD.date)
                   if len(scheme.modified) == 10 else Literal(scheme.modified)))
    concepts = session.scalars(select(Concept).where(Concept.scheme_id == scheme.id)
                               .order_by(Concept.uri)).all()
    uris = {c.id: URIRef(c.uri) for c in concepts}
    for concept in concepts:
        _add_concept(graph, ref, uris[concept.id], concept)
    _add_relations(session, graph, scheme.id, uris)
    return graph


def _add_concept(graph: Graph, scheme: URIRef, node: URIRef, concept: Concept) -> None:
    graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.inScheme, scheme))
    for attribute, prop in LABEL_PROPERTIES.items():
        for text, language in getattr(concept, attribute):
            graph.add((node, prop, _literal(text, language)))
    if not concept.pref_labels:
        graph.add((node, SKOS.prefLabel, Literal(concept.pref_label)))
    if concept.notation:
        graph.add((node, SKOS.notation, Literal(concept.notation)))
    if concept.top:
        graph.add((node, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, node))
    if concept.deprecated:
        graph.add((node, OWL.deprecated, Literal(True)))
    if concept.replaced_by:
        graph.add((node, DCTERMS.isReplacedBy, URIRef(concept.replaced_by)))


def _add_relations(session: Session, graph: Graph, scheme_id: int,
                   uris: dict[int, URIRef]) -> None:
    query = (select(ConceptRelation)
             .join(Concept, Concept.id == ConceptRelation.source_id)
             .where(Concept.scheme_id == scheme_id))
    for relation in session.scalars(query):
        source, target = uris.get(relation.source_id), uris.get(relation.target_id)
        if source is None or target is None:
            continue
        if relation.kind == "broader":
            graph.add((source, SKOS.broader, target))
            graph.add((target, SKOS.narrower, source))
        else:
            graph.add((source, SKOS.related, target))
            graph.add((target, SKOS.related, source))


def export_turtle(ctx: KbContext, scheme_uri: str | None = None) -> str:
    """Turtle for one scheme (by URI) or, by default, for every scheme."""
    with ctx.sessions() as session:
        query = select(ConceptScheme).order_by(ConceptScheme.id)
        if scheme_uri:
            query = query.where(ConceptScheme.uri == scheme_uri)
        schemes = session.scalars(query).all()
        if not schemes:
            raise NotFound(f"schéma « {scheme_uri} » introuvable" if scheme_uri
                           else "aucun schéma de concepts à exporter")
        graph = Graph()
        for scheme in schemes:
            graph += scheme_graph(session, scheme)
        graph.bind("skos", SKOS)
        graph.bind("dct", DCTERMS)
        graph.bind("owl", OWL)
        return graph.serialize(format="turtle")
