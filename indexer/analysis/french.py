"""French word rules: elisions, inclusive writing, compounds, stop words, folding, stemming.

Everything here works on one raw word at a time, so that `indexer.analysis.chain` can cache the
outcome per distinct word: a 1,500-word text has only a few hundred distinct words.
"""

from __future__ import annotations

import re

from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

# Endings of inclusive writing after a dot, middle dot, hyphen or slash: « allié.e.s »,
# « élu·e·s », « citoyen-ne-s », « acteur·rices », « facilitateurs/trices ». The one list,
# also used by `indexer.nlp.pipeline.normalise` before lemmatisation.
INCLUSIVE_SUFFIXES = frozenset(
    "e es s ne nes le les se ses te tes rice rices trice trices euse euses ère ères "
    "ve ves ice ices fe fes x".split()
)
# The endings as a regex alternation, longest first.
INCLUSIVE_SUFFIX_PATTERN = "|".join(sorted(INCLUSIVE_SUFFIXES, key=len, reverse=True))
# Words joined by apostrophes, dots, middle dots or hyphens stay one token here and are
# taken apart by `split_word`, which knows elisions, inclusive writing and compounds; a
# slash joins only an inclusive ending (« et/ou » stays two words).
TOKEN_PATTERN = re.compile(
    rf"\w+(?:['’.·•‧‐-]\w+|/(?:{INCLUSIVE_SUFFIX_PATTERN})(?!\w))*", re.UNICODE)
