"""How common a word is in general English: wordfreq's small English word list (the words of
Zipf frequency 3 and above, about 29 000), read from the file wordfreq ships, in the cBpack
format its `read_cBpack` documents, without importing wordfreq, whose import loads language
tables (about 0.3 s against about 0.03 s for the list). `search/subject.py` asks wordfreq
itself for rarer words, when a word matches no record."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

LIST = Path("data") / "small_en.msgpack.gz"
"""The list, inside the wordfreq package."""


def common_zipf(word: str) -> float:
    """The Zipf frequency of `word` (folded, one word) in general English, or 0.0 when it is
    rarer than Zipf 3 (not in the list)."""
    return _frequencies().get(word, 0.0)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return {}
    import gzip

    import msgpack

    path = Path(next(iter(spec.submodule_search_locations))) / LIST
    with gzip.open(path, "rb") as packed:
        data = msgpack.load(packed, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB":  # pragma: no cover
        raise ValueError(f"{path}: not a cBpack word list")
    # the list at index i holds the words of frequency 10 ** (-i / 100): Zipf 9 - i / 100
    return {word: 9 - i / 100 for i, words in enumerate(data[1:]) for word in words}
