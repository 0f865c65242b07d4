"""Scoring and deciding: how strongly an article names the topic's term groups (title, lead and body weighted,
saturating), and whether the story is its subject (title, lead or share of paragraphs) or an aside.

Subject or aside, by where the two countries are named:
  title names both           the subject, unless the title names a third country with them (a bloc: "China, Russia
                             and North Korea"); then the paragraphs naming the pair without it must be half of
                             min_body_share
  title names one, the lead  the subject
  names the other
  title names one, the lead  an aside (a missile launch, Trump and Kim, Iran's treaty with Russia, with the pact in a
  does not name the other    background sentence) unless min_body_share of the text, two paragraphs at least, name
                             both countries with a tie (`scoring.ties`: a treaty, troops, shells) the title does not use
  title names neither        the lead naming both (or one, with two more groups); else min_body_share of paragraphs
Paragraphs counted as evidence for a one-sided or bloc title must end like sentences: a related headline or caption
the cleaner left ("Read more: Moscow and Pyongyang ratify the treaty") is not a paragraph of the article.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from tasks.relevance.terms import find_terms, normalize
from tasks.relevance.topic import Topic


@dataclass(frozen=True)
class Relevance:
    score: float
    relevant: bool
    matched: dict[str, list[str]]  # group -> distinct config terms found, in order of first appearance
    # subject:title | subject:lead | subject:body_share=0.40 | subject:tied_share=0.40 | subject:pair_share=0.50 |
    # aside:body_share=0.10 | aside:tied_share=0.20 | aside:frame,pair_share=0.00 | off_topic:...
    reason: str = ""
    body_share: float = 0.0  # share of paragraphs naming every required group


_NEWLINE = re.compile("\n")
# How a sentence ends: full stops, question and exclamation marks, ellipses and closing quotes, in the scripts of the
# topic's languages (Latin, Cyrillic, CJK, Arabic and Persian, Devanagari). A line ending otherwise is shaped like a
# headline ("Read more: Moscow and Pyongyang ratify the treaty"), a caption or a label.
_SENTENCE_END = re.compile(
    r"[.!?\u2026\u3002\uff01\uff1f\uff0e\u061f\u06d4\u0964\u0965\"'\u00bb\u201d\u2019\u300d\u300f]\s*$"
)
_THAI = re.compile("[\u0e00-\u0e7f]")  # Thai writes no full stops: its lines all count as sentences


def score_relevance(
    title: str | None, text: str | None, topic: Topic, language: str | None = None
) -> Relevance:
    """Score an article against the topic.

    `language` (e.g. "de", "zh-CN") narrows matching to that language's terms plus English ones,
    which avoids cross-language false friends (Spanish "rusa" is Indonesian for deer). Pass None
    when the language is unknown or only a guess: a wrong hint hides the article's own terms.
    A language the topic does not configure counts as unknown.
    """
    s = topic.scoring
    title_n = normalize(title or "")
    text_n = normalize(text or "")
    breaks = [m.start() for m in _NEWLINE.finditer(text_n)]

    score = 0.0
    matched: dict[str, list[str]] = {}
    in_title: set[str] = set()
    in_lead: set[str] = set()
    lines_of: dict[str, set[int]] = {}  # group -> paragraphs (line numbers) it is named in
    # group -> paragraphs naming one of its terms that the title does not use (the title's own subject aside)
    fresh_lines_of: dict[str, set[int]] = {}
    frame = set(s.frame)
    for matcher in topic.matchers_for(language):
        hits = 0.0
        found: dict[str, None] = {}  # ordered set
        titled: set[str] = set()
        for term, _ in find_terms(matcher, title_n):
            hits += s.title_weight
            found[term] = None
            titled.add(term)
            in_title.add(matcher.group)
        for term, start in find_terms(matcher, text_n):
            lead = start < s.lead_chars
            hits += s.lead_weight if lead else s.body_weight
            found[term] = None
            line = bisect.bisect_left(breaks, start)
            if lead and line == 0:  # the subject's lead is the first paragraph, however short
                in_lead.add(matcher.group)
            lines_of.setdefault(matcher.group, set()).add(line)
            if term not in titled:
                fresh_lines_of.setdefault(matcher.group, set()).add(line)
        if found and matcher.group not in frame:
            matched[matcher.group] = list(found)
            score += topic.groups[matcher.group].weight * (1.0 - math.exp(-hits / s.saturation))
        if found and matcher.short is not None:
            # a text naming North Korea in full: "Kim" alone names its side too ("Putin gives Kim a limousine"),
            # for where the sides are named, not for the score
            if find_terms(matcher.short, title_n):
                in_title.add(matcher.group)
            for _, start in find_terms(matcher.short, text_n):
                line = bisect.bisect_left(breaks, start)
                if start < s.lead_chars and line == 0:
                    in_lead.add(matcher.group)
                lines_of.setdefault(matcher.group, set()).add(line)

    subject = set(s.required)
    paragraphs = len(breaks) + 1 if text_n.strip() else 0
    both = set.intersection(*(lines_of.get(g, set()) for g in subject)) if subject else set()
    share = round(len(both) / paragraphs, 3) if paragraphs else 0.0
    passes = (
        all(g in matched for g in s.required)
        and (not s.any_of or any(g in matched for g in s.any_of))
        and score >= s.threshold
    )
    in_top = (in_title | in_lead) - frame  # the story's groups named in the title or the first paragraph
    if not passes:
        reason = "off_topic:" + ",".join(sorted(matched)) if matched else "off_topic"
        relevant = False
    elif subject <= in_title and frame & in_title:
        # the pair named with another country ("China, Russia and North Korea: the axis"): a bloc, not the pact,
        # unless the paragraphs naming the pair without that country are a real share of the text
        framed = set().union(*(lines_of.get(g, set()) for g in frame))
        # half of min_body_share, one paragraph at least: the title names the pair itself, and a third country in
        # it is as often where the news was said ("..., envoy in Beijing") as a bloc; a bloc's paragraphs name the
        # pair with it
        alone = (both - framed) & _sentences(text_n)
        reason, relevant = _by_share(alone, paragraphs, s.min_body_share / 2, "pair", lines=1)
        if not relevant:
            reason = reason.replace("aside:", "aside:frame,")
    elif subject <= in_title or (
        # a title naming one country and a lead naming the other, with paragraphs naming both
        subject & in_title and subject <= in_top and len(both) >= 2
    ):
        reason, relevant = "subject:title", True
    elif subject & in_title and not subject <= in_top:
        # a title naming one country, a lead not naming the other: the article is about something else (a missile
        # launch, Trump and Kim, Iran's treaty) unless paragraphs naming both with what ties them (a treaty,
        # troops, shells: terms the title does not use) are a real share of the text
        ties = set().union(*(fresh_lines_of.get(g, set()) for g in s.ties or s.any_of))
        reason, relevant = _by_share(both & ties & _sentences(text_n), paragraphs, s.min_body_share, "tied")
    elif subject <= in_top or (
        # no country in the title: a lead naming one country with two more of the story's groups ("the Russian
        # president ... a defence pact with Kim Jong Un"), in an article where some paragraph names both
        not subject & in_title and len(in_top) >= 3 and subject & in_top and len(both) >= 2
    ):
        reason, relevant = "subject:lead", True
    elif share >= s.min_body_share:
        reason, relevant = f"subject:body_share={share:.2f}", True
    else:
        reason, relevant = f"aside:body_share={share:.2f}", False
    return Relevance(
        score=round(score, 4), relevant=relevant, matched=matched, reason=reason, body_share=share
    )


def _by_share(found: set[int], paragraphs: int, least: float, what: str, lines: int = 2) -> tuple[str, bool]:
    """Subject when at least `lines` paragraphs, and `least` of them, are `found`; the reason names the share."""
    share = round(len(found) / paragraphs, 3) if paragraphs else 0.0
    if len(found) >= lines and share >= least:
        return f"subject:{what}_share={share:.2f}", True
    return f"aside:{what}_share={share:.2f}", False


def _sentences(text: str) -> set[int]:
    """The lines of `text` that end like a sentence: what a leftover related headline or caption does not do."""
    return {i for i, line in enumerate(text.split("\n")) if _SENTENCE_END.search(line) or _THAI.search(line)}
