"""Language of an article from its text, with the page's markup and the feed's hint as tie-breakers.

The detector is py3langid (a maintained fork of langid.py; its naive-Bayes model over byte n-grams ships
inside the wheel and covers 97 languages). `bench/languages.py --compare` measured it against
lingua-language-detector: both got every whole article text right. Lingua in high-accuracy mode did a little
better on titles and 40-character snippets, but it was over 10x slower and held about a gigabyte of models in
memory, which is costly on a shared two-core machine. newsmon never classifies a title by itself: the title is
always read together with the text.

Scripts that belong to one configured language decide before the model does: kana means Japanese,
Hangul Korean, Thai script Thai, Hebrew letters Hebrew. Han characters alone are Chinese. The model's
known confusions between close pairs (ms/id, uk/ru, cs/sk, fa/ar, hi/ne...) are settled by the markup or
feed hint when it names one of the top candidates.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MIN_CONFIDENCE = 0.80  # below this, a hint that names one of the candidates wins
_HINT_FLOOR = 0.02  # a hinted language needs at least this probability to win a tie
_SAMPLE_CHARS = 3000  # the model's verdict is stable long before this; it bounds the cost per article
# The model reads a text byte by byte in Python, so its cost grows with the sample: a first look at the start of
# the text settles most articles, and only an unsure verdict (or Malay/Indonesian, settled by words below) reads
# the whole sample. Probabilities on a short sample are less peaked than on a long one, so a sure verdict there
# is the whole sample's verdict too (`bench/langid_quick.py` compares both).
_QUICK_CHARS = 700
_QUICK_SURE = 0.999
_MALAY_PAIR = frozenset({"ms", "id"})  # settled by words (below), never by a first look
_MIN_LETTERS = 12  # fewer letters than this: the text says nothing, the hints decide

_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_HEBREW = re.compile("[\u0590-\u05ff]")
_LETTER = re.compile(r"[^\W\d_]")
# any character of the scripts above (one character class): a text without one, as most are, needs no counting
_SCRIPTED = re.compile("[" + "".join(p.pattern[1:-1] for p in (_KANA, _HANGUL, _HAN, _THAI, _HEBREW)) + "]")

# Close pairs the model confuses on news copy; the second of each is the one newsmon configures.
_ALIASES = {"nb": "no", "nn": "no", "zlm": "ms", "tl": "fil"}


# Malay and Indonesian share most of their words and the model splits news copy between them almost evenly;
# words one uses and the other does not (spelling and vocabulary) settle it when the model cannot.
_MALAY_WORDS = frozenset(
    [
        "kerajaan",
        "kedua-dua",
        "berkata",
        "dakwa",
        "mendakwa",
        "askar",
        "tentera",
        "ketenteraan",
        "serta-merta",
        "dipercayai",
        "perkongsian",
        "menyeluruh",
        "lawatan",
        "memeterai",
        "sebulat",
        "kerjasama",
        "pemimpin-pemimpin",
        "wang",
        "bagi",
        "ialah",
        "iaitu",
        "daripada",
        "semalam",
        "sempena",
        "jabatan",
    ]
)
_INDONESIAN_WORDS = frozenset(
    [
        "pemerintah",
        "tentara",
        "mengatakan",
        "menyebut",
        "kesepakatan",
        "kunjungan",
        "meneken",
        "teken",
        "bisa",
        "kerja",
        "sama",
        "uang",
        "kemitraan",
        "komprehensif",
        "sehari",
        "kemarin",
        "dilakukan",
        "pihaknya",
        "menurut",
        "saat",
        "ini",
        "karena",
    ]
)
_WORDS = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None  # ISO 639-1 base code, None when neither the text nor a hint says anything
    confidence: float  # 0..1: the detector's probability, 1.0 for a script rule, 0 for a bare hint
    method: str  # script | text | text+hint | hint | none
    claimed: str | None  # what the markup (or, without markup, the feed) said, as given


def base(language: str | None) -> str | None:
    """'pt-BR', 'zh_Hant', 'EN' -> 'pt', 'zh', 'en'; None for nothing usable."""
    if not language:
        return None
    code = language.replace("_", "-").split("-")[0].strip().lower()
    if not code.isalpha() or not 2 <= len(code) <= 3:
        return None
    return _ALIASES.get(code, code)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    class _Identifier(LanguageIdentifier):
        """py3langid's identifier, counting the text's features with numpy instead of a loop over its bytes.

        The model's tokenizer is an Aho-Corasick automaton over byte n-grams: the state it is in after a byte
        depends only on the last `depth` bytes (the deepest n-gram), so the state at every position is found by
        running all positions at once for `depth` steps. The features and their counts are the loop's, in the
        order the loop first meets them (the order the scores are summed in), so the probabilities are the
        same to the last bit; `tests/test_langid.py` compares both on every development text.
        """

        __slots__ = ("_depth", "_moves", "_rows", "_outputs")

        def prepare(self) -> None:
            self._moves = np.frombuffer(self.tk_nextmove, dtype=np.uint32) if self.tk_nextmove.itemsize == 4 else (
                np.asarray(self.tk_nextmove, dtype=np.int64)
            )  # fmt: skip
            self._rows = np.asarray(self._rowbase, dtype=np.int64)
            self._outputs = np.asarray(self.tk_output, dtype=np.int64)
            self._depth = _model_depth(self._moves, self._rows)

        def _raw_score(self, text):
            states = _states(np.frombuffer(text, dtype=np.uint8), self._moves, self._rows, self._depth)
            features = self._outputs[states]
            features = features[features >= 0]
            if not len(features):
                return super()._raw_score(text)
            found, first, counts = np.unique(features, return_index=True, return_counts=True)
            order = np.argsort(first, kind="stable")
            visits = dict(zip(found[order].tolist(), counts[order].tolist(), strict=True))
            return self._sparse_score(visits, self.nb_ptc)

    # MODEL_FILE is relative to the package's own directory
    identifier = _Identifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.prepare()
    return identifier


# The depth of the model py3langid ships, by the automaton's size and the checksum of its move table: working it
# out takes about a second of CPU, at the start of every process that identifies a language (each run, each
# Dask worker). Any other model is worked out afresh; tests/test_langid.py checks the entry.
KNOWN_DEPTHS = {(9816576, 104583, 655525188): 6}


def model_key(moves: np.ndarray, rows: np.ndarray) -> tuple[int, int, int]:
    """What a model's entry in KNOWN_DEPTHS is found by."""
    return len(moves), len(rows), zlib.crc32(memoryview(np.ascontiguousarray(moves)).cast("B"))


