"""SKOS files in and out: parse Turtle, RDF/XML or JSON-LD into plain data, write Turtle.

Public surface: `parse_skos(path, scheme_uri=None)` -> `ParsedScheme` (raises `InvalidInput`
with the line and the cause; nothing is stored here), `FORMATS`.
"""

from __future__ import annotations

import json
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, RDF, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from kb.errors import InvalidInput

FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
           ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".n3": "n3"}
# Parser messages seen on real thesauri, in French.
KNOWN_CAUSES = {
    "newline found in string literal":
        "retour à la ligne dans une chaîne entre guillemets simples (utilisez \"\"\"…\"\"\")",
    "mismatched tag": "balise fermante qui ne correspond pas",
    "not well-formed (invalid token)": "XML mal formé (caractère invalide)",
}
Labels = list[tuple[str, str]]


@dataclass
class ParsedConcept:
    uri: str
    pref_labels: Labels = field(default_factory=list)
    alt_labels: Labels = field(default_factory=list)
    hidden_labels: Labels = field(default_factory=list)
    definitions: Labels = field(default_factory=list)
    scope_notes: Labels = field(default_factory=list)
    notation: str | None = None
    broader: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    top: bool = False
    deprecated: bool = False
    replaced_by: str | None = None

    @property
    def display_label(self) -> str:
        for wanted in ("fr", "", "en"):
            for text, lang in self.pref_labels:
                if lang == wanted:
                    return text
        if self.pref_labels:
            return self.pref_labels[0][0]
        return self.uri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class ParsedScheme:
    uri: str
    title: str
    description: str | None = None
    modified: str | None = None
    concepts: dict[str, ParsedConcept] = field(default_factory=dict)
    ignored: int = 0


def _cause(exc: Exception) -> tuple[int | None, str]:
    if isinstance(exc, BadSyntax):
        why = str(getattr(exc, "_why", exc))
        return int(getattr(exc, "lines", 0)) + 1, KNOWN_CAUSES.get(why, why)
    if isinstance(exc, SAXParseException):
        why = exc.getMessage()
        return exc.getLineNumber(), KNOWN_CAUSES.get(why, why)
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, f"JSON invalide ({exc.msg})"
    return None, str(exc) or type(exc).__name__


