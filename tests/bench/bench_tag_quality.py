"""The tagging figures of the README, each from the `kb` commands it quotes, on fresh instances.

1. The shipped corpus and its gold tags with the doctrine thesaurus: label matching as kb
   runs it, and the learned tagger in 5-fold cross-validation.
2. The same with Thèmes Ecosphères imported beside the doctrine thesaurus, the doctrine's
   concepts scored alone (`--scheme`).
3. `../shared/data/tagging-spf-dev/`: 200 pages filed in the service-public.fr tree, 5-fold
   cross-validation at thème and dossier level (`--gold-concepts-only`).

Run on demand: `.venv/bin/python -m tests.bench.bench_tag_quality` (about 10 minutes on 2
cores; parts 2 and 3 are skipped without `../shared`). Prints each command and its table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
KB = str(Path(sys.executable).with_name("kb"))
DOCTRINE = "https://kb.fabriquedestransitions.fr/taxonomie/doctrine"
GOLD = "corpus/eval/gold_tags.tsv"
ECOSPHERES = SHARED / "thesaurus-ecospheres" / "thespheres.fixed.ttl"
SPF = SHARED / "tagging-spf-dev"


def kb(home: Path, *args: str, show: bool = True) -> str:
    if show:
        print(f"$ KB_HOME={home.name} kb {' '.join(args)}", flush=True)
    result = subprocess.run([KB, *args], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "KB_HOME": str(home)})
    if show:
        print(result.stdout, result.stderr, sep="", flush=True)
    return result.stdout


def doctrine(folder: Path) -> Path:
    home = folder / "doctrine"
    kb(home, "init", show=False)
    kb(home, "ingest", "corpus/documents", "--quiet", show=False)
    kb(home, "eval", "tags", "--gold", GOLD)
    kb(home, "eval", "tags", "--gold", GOLD, "--folds", "5")
    return home


def beside_ecospheres(home: Path) -> None:
    kb(home, "taxonomy", "import", str(ECOSPHERES), show=False)
    kb(home, "tag", show=False)
    kb(home, "eval", "tags", "--gold", GOLD, "--scheme", DOCTRINE)
    kb(home, "eval", "tags", "--gold", GOLD, "--scheme", DOCTRINE, "--folds", "5")


def service_public(folder: Path) -> None:
    home = folder / "spf"
    kb(home, "init", show=False)
    kb(home, "taxonomy", "set-tagging", DOCTRINE, "off", show=False)
    kb(home, "taxonomy", "import", str(SPF / "vocabulary_spf_particuliers.ttl"), show=False)
    kb(home, "ingest", str(SPF / "docs.jsonl"), "--quiet", show=False)
    for level in ("theme", "dossier"):
        kb(home, "eval", "tags", "--gold", str(SPF / f"gold_{level}.tsv"), "--folds", "5",
           "--gold-concepts-only")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = doctrine(Path(folder))
        if ECOSPHERES.is_file():
            beside_ecospheres(home)
        if SPF.is_dir():
            service_public(Path(folder))


if __name__ == "__main__":
    main()
