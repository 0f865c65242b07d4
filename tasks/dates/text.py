"""Date signals of a page's text: a date the text labels as published or updated ("Veröffentlicht am",
"Published:", "Mis à jour le") in many languages, and the dated byline of the article (any calendar or script,
relative dates), outside comments, sidebars and the site's own header."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from lxml import etree
from lxml.html import HtmlElement

from tasks.dates.languages import RELATIVE, UPDATED_WORDS, relative_signal
from tasks.dates.signal import PageDates, Signal
from tasks.dates.values import parse_value

_BYLINE_XPATH = etree.XPath(
    "//*[@class][contains(@class,'date') or contains(@class,'Date') or contains(@class,'time') or contains(@class,'publish')"
    " or contains(@class,'byline') or contains(@class,'meta') or contains(@class,'posted')][not(*[4])]"
)
_NOT_BYLINE = re.compile(r"comment|reply|respon|forum|sidebar|widget|related|footer|kommentar", re.I)

# A date the page's text labels as the publication (or modification) date: "Veröffentlicht am 16.08.2019",
# "Erschienen am: 01.11.2023", "Published: ...", "Datum: 03.02.2022", "Publié le ...". A label names what the date
# is, which no search by position (htmldate's) knows; it is read after the page's structured data.
_PUBLISHED_LABEL = (
    r"ver(?:ö|oe)ffentlicht(?:\s+am)?|erschienen(?:\s+am)?|erstellt(?:\s+am)?|publiziert(?:\s+am)?|datum(?=\s*[:\d])"
    r"|(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|written(?:\s+on)?\s*:|date(?=\s*[:\d])"
    r"|publi(?:é|e)(?:\s+le)?|mis\s+en\s+ligne(?:\s+le)?|publicado(?:\s+(?:el|em))?|fecha(?=\s*[:\d])|pubblicato(?:\s+il)?"
    r"|gepubliceerd(?:\s+op)?|geplaatst(?:\s+op)?|опубликовано|дата\s+публикации|opublikowano"
    r"|yay(?:ı|i)n(?:lanma)?\s+tarihi|diterbitkan|dipublikasikan"
)
_MODIFIED_LABEL = (
    r"(?:last\s+)?updated(?:\s+on)?|(?:last\s+)?modified|aktualisiert(?:\s+am)?|letzte\s+(?:ä|ae)nderung"
    r"|ge(?:ä|ae)ndert(?:\s+am)?|stand\s*:|mis\s+(?:à|a)\s+jour(?:\s+le)?|actualizado(?:\s+el)?|aggiornato(?:\s+il)?"
    r"|atualizado(?:\s+em)?|bijgewerkt(?:\s+op)?|обновлено|güncelleme|diperbarui"
)
_LABEL = re.compile(
    rf"(?<![^\W\d_])(?:(?P<pub>{_PUBLISHED_LABEL})|(?P<mod>{_MODIFIED_LABEL}))(?![^\W\d_])\s*:?\s*", re.I
)
# every text of the body; those of its scripts and styles are left out (a plain path and a walk over the code
# elements are several times faster than one path with an ancestor test)
_TEXT_NODES = etree.XPath("/html/body//text()", smart_strings=False)
# words every label holds (lower case): only the text around them is tried against _LABEL, which is slow to run
# over a whole page
_LABEL_STEMS = (
    "ffentlicht",
    "erschienen",
    "erstellt",
    "publi",
    "datum",
    "posted",
    "written",
    "date",
    "mis en ligne",
    "fecha",
    "geplaatst",
    "опубликовано",
    "дата",
    "yay",
    "diterbitkan",
    "modified",
    "aktualisiert",
    "nderung",
    "ndert",
    "stand",
    "mis à jour",
    "mis a jour",
    "actualizado",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
    "обновлено",
    "güncelleme",
    "diperbarui",
)


def byline_signal(tree: HtmlElement, out: PageDates, reference: datetime | None, dayfirst: bool) -> Signal | None:
    """The first dated byline in the page's text (modified ones are added to `out` as such); None if none."""
    for node in _BYLINE_XPATH(tree)[:30]:
        text = " ".join(node.text_content().split())
        if not text or len(text) > 120 or not (any(c.isdigit() for c in text) or RELATIVE.search(text)):
            continue
        role = "modified" if UPDATED_WORDS.search(text) else "published"
        try:
            sig = parse_value(text, "byline", role, dayfirst=dayfirst)
        except (ValueError, OverflowError, KeyError):
            sig = relative_signal(text, reference) if reference is not None and role == "published" else None
        ancestors = list(node.iterancestors())
        tags = {a.tag for a in ancestors}
        if (
            sig is None
            or any(_NOT_BYLINE.search((a.get("class") or "") + " " + (a.get("id") or "")) for a in ancestors)
            # the site's own header or navigation (today's date next to the logo), unless inside the article
            or (tags & {"header", "nav"} and "article" not in tags)
        ):
            continue
        if sig.role == "modified":
            out.signals.append(sig)
            continue
        return sig
    return None


def labelled_signals(tree: HtmlElement, out: PageDates, dayfirst: bool) -> None:
    """Dates the page's text labels: the first labelled publication date, and the first labelled modified one."""
    body = tree.find("body")
    if body is None:
        return
    code = {e.text for e in body.iter("script", "style", "noscript") if e.text}
    text = " ".join(" ".join(t for t in _TEXT_NODES(tree) if t not in code).split())
    lower = text.lower()
    starts = set()
    for stem in _LABEL_STEMS:
        at = lower.find(stem)
        while at >= 0:
            starts.add(max(0, at - 12))  # room for "first ", "last ", "ver" before the stem
            at = lower.find(stem, at + 1)
    found = {"published": False, "modified": False}
    seen_end = -1
    for start in sorted(starts):
        m = _LABEL.search(text, start, start + 60)
        if m is None or m.start() < seen_end:
            continue
        seen_end = m.end()
        role = "published" if m["pub"] else "modified"
        if found[role]:
            continue
        window = text[m.end() : m.end() + 40]
        stop = _LABEL.search(window)
        window = window[: stop.start()] if stop else window
        if not any(c.isdigit() for c in window[:20]):
            continue
        try:
            sig = parse_value(window, "byline", role, dayfirst=dayfirst)
        except (ValueError, OverflowError, KeyError):
            continue
        found[role] = True
        out.signals.append(replace(sig, kind="byline:labelled" if role == "published" else "byline:modified"))
        if all(found.values()):
            break
