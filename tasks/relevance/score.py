"""Scoring and deciding: how strongly an article names the topic's term groups (title, lead and body weighted,
saturating), and whether the story is its subject (title, lead or share of paragraphs) or an aside."""

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
    reason: str = (
        ""  # subject:title | subject:lead | subject:body_share=0.40 | aside:body_share=0.10 | off_topic:...
    )
    body_share: float = 0.0  # share of paragraphs naming every required group


_NEWLINE = re.compile("\n")


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
    for matcher in topic.matchers_for(language):
        hits = 0.0
        found: dict[str, None] = {}  # ordered set
        for term, _ in find_terms(matcher, title_n):
            hits += s.title_weight
            found[term] = None
            in_title.add(matcher.group)
        for term, start in find_terms(matcher, text_n):
            lead = start < s.lead_chars
            hits += s.lead_weight if lead else s.body_weight
            found[term] = None
            line = bisect.bisect_left(breaks, start)
            if lead and line == 0:  # the subject's lead is the first paragraph, however short
                in_lead.add(matcher.group)
            lines_of.setdefault(matcher.group, set()).add(line)
        if found:
            matched[matcher.group] = list(found)
            score += topic.groups[matcher.group].weight * (1.0 - math.exp(-hits / s.saturation))

    subject = set(s.required)
    paragraphs = len(breaks) + 1 if text_n.strip() else 0
    both = set.intersection(*(lines_of.get(g, set()) for g in subject)) if subject else set()
    share = round(len(both) / paragraphs, 3) if paragraphs else 0.0
    passes = (
        all(g in matched for g in s.required)
        and (not s.any_of or any(g in matched for g in s.any_of))
        and score >= s.threshold
    )
    if not passes:
        reason = "off_topic:" + ",".join(sorted(matched)) if matched else "off_topic"
        relevant = False
    elif subject <= in_title or (
        # a title naming one country, with paragraphs naming both: unless the lead names the other, those
        # paragraphs must be a real share of the text (a live blog's one entry on the pair is an aside)
        subject & in_title
        and len(both) >= 2
        and (subject <= in_title | in_lead or share >= s.min_body_share / 2)
    ):
        reason, relevant = "subject:title", True
    elif subject <= (in_title | in_lead) or (
        # a lead naming one country with two more of the story's groups ("the Russian president ... a defence
        # pact with Kim Jong Un"), in an article where some paragraph names both
        len(in_title | in_lead) >= 3 and subject & (in_title | in_lead) and len(both) >= 2
    ):
        reason, relevant = "subject:lead", True
    elif share >= s.min_body_share:
        reason, relevant = f"subject:body_share={share:.2f}", True
    else:
        reason, relevant = f"aside:body_share={share:.2f}", False
    return Relevance(
        score=round(score, 4), relevant=relevant, matched=matched, reason=reason, body_share=share
    )
