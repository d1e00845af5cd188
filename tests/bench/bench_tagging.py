"""Tagging speed and memory: the tagger beside the bare spaCy pipeline, same run, same texts.

Each figure comes from a fresh process (so that peak memory is that phase's own): the cold
model load; then, on the shipped corpus and on 1,000 generated documents of real corpus
sentences, the bare pipeline (`nlp.pipe` with the same components and batch size over the
same texts: titles, headings, metadata, body chunks) and the tagger proper (analysis,
matching, scoring; no database); finally `kb tag --all` through the service, database
included, on the corpus.

Throughput is in words per second of processor time, which other processes' load hardly
changes (elapsed seconds are printed too). Run `make bench` or
`.venv/bin/python -m pytest tests/bench/bench_tagging.py -s` (about 6 minutes on 2 cores).
Prints a table; the target is a tagger at 80 % or more of the bare pipeline's throughput,
with a peak under 1 GB.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.phases import peak_mb, run_phase  # noqa: E402 - needs ROOT on the path

GENERATED = 1000
SENTENCES_PER_DOC = 25
BATCH = 64


def corpus_sources() -> list[Any]:
    from indexer.nlp.documents import SourceText
    from ingest.registry import read_file

    sources = []
    for path in sorted((ROOT / "corpus" / "documents").rglob("*")):
        if path.is_file() and not path.name.endswith(".meta.yaml"):
            document = read_file(path)
            headings = [s.heading for s in document.sections if s.heading]
            sources.append(SourceText(path.name, document.title or path.stem, document.text,
                                      headings, ["Fiche d'expérience"], "fr"))
    return sources


def generated_sources(count: int = GENERATED, seed: int = 5) -> list[Any]:
    """Documents of real French sentences from the corpus, shuffled, with headings."""
    from indexer.nlp.documents import SourceText

    rng = random.Random(seed)
    sentences = [s.strip() for source in corpus_sources()
                 for s in re.split(r"(?<=[.!?])\s+", source.body) if len(s.split()) > 6]
    result = []
    for number in range(count):
        picked = rng.sample(sentences, SENTENCES_PER_DOC)
        headings = [" ".join(rng.choice(sentences).split()[:5]) for _ in range(3)]
        body = "\n\n".join(f"{headings[i // 9]}\n{s}" if i % 9 == 0 else s
                           for i, s in enumerate(picked))
        result.append(SourceText(f"g{number}", " ".join(picked[0].split()[:8]), body, headings,
                                 ["Proposition de changement de modèle"], "fr"))
    return result


def _words(sources: list[Any]) -> int:
    return sum(len(s.body.split()) for s in sources)


def load_phase() -> dict[str, float]:
    start = time.perf_counter()
    from indexer.nlp.pipeline import detect_language, load_nlp

    load_nlp()
    loaded = time.perf_counter()
    detect_language("Un texte assez long pour décider de sa langue. " * 10)
    return {"seconds": loaded - start, "language_seconds": time.perf_counter() - loaded,
            "peak_mb": peak_mb()}


def _setup(which: str) -> tuple[Any, list[Any]]:
    """The model loaded and warm (language identifier included): fixed costs are measured
    by the load phase, not counted in throughput."""
    from indexer.nlp.pipeline import detect_language, load_nlp

    nlp = load_nlp()
    list(nlp.pipe(["Un texte pour chauffer le modèle."] * 8))
    detect_language("Un texte assez long pour décider de sa langue. " * 10)
    return nlp, corpus_sources() if which == "corpus" else generated_sources()


def bare_phase(which: str) -> dict[str, float]:
    from indexer.nlp.documents import _units

    nlp, sources = _setup(which)
    texts = [text for source in sources for _zone, text in _units(source)]
    start, cpu = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=BATCH):
        pass
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "words": _words(sources), "peak_mb": peak_mb()}


def tagger_phase(which: str) -> dict[str, float]:
    from collections import Counter

    from indexer.nlp.documents import analyse_documents, tokenise_labels
    from indexer.tagging.label_tagger import (
        ConceptLabels,
        LabelIndex,
        find_evidence,
        score_document,
    )
    from kb.taxonomy.skos_files import parse_skos

    nlp, sources = _setup(which)
    scheme = parse_skos(ROOT / "corpus" / "taxonomy" / "doctrine-fdt.ttl")
    concepts = [ConceptLabels(c.uri, tuple(t for t, lang in [*c.pref_labels, *c.alt_labels,
                                                            *c.hidden_labels] if lang == "fr"))
                for c in scheme.concepts.values()]
    index = LabelIndex.build(concepts, lambda texts: tokenise_labels(texts, "fr", nlp))
    start, cpu = time.perf_counter(), time.process_time()
    evidence = [find_evidence(d, index) for d in analyse_documents(sources, nlp, BATCH)]
    frequencies = Counter(uri for found in evidence for uri in found)
    tags = sum(len(score_document(found, frequencies, len(evidence))) for found in evidence)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "words": _words(sources), "tags": tags, "peak_mb": peak_mb()}


def service_phase(home: str) -> dict[str, float]:
    from kb.cli.taxonomy import import_shipped_taxonomy
    from kb.config import Settings
    from kb.ingestion.batches import ingest_paths
    from kb.instance import open_instance
    from kb.taxonomy.tagging import documents_to_tag, tag_documents

    ctx = open_instance(Settings.for_home(home))
    ingest_paths(ctx, [ROOT / "corpus" / "documents"])  # no taxonomy yet: no tagging
    import_shipped_taxonomy(ctx)
    _setup("corpus")  # the model's load is measured apart
    start, cpu = time.perf_counter(), time.process_time()
    report = tag_documents(ctx, documents_to_tag(ctx, everything=True), BATCH)
    ctx.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "words": report.words, "tags": report.suggested, "peak_mb": peak_mb()}


PHASES = {"load": load_phase, "bare": bare_phase, "tagger": tagger_phase,
          "service": service_phase}


def _row(label: str, name: str, figures: dict[str, float]) -> str:
    return (f"{label:<20}{name:<30}{figures['words']:>8.0f}{figures['seconds']:>7.1f}"
            f"{figures['cpu']:>7.1f}{figures['words'] / figures['cpu']:>9.0f}"
            f"{figures['peak_mb']:>8.0f}")


def test_tagging_throughput(tmp_path: Path) -> None:
    load = run_phase(__file__, "load")
    print(f"\nChargement à froid de fr_core_news_sm : {load['seconds']:.1f} s (identifiant de "
          f"langue : {load['language_seconds']:.1f} s), pic {load['peak_mb']:.0f} Mo")
    print("Débit en mots par seconde de processeur (le temps écoulé dépend de la charge).")
    print(f"{'textes':<20}{'phase':<30}{'mots':>8}{'s':>7}{'s CPU':>7}{'mots/s':>9}"
          f"{'pic Mo':>8}")
    for which in ("corpus", "generated"):
        bare = run_phase(__file__, "bare", which)
        tagger = run_phase(__file__, "tagger", which)
        label = "corpus livré" if which == "corpus" else f"{GENERATED} docs générés"
        print(_row(label, "spaCy nu (nlp.pipe)", bare))
        print(_row(label, "étiqueteur", tagger))
        ratio = (tagger["words"] / tagger["cpu"]) / (bare["words"] / bare["cpu"])
        print(f"{label:<20}{'étiqueteur / spaCy nu':<30}{ratio:>23.0%}")
        assert tagger["tags"] > 0
    service = run_phase(__file__, "service", str(tmp_path / "instance"))
    print(_row("corpus livré", "kb tag --all (service, base)", service))


if __name__ == "__main__":
    print(json.dumps(PHASES[sys.argv[1]](*sys.argv[2:])))