def _check_jsonld_contexts(text: str) -> None:
    """A remote `@context` would make rdflib fetch it from the network: refuse it."""
    def walk(node: object) -> None:
        if isinstance(node, dict):
            context = node.get("@context")
            remote = [c for c in (context if isinstance(context, list) else [context])
                      if isinstance(c, str)]
            if remote:
                raise InvalidInput(f"contexte JSON-LD distant non pris en charge : {remote[0]}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(json.loads(text))


def load_graph(path: Path) -> Graph:
    """Parse a SKOS file; any syntax error becomes one French `InvalidInput`."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(f"{path.name} : format inconnu (attendu : {', '.join(FORMATS)})")
    graph = Graph()
    try:
        data = path.read_bytes()
        if fmt == "json-ld":
            _check_jsonld_contexts(data.decode("utf-8"))
        with warnings.catch_warnings():
            # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated",
                                    DeprecationWarning)
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except InvalidInput as exc:
        raise InvalidInput(f"{path.name} : {exc.message}") from exc
    except OSError as exc:
        raise InvalidInput(f"{path.name} : lecture impossible ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - every parser has its own exceptions
        line, cause = _cause(exc)
        where = f", ligne {line}" if line else ""
        raise InvalidInput(f"{path.name}{where} : fichier SKOS invalide : {cause}") from exc
    return graph


def _literals(graph: Graph, prop: URIRef) -> dict[str, Labels]:
    found: dict[str, Labels] = defaultdict(list)
    for subject, value in graph.subject_objects(prop):
        if isinstance(value, Literal) and str(value).strip():
            found[str(subject)].append((" ".join(str(value).split()), value.language or ""))
    return found


def choose_scheme(graph: Graph, wanted: str | None) -> tuple[str, bool]:
    """The scheme to import and whether concepts without `inScheme` belong to it (only when
    the file declares a single scheme)."""
    schemes = {str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    if wanted:
        if wanted not in schemes:
            raise InvalidInput(f"schéma « {wanted} » absent du fichier")
        return wanted, len(schemes) == 1
    if len(schemes) <= 1:
        return (next(iter(schemes)) if schemes else ""), True
    members: dict[str, int] = defaultdict(int)
    for scheme in graph.objects(None, SKOS.inScheme):
        members[str(scheme)] += 1
    return max(sorted(schemes), key=lambda s: members.get(s, 0)), False


def parse_skos(path: Path, scheme_uri: str | None = None) -> ParsedScheme:
    """The scheme of a SKOS file and its concepts, as plain data."""
    graph = load_graph(path)
    uri, take_unscheduled = choose_scheme(graph, scheme_uri)
    scheme_ref = URIRef(uri) if uri else None
    in_scheme: dict[str, set[str]] = defaultdict(set)
    for subject, scheme in graph.subject_objects(SKOS.inScheme):
        in_scheme[str(subject)].add(str(scheme))
    candidates = {str(s) for s in graph.subjects(RDF.type, SKOS.Concept)} | set(in_scheme)
    keep = {c for c in candidates
            if (uri in in_scheme.get(c, ())) or (take_unscheduled and not in_scheme.get(c))}
    tops = {str(c) for c in graph.subjects(SKOS.topConceptOf, scheme_ref)} if uri else set()
    tops |= {str(c) for c in graph.objects(scheme_ref, SKOS.hasTopConcept)} if uri else set()
    keep |= tops
    parsed = ParsedScheme(uri or f"urn:kb:schema:{path.stem}", _scheme_title(graph, uri, path))
    if uri:
        parsed.description = _first(graph, scheme_ref, (DCTERMS.description,))
        parsed.modified = _first(graph, scheme_ref, (DCTERMS.modified, DCTERMS.issued))
    parsed.ignored = len(candidates - keep)
    fields = {"pref_labels": SKOS.prefLabel, "alt_labels": SKOS.altLabel,
              "hidden_labels": SKOS.hiddenLabel, "definitions": SKOS.definition,
              "scope_notes": SKOS.scopeNote}
    concepts = {c: ParsedConcept(c, top=c in tops) for c in sorted(keep)}
    for name, prop in fields.items():
        for subject, values in _literals(graph, prop).items():
            if subject in concepts:
                setattr(concepts[subject], name, values)
    _relations(graph, concepts)
    for subject, value in graph.subject_objects(SKOS.notation):
        if str(subject) in concepts:
            concepts[str(subject)].notation = str(value)
    for subject, value in graph.subject_objects(OWL.deprecated):
        if str(subject) in concepts and str(value).lower() in ("true", "1"):
            concepts[str(subject)].deprecated = True
    for subject, value in graph.subject_objects(DCTERMS.isReplacedBy):
        if str(subject) in concepts:
            concepts[str(subject)].replaced_by = str(value)
    parsed.concepts = concepts
    return parsed


def _relations(graph: Graph, concepts: dict[str, ParsedConcept]) -> None:
    """broader (or the inverse of narrower) and related, between imported concepts only."""
    for child, parent in graph.subject_objects(SKOS.broader):
        if str(child) in concepts and str(parent) in concepts and child != parent:
            concepts[str(child)].broader.add(str(parent))
    for parent, child in graph.subject_objects(SKOS.narrower):
        if str(child) in concepts and str(parent) in concepts and child != parent:
            concepts[str(child)].broader.add(str(parent))
    for one, other in graph.subject_objects(SKOS.related):
        if str(one) in concepts and str(other) in concepts and one != other:
            concepts[str(one)].related.add(str(other))
            concepts[str(other)].related.add(str(one))


def _first(graph: Graph, subject: URIRef | None, props: tuple[URIRef, ...]) -> str | None:
    for prop in props:
        values = list(graph.objects(subject, prop))
        french = [v for v in values if getattr(v, "language", None) == "fr"]
        if french or values:
            return str((french or values)[0])
    return None


def _scheme_title(graph: Graph, uri: str, path: Path) -> str:
    if not uri:
        return path.stem
    title = _first(graph, URIRef(uri), (DCTERMS.title, SKOS.prefLabel, DC.title))
    return title or uri
