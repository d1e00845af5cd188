"""Ingest throughput on 1,000 generated mixed documents: extraction only, then end to end.

Run with `make bench` or `.venv/bin/python -m pytest tests/bench/bench_ingest.py -s`. Each
phase runs in a fresh interpreter (this file run as a script) so that its peak memory (RSS)
is its own; "RSS base" is the process after its imports, before any document. Prints a
table."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.phases import peak_mb, run_phase  # noqa: E402 - needs ROOT on the path

TOTAL = 1000
# Files per format; the JSON Lines export holds the remaining documents as records.
MIX = {"md": 250, "txt": 150, "html": 150, "docx": 125, "pdf": 125, "odt": 100}
WORDS = ("territoire commune intercommunalité transition écologique coopération habitants "
         "élus agriculture alimentation mobilité énergie rénovation friche tiers-lieu "
         "économie fonctionnalité sobriété foncière biodiversité eau sécheresse cantine "
         "ressourcerie insertion emploi formation récit diagnostic gouvernance charte "
         "doctrine maïeutique accompagnement collectif association réseau solidarité").split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + rng.choice((".", ".", " ?", " !"))


def paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(sentence(rng) for _ in range(rng.randint(3, 7))) for _ in range(count)]


def write_one(folder: Path, kind: str, number: int, rng: random.Random) -> None:
    from tests.filemakers import make_docx, make_odt, make_pdf

    title = f"Document {number} : {' '.join(rng.choices(WORDS, k=4))}"
    body = paragraphs(rng, rng.randint(4, 12))
    sub = folder / ("fiches", "outils", "propositions", "textes-fondateurs")[number % 4]
    path = sub / f"doc-{number:04}.{kind}"
    if kind == "md":
        path.write_text(f"---\ntitre: {json.dumps(title, ensure_ascii=False)}\nauteurs: "
                        f"[A. Martin]\ndate: 2021-03-{1 + number % 28:02}\n---\n# {title}\n\n"
                        + "\n\n".join(body), encoding="utf-8")
    elif kind == "txt":
        encoding = "cp1252" if number % 2 else "utf-8"
        path.write_text(f"Titre : {title}\nAuteur : Zoé Lœuvre\n\n" + "\n\n".join(body),
                        encoding=encoding)
    elif kind == "html":
        paras = "".join(f"<p>{p}</p>" for p in body)
        path.write_text(f"<html lang='fr'><head><title>{title}</title></head><body><nav>Menu"
                        f"</nav><main><h1>{title}</h1>{paras}</main><script>x()</script>"
                        "</body></html>", encoding="utf-8")
    elif kind == "docx":
        make_docx(path, title, body, headings={2: "Contexte"}, author="Claire Fontaine",
                  created=dt.datetime(2022, 5, 4))
    elif kind == "pdf":
        lines = [line for p in body for line in _wrap(p)]
        make_pdf(path, [lines[i:i + 45] for i in range(0, len(lines), 45)], title=title)
    elif kind == "odt":
        make_odt(path, title, [("h1", title)] + [("p", p) for p in body], author="Jo Roux")


def _wrap(text: str, width: int = 90) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def generate(folder: Path, seed: int = 1) -> dict[str, int]:
    """Write the mixed corpus; returns the number of documents per format."""
    rng = random.Random(seed)
    for sub in ("fiches", "outils", "propositions", "textes-fondateurs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    number = 0
    for kind, count in MIX.items():
        for _ in range(count):
            write_one(folder, kind, number, rng)
            number += 1
    records = TOTAL - number
    with (folder / "export.jsonl").open("w", encoding="utf-8") as out:
        for index in range(records):
            out.write(json.dumps({"id": index, "title": f"Fiche importée {index}",
                                  "text": "\n\n".join(paragraphs(rng, 6)),
                                  "type": "fiche d'expérience"}, ensure_ascii=False) + "\n")
    return {**MIX, "jsonl": records}


def extraction_phase(folder: str) -> dict[str, object]:
    """Readers only: bytes in, documents out, no database."""
    import ingest.readers.docx  # noqa: F401 - readers load lazily: count them in the baseline
    import ingest.readers.html  # noqa: F401
    import ingest.readers.markdown  # noqa: F401
    import ingest.readers.pdf  # noqa: F401
    from ingest.containers import expand
    from ingest.registry import read_bytes
    from ingest.sources import iter_source_files

    baseline = peak_mb()
    start = time.perf_counter()
    documents = size = 0
    per_format: dict[str, list[float]] = {}
    for source in iter_source_files([Path(folder)]):
        data = source.path.read_bytes()
        size += len(data)
        began = time.perf_counter()
        entries = 0
        for entry in expand(data, source.path.name):
            read_bytes(entry.data, entry.name, entry.media_type)
            entries += 1
        figures = per_format.setdefault(source.path.suffix.lstrip("."), [0, 0.0, 0])
        figures[0] += entries
        figures[1] += time.perf_counter() - began
        figures[2] += len(data)
        documents += entries
    return {"seconds": time.perf_counter() - start, "documents": documents, "bytes": size,
            "baseline_mb": baseline, "peak_mb": peak_mb(), "per_format": per_format}


def end_to_end_phase(folder: str, home: str, read_timeout: str = "180") -> dict[str, float]:
    """`ingest_paths` into a fresh instance: extraction, database, originals and index;
    each file is read in the reader process unless `read_timeout` is 0."""
    import ingest.readers.docx  # noqa: F401 - readers load lazily: count them in the baseline
    import ingest.readers.pdf  # noqa: F401
    from kb.config import Settings
    from kb.ingestion.batches import ingest_paths
    from kb.instance import open_instance

    ctx = open_instance(Settings.for_home(home, read_timeout_s=float(read_timeout)))
    baseline = peak_mb()
    start = time.perf_counter()
    report = ingest_paths(ctx, [Path(folder)])
    seconds = time.perf_counter() - start
    ctx.close()
    size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return {"seconds": seconds, "documents": report.counts["added"], "bytes": size,
            "failed": len(report.failed), "baseline_mb": baseline, "peak_mb": peak_mb()}


PHASES = {"extraction": extraction_phase, "end-to-end": end_to_end_phase}


def test_ingest_throughput(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    started = time.perf_counter()
    mix = generate(folder)
    print(f"\n{TOTAL} documents générés en {time.perf_counter() - started:.1f} s : "
          + ", ".join(f"{k} {v}" for k, v in mix.items()))
    phases = {
        "extraction seule": run_phase(__file__, "extraction", str(folder)),
        "de bout en bout": run_phase(__file__, "end-to-end", str(folder),
                                                str(tmp_path / "instance")),
        # KB_READ_TIMEOUT=0: files read in the ingesting process, without a time limit.
        "idem, sans isoler": run_phase(__file__, "end-to-end", str(folder),
                                                  str(tmp_path / "instance-inplace"), "0"),
    }
    print(f"{'phase':<18}{'docs':>6}{'s':>8}{'docs/s':>9}{'Mo/s':>8}"
          f"{'RSS base Mo':>13}{'RSS pic Mo':>12}")
    for name, figures in phases.items():
        megabytes = figures["bytes"] / 1024 / 1024
        print(f"{name:<18}{figures['documents']:>6.0f}{figures['seconds']:>8.2f}"
              f"{figures['documents'] / figures['seconds']:>9.1f}"
              f"{megabytes / figures['seconds']:>8.2f}{figures['baseline_mb']:>13.0f}"
              f"{figures['peak_mb']:>12.0f}")
    print(f"\n{'format':<8}{'docs':>6}{'docs/s':>9}{'Mo/s':>8}   (extraction seule)")
    for kind, (count, seconds, size) in phases["extraction seule"]["per_format"].items():
        print(f"{kind:<8}{count:>6.0f}{count / seconds:>9.1f}{size / 1048576 / seconds:>8.2f}")
    assert phases["extraction seule"]["documents"] == TOTAL
    assert phases["de bout en bout"]["documents"] == TOTAL
    assert phases["de bout en bout"]["failed"] == 0
    assert phases["idem, sans isoler"]["documents"] == TOTAL


if __name__ == "__main__":
    print(json.dumps(PHASES[sys.argv[1]](*sys.argv[2:])))