def _model_depth(moves: np.ndarray, rows: np.ndarray) -> int:
    known = KNOWN_DEPTHS.get(model_key(moves, rows))
    return known if known is not None else _automaton_depth(moves, rows)


def _automaton_depth(moves: np.ndarray, rows: np.ndarray) -> int:
    """The length of the longest input that reaches a state no shorter input reaches (breadth first)."""
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.unique(moves[(rows[frontier][:, None] + np.arange(256)).ravel()])
        frontier = reached[~seen[reached]]
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1


def _states(data: np.ndarray, moves: np.ndarray, rows: np.ndarray, depth: int) -> np.ndarray:
    """The automaton's state after each byte of `data`: each position reads the `depth` bytes ending there."""
    states = np.zeros(len(data), dtype=np.int64)
    for back in range(min(depth, len(data)) - 1, -1, -1):
        # positions from `back` on read the byte `back` places before them
        states[back:] = moves[rows[states[back:]] + data[: len(data) - back]]
    return states


def _script(text: str) -> str | None:
    """A language that the script alone settles, or None."""
    if not _SCRIPTED.search(text):
        return None
    letters = len(_LETTER.findall(text)) or 1
    if len(_KANA.findall(text)) / letters > 0.05:
        return "ja"
    if len(_HANGUL.findall(text)) / letters > 0.3:
        return "ko"
    if len(_THAI.findall(text)) / letters > 0.3:
        return "th"
    if len(_HEBREW.findall(text)) / letters > 0.3:
        return "he"  # Yiddish news is rare enough to read as Hebrew
    if len(_HAN.findall(text)) / letters > 0.3:
        return "zh"
    return None


def rank(text: str) -> list[tuple[str, float]]:
    """(language, probability) best first, from the text alone."""
    ranked = _identifier().rank(text[:_SAMPLE_CHARS])
    return [(_ALIASES.get(lang, lang), float(p)) for lang, p in ranked]


def _ranked(sample: str, quick: bool = True) -> list[tuple[str, float]]:
    """`rank` of the sample, from its start alone when that is sure (`quick=False`: the whole sample)."""
    if quick and len(sample) > 2 * _QUICK_CHARS:
        ranked = rank(sample[:_QUICK_CHARS])
        if ranked[0][1] >= _QUICK_SURE and ranked[0][0] not in _MALAY_PAIR:
            return ranked
    return rank(sample)


def identify(
    text: str | None,
    title: str | None = None,
    *,
    markup: str | None = None,
    feed: str | None = None,
    quick: bool = True,
) -> LanguageGuess:
    """The article's language from its title and text; markup (`<html lang>`, og:locale) then the feed's
    hint only break ties. A page whose markup claims a language its text is not in gets its text's language.
    """
    claimed = markup or feed
    hints = [h for h in (base(markup), base(feed)) if h]
    sample = f"{title or ''}\n{text or ''}".strip()[:_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample[:400]))
    if letters < _MIN_LETTERS and len(sample) > 400:
        letters = len(_LETTER.findall(sample))
    # a script of one language says so in a few characters (a Hangul syllable is a word's worth of letters)
    scripted = _script(sample[: 2 * _QUICK_CHARS]) if letters >= 4 else None
    if scripted:
        return LanguageGuess(scripted, 1.0, "script", claimed)
    if letters < _MIN_LETTERS:
        if hints:
            return LanguageGuess(hints[0], 0.0, "hint", claimed)
        return LanguageGuess(None, 0.0, "none", claimed)
    ranked = _ranked(sample, quick)
    best, p = ranked[0]
    if best in _MALAY_PAIR and p < 0.97:
        words = [w.lower() for w in _WORDS.findall(sample)]
        malay = sum(w in _MALAY_WORDS for w in words) - sum(w in _INDONESIAN_WORDS for w in words)
        if malay:
            chosen = "ms" if malay > 0 else "id"
            return LanguageGuess(chosen, round(dict(ranked).get(chosen, 0.0), 4), "text", claimed)
    if p < MIN_CONFIDENCE:
        probs = dict(ranked)
        for hint in hints:
            if hint != best and probs.get(hint, 0.0) >= _HINT_FLOOR:
                return LanguageGuess(hint, round(probs[hint], 4), "text+hint", claimed)
    return LanguageGuess(best, round(p, 4), "text", claimed)


def unconfigured_irrelevant(outcomes, configured) -> dict[str, int]:
    """Pages of languages the topic does not configure that were judged irrelevant, per language (`und`: none
    detected): `language_unconfigured_irrelevant:<code>` in the run's counts, beside the articles loaded
    (`language_unconfigured:<code>`), so what such a language misses is never silent."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        language = base(outcome.language) or "und"
        if outcome.status == "irrelevant" and language not in configured:
            key = f"language_unconfigured_irrelevant:{language}"
            counts[key] = counts.get(key, 0) + 1
    return counts