ELISIONS = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split()
)
SEPARATORS = re.compile(r"[.·•‧‐/-]")
APOSTROPHE = re.compile(r"['’]")
EXTRA_STOPWORDS = frozenset(
    "les cette cet ces plus tout tous toute toutes aussi comme dont entre sans sous leurs "
    "ils elles nous vous lui leur ainsi alors donc or ni car si où quand très peu bien "
    "être avoir fait faire sont été était cela ceci celle celui ceux celles quelle quel "
    "quels quelles chaque autre autres après avant depuis pendant vers chez déjà encore".split()
)
# Question words carry no topic in a question (« pourquoi les tiers-lieux peinent-ils … ? »),
# where `indexer.search.query` drops them, but are words like others elsewhere (« le
# comment et le pourquoi »).
QUESTION_WORDS = frozenset(
    "pourquoi quoi comment combien lequel laquelle lesquels lesquelles".split()
)
# Accents folded, and the French ligatures spelled out as people type them.
FOLDING_MAP = {**accent_map, ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"}
_STOPWORDS = frozenset(stopwords_for_language("fr")) | EXTRA_STOPWORDS
# Stop words as typed without accents too (« etre », « deja »).
FRENCH_STOPWORDS = _STOPWORDS | {w.translate(FOLDING_MAP) for w in _STOPWORDS}
# Snowball keeps the plural « s » after a vowel (« emplois », « vélos », « élus ») and stems
# some plurals apart from their singular (« récits » / « récit », « crédits » / « crédit »), so
# `stem` drops a final « s » first; these words in -us are singular, invariable or Latin.
US_WORDS = frozenset(
    "plus tous dessus dessous processus consensus dissensus campus virus bonus corpus focus "
    "terminus cursus rebus sinus humus thesaurus minus bus abus refus jus obus talus autobus "
    "blocus lotus cactus papyrus hiatus stimulus modus prospectus status versus opus nous vous "
    "obtus diffus confus inclus reclus intrus infus covidus anus motus".split()
)
# Singular words in « s » whose form without it is another word (« fois » / « foi », « Gers » /
# « gérer ») or that are too frequent to risk it.
KEEP_S = frozenset(
    "fois fils paris pres pays mois temps gers mars bas cas sens corps avis dos lors tiers".split()
)
# Nouns in -eu take an x in the plural, which Snowball keeps (« enjeux » vs « enjeu »,
# « tiers-lieux » vs « tiers-lieu », joined « tierslieux » too); adjectives in -eux
# (« nombreux », « précieux ») are not plurals and end with none of these.
EU_NOUNS = tuple(
    "lieu jeu feu voeu cheveu neveu aveu adieu essieu pieu moyeu camaieu".split()
)
# Snowball's accent rules, kept on words folded first so that a word typed without its
# accents stems like the written one: the feminine and plural of past participles meet
# their masculine singular (« réalisée(s) » -> « réalisé », « créée » -> « créé »,
# « comprise » -> « compris », « décrite » -> « décrit ») and « -ière » meets « -ier »
# (« première » -> « premier »). Participles in -is and -it are named by their endings, as
# « crise », « suite » or « limite » are not participles.
PARTICIPLE_ENDINGS = (
    (re.compile(r"ees?$"), "e"),
    (re.compile(r"ieres?$"), "ier"),
    (re.compile(r"(pr|m|qu|ss)ises?$"), r"\1is"),
    (re.compile(r"(crit|duit|truit|dit|cuit|ouvert|ffert)es?$"), r"\1"),
)
_snowball = stemmer_for_language("fr")


def split_word(word: str) -> tuple[list[str], str | None]:
    """Split one raw lowercase token into the words it stands for, plus a compound's joined
    form: « l'économie » -> économie; « allié.e.s » -> alliés; « élu·e·s » -> élus;
    « facilitateurs/trices » -> facilitateurs;
    « tiers-lieux » -> tiers, lieux (+ tierslieux); « a.d.e.m.e » -> ademe.
    """
    parts = APOSTROPHE.split(word)
    while len(parts) > 1 and parts[0] in ELISIONS:
        parts = parts[1:]
    word = "".join(parts)
    pieces = [p for p in SEPARATORS.split(word) if p]
    if len(pieces) <= 1:
        return [word], None
    if all(p.isdigit() for p in pieces):
        # « 1.500 » is one number; « 2021-2022 » is two years.
        return (["".join(pieces)], None) if "." in word else (pieces, None)
    if all(len(p) == 1 for p in pieces):
        return ["".join(pieces)], None
    if all(p in INCLUSIVE_SUFFIXES for p in pieces[1:]):
        plural = pieces[-1].endswith(("s", "x"))
        base = pieces[0]
        return [base + ("s" if plural and not base.endswith(("s", "x")) else "")], None
    return pieces, "".join(pieces)


def fold(word: str) -> str:
    """Lowercase word without accents: « Économie » -> « economie », « œuvre » -> « oeuvre »."""
    return word.lower().translate(FOLDING_MAP)


def stem(folded: str) -> str:
    """Snowball French stem of an accent-folded word, after the endings Snowball misses:
    plurals (« élus », « enjeux », « emplois », « récits ») and the feminine and plural of past
    participles (« réalisées », « créée »), which then meet their masculine singular."""
    if folded.endswith("us"):
        return _snowball(folded[:-1] if len(folded) >= 3 and folded not in US_WORDS else folded)
    if folded.endswith("eux") and folded[:-1].endswith(EU_NOUNS):
        return _snowball(folded[:-1])
    for pattern, replacement in PARTICIPLE_ENDINGS:
        folded = pattern.sub(replacement, folded)
    if len(folded) >= 4 and folded.endswith("s") and not folded.endswith("ss") \
            and folded not in KEEP_S:
        folded = folded[:-1]
    return _snowball(folded)


def is_stopword(word: str, minsize: int) -> bool:
    return len(word) < minsize or word in FRENCH_STOPWORDS


_NOT_WORD = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """A place or person name compared whole: « Puy-de-Dôme » = « puy de dome »."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


# Where a sentence, a heading or a list item starts: its first word is capitalised by
# position, not because it is a name (« Replanter des haies », « - Transition »).
SENTENCE_START = re.compile(
    r"(?:^|[.!?…]\s|\n)[\s\"'«»“”(\[*#>•·–—-]*(?:\d+[.)]\s*)?(?=\w)")


def written_words(text: str) -> list[str]:
    """The distinct words of a text as written, the capital that only starts a sentence
    aside: « Replanter des haies à Annecy. Annecy… » -> replanter, des, haies, à, Annecy."""
    starts = {match.end() for match in SENTENCE_START.finditer(text)}
    words: dict[str, None] = {}
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group()
        if match.start() in starts and word[:1].isupper() and not word.isupper():
            word = _uncapitalised(word)
        words[word] = None
    return list(words)


def _uncapitalised(word: str) -> str:
    """« Replanter » -> « replanter », « L'Économie » -> « l'économie »."""
    parts = APOSTROPHE.split(word, maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in ELISIONS and parts[1]:
        quote = word[len(parts[0])]
        return parts[0].lower() + quote + parts[1][0].lower() + parts[1][1:]
    return word[0].lower() + word[1:]
