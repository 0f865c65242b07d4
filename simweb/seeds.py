"""Article bodies rebuilt from the seed texts in simweb/seeds/.

A seed is a real article as a text extractor returned it (`NAME.txt`), split into the lines that must stay
(`NAME.expected.txt`) and the lines that must go (`NAME.boilerplate.txt`). Rebuilding the page from those
files, in their original order, keeps the simulated page and its ground truth equal to the seed by
construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from simweb.blocks import BP_CLASSES, Block, SiteFormatError

SEEDS_DIR = Path(__file__).parent / "seeds"

# A related-links insertion as extractors print it: the label, then headlines glued with no separator.
_INLINE_LABELS = ("Baca Juga:",)
# Where two glued headlines meet: a lower-case letter directly followed by an upper-case one.
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SENTENCE_END = (".", "!", "?", ":", "…", "'", '"', "’", "”", ")")
_MAX_SUBHEADING_WORDS = 12


def read_seed(name: str) -> tuple[list[str], list[str], list[str]]:
    """(extracted lines, expected lines, boilerplate lines) of one seed."""
    return tuple(  # type: ignore[return-value]
        [
            line
            for line in (SEEDS_DIR / f"{name}{suffix}").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for suffix in (".txt", ".expected.txt", ".boilerplate.txt")
    )


def is_subheading(line: str) -> bool:
    """Short lines without closing punctuation are subheadings (h2), like "Perubahan Kebijakan"."""
    return len(line.split()) <= _MAX_SUBHEADING_WORDS and not line.rstrip().endswith(_SENTENCE_END)


def split_glued(text: str) -> list[str]:
    """Split headlines an extractor glued together ("...Kuasa HukumSurvey ARFI...")."""
    return _GLUE.split(text)


def seed_blocks(name: str, bp_classes: list[str]) -> tuple[Block, ...]:
    """The blocks of a seed article in page order.

    `bp_classes` gives the boilerplate class of each plain boilerplate line in file order (inline
    related-link lines take no class).
    """
    extracted, expected, boilerplate = read_seed(name)
    blocks: list[Block] = []
    classes = iter(bp_classes)
    next_expected = next_boilerplate = 0
    for line in extracted:
        if next_expected < len(expected) and line == expected[next_expected]:
            next_expected += 1
            blocks.append(Block("h2" if is_subheading(line) else "p", text=line))
        elif next_boilerplate < len(boilerplate) and line == boilerplate[next_boilerplate]:
            next_boilerplate += 1
            blocks.append(_boilerplate_block(name, line, classes))
        else:
            raise SiteFormatError(
                f"seed {name}: line is neither the next expected nor boilerplate line: {line!r}"
            )
    if next_expected != len(expected) or next_boilerplate != len(boilerplate):
        raise SiteFormatError(f"seed {name}: expected or boilerplate lines missing from {name}.txt")
    if next(classes, None) is not None:
        raise SiteFormatError(f"seed {name}: more bp_classes than boilerplate lines")
    return tuple(blocks)


def _boilerplate_block(name: str, line: str, classes: Iterator[str]) -> Block:
    for label in _INLINE_LABELS:
        if line.startswith(label):
            links = split_glued(line[len(label) :])
            if len(links) < 2:
                raise SiteFormatError(f"seed {name}: cannot split glued headlines in {line!r}")
            return Block("related_inline", label=label, links=tuple(links))
    css_class = next(classes, None)
    if css_class not in BP_CLASSES:
        raise SiteFormatError(f"seed {name}: bp_classes must give one of {BP_CLASSES} for {line!r}")
    return Block("bp", text=line, css_class=css_class)
