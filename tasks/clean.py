"""Strip boilerplate from extracted article text, one paragraph per line, recording every cut.

Whole lines go when a ``line`` rule matches them; ``inline`` rules cut only their match. Related-link
insertions glued inside a paragraph ("... said. Baca Juga: Headline Sentence after.") are cut exactly when
the page HTML shows which link texts followed the label, and otherwise only when they end the line, where
nothing after them can be content. Every cut is returned as a Removal for the audit table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from tasks.cleanrules import Rule, RuleError, RuleSet, load_rules
from tasks.models import CleanResult, Removal

__all__ = ["Rule", "RuleError", "RuleSet", "load_rules", "strip_boilerplate"]

# Once something was cut from a line, it needs letters or digits left to be worth keeping.
_SUBSTANCE = re.compile(r"\w")
# Without HTML an insertion is cut only when its label follows a finished sentence ...
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»」』)\]]*\s*$")
# ... and what follows the label reads as headlines: no sentence end inside it or at its end.
_SENTENCE_INSIDE = re.compile(r"[.!?。！？][\"'”’»」』)\]]*\s")
_MAX_HEADLINES_CHARS = 300
# What may stand between a label and its links in the HTML, and so in the extracted text.
_LINK_SEPARATOR = r"[\s|•·,;/»›:–—-]*"
_SEPARATOR_ONLY = re.compile(_LINK_SEPARATOR)
# Elements a label is wrapped in; only these are tested as a whole label, which keeps the walk cheap.
_INLINE_TAGS = frozenset({"strong", "b", "em", "i", "span", "u", "mark", "small", "font", "label"})
# lxml refuses a str that still carries an encoding declaration (XHTML pages start with one).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NO_SPACE_BEFORE = ",.;:!?)]}、。，；：！？」』）"
# A cut can make a line match another rule; passes repeat until nothing changes (in practice two).
_MAX_PASSES = 10

# The bullet trafilatura (or the site) puts before a list item: one or more of them, each followed by a space.
_LIST_BULLET = re.compile(r"^\s*(?:[-–—•·*▪■►]\s+)+")
_BULLET_STARTS = frozenset("-–—•·*▪■►")

Labelled = tuple[Rule, re.Pattern[str]]
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class _Plan:
    """The rules applied to one article, split by how they are used."""

    line_rules: Sequence[Rule]
    inline_rules: Sequence[Rule]
    labels: Sequence[Labelled]  # related rules with a label, for insertions inside paragraphs
    insertions: Sequence[Labelled]  # exact "label + link texts" patterns found in the page HTML


def strip_boilerplate(
    text: str,
    language: str | None = None,
    html: str | lxml.html.HtmlElement | None = None,
    rules: RuleSet | None = None,
) -> CleanResult:
    """Return ``text`` without boilerplate lines and spans, and what was cut from which input line.

    ``html`` is the page the text was extracted from; it only serves to delimit related-link insertions
    inside paragraphs. ``rules`` defaults to the repository's rule files.
    """
    applied = (rules or load_rules()).for_language(language)
    labels = [(rule, rule.label) for rule in applied if rule.label is not None]
    insertions: list[Labelled] = []
    if html is not None:
        # Only labels that occur in the text can delimit anything: the page walk looks for those alone.
        present = [(rule, label) for rule, label in labels if label.search(text)]
        needles = {_needle(m.group()) for _, label in present for m in label.finditer(text)}
        insertions = _insertion_patterns(html, present, needles - {""}) if present else []
    plan = _Plan(
        line_rules=[rule for rule in applied if rule.scope == "line"],
        inline_rules=[rule for rule in applied if rule.scope == "inline"],
        labels=labels,
        insertions=insertions,
    )
    related = {rule.id for rule in applied if rule.category == "related"}
    sources = {rule.id for rule in applied if rule.category == "sources"}
    lines = text.split("\n")
    linked = _linked_headline_runs(lines, html)
    single = _single_link_lines(lines, html)
    opening = _opening_byline(lines, html)
    sourced = _sources_lists(lines, html, [rule for rule in applied if rule.category == "sources"])
    # a related label the extraction dropped (trafilatura filters "Mehr zum Thema", "More on this"): the page
    # shows it above the list, whose items go as they would under the label
    sourced.update(_related_lists(lines, html, [rule for rule in applied if rule.category == "related"]))
    authors = _Authors(html)
    kept: list[str] = []
    positions: list[int] = []
    removed: list[Removal] = []
    # the rule id + suffix of a bare related-list or sources label: its list follows
    listing: str | None = None
    headlines = 0
    state: dict[str, object] = {}  # the page's sections and own texts, read once a line may need them
    # the line before was an author's bio: a fragment continuing it ("is a lecturer at …") goes too
    bio = False
    page: _PageTexts | None = None  # the page's link texts and section headings, read once a list opens
    for position, line in enumerate(lines):
        if position in linked:
            removed.append(Removal(line.strip(), LINKED_HEADLINES_RULE, position))
            continue
        if position in single:
            removed.append(Removal(line.strip(), single[position], position))
            continue
        if position == opening:
            removed.append(Removal(line.strip(), OPENING_BYLINE_RULE, position))
            continue
        if position in sourced:
            removed.append(Removal(line.strip(), sourced[position], position))
            continue
        if listing is not None and line.strip():
            if page is None:
                page = _PageTexts.of(html)
            if headlines < _MAX_LISTED_HEADLINES and page.listed(line):
                removed.append(Removal(line.strip(), listing, position))
                headlines += 1
                continue
            listing = None  # the first real paragraph ends the list
        cleaned, cuts = _clean_line(line, position, plan)
        if cleaned is None and len(cuts) == 1 and cuts[0].rule in sources and html is not None:
            # with the page at hand, a sources label goes with its list, and a label with no list under it
            # ("Sources:" ending the text, its items lost by the extraction) stays: alone it is the article's word
            following = next((n for n in lines[position + 1 :] if n.strip()), None)
            if page is None:
                page = _PageTexts.of(html)
            if following is None or not page.listed(following):
                cleaned, cuts = line, []
        removed.extend(cuts)
        if cleaned is not None and not cuts and authors.is_byline(cleaned):
            removed.append(Removal(line.strip(), AUTHOR_LINE_RULE, position))
            continue
        if cleaned is not None and not cuts and _is_section_line(cleaned, html, state):
            removed.append(Removal(line.strip(), SECTION_LINE_RULE, position))
            continue
        if cleaned is not None and not cuts and authors.is_bio(cleaned, after_bio=bio):
            removed.append(Removal(line.strip(), AUTHOR_BIO_RULE, position))
            bio = True
            continue
        if cleaned is not None and cleaned.strip():
            bio = False
        if cleaned is not None:
            kept.append(cleaned)
            positions.append(position)
        elif len(cuts) == 1 and cuts[0].rule in related and is_bare_label(line):
            listing, headlines = f"{cuts[0].rule}{HEADLINES_SUFFIX}", 0
        elif len(cuts) == 1 and cuts[0].rule in sources:
            listing, headlines = f"{cuts[0].rule}{SOURCES_SUFFIX}", 0
    last = next((i for i in range(len(kept) - 1, -1, -1) if kept[i].strip()), None)
    if (
        last is not None
        and last >= _MIN_LINES_BEFORE_SIGNOFF
        and is_signoff(kept[last])
        and _signed_in_page(kept[last], html)
    ):
        removed.append(Removal(kept[last].strip(), SIGNOFF_RULE, positions[last]))
        del kept[last], positions[last]
    return CleanResult(text="\n".join(kept), removed=removed, positions=positions)


# --- a name alone ending the article ----------------------------------------------------------------

# "Lê Phương", "Jane Roe": many sites end the article with its author's name alone on the last line, set apart in
# the page as a signature is: right-aligned (`<p style="text-align:right"><strong>Lê Phương</strong></p>`) or in an
# element whose class names the author or byline. A last line of two to four capitalised words and nothing else
# (no digit, no punctuation but a hyphen, an apostrophe or an initial's full stop) so marked is that sign-off; a
# heading ending the text ("Policy Changes") has the shape but not the markup.
SIGNOFF_RULE = "structure.signoff"
_MIN_LINES_BEFORE_SIGNOFF = 2
_SIGNOFF = re.compile(r"(?:[^\W\d_][\w'’.-]*)(?:\s+[^\W\d_][\w'’.-]*){1,3}")
_MAX_SIGNOFF_CHARS = 40


_SIGNATURE_MARK = re.compile(r"(?i)text-align\s*:\s*right|\bauthor|\bbyline|\bsignature|\btac-?gia")


def _signed_in_page(line: str, html: str | lxml.html.HtmlElement | None) -> bool:
    """Whether the page prints `line` as a signature: an element of that text, right-aligned or classed as the
    author's (itself or one of its two nearest ancestors)."""
    if html is None:
        return False
    html = _tree(html)
    if html is None:
        return False
    key = " ".join(line.split())
    word = max(key.split(), key=len)
    for text in _select(html, "//body//text()[contains(., $w)]", w=word):
        element = text.getparent()
        if element is None or " ".join(element.text_content().split()) != key:
            continue
        for node in [element, *list(element.iterancestors())[:2]]:
            marks = " ".join(node.get(a) or "" for a in ("style", "class", "align", "itemprop", "rel"))
            if _SIGNATURE_MARK.search(marks) or (node.get("align") or "").lower() == "right":
                return True
    return False


def is_signoff(line: str) -> bool:
    """A line that is a name alone: two to four capitalised words, no digits, no sentence."""
    key = " ".join(line.split())
    if len(key) > _MAX_SIGNOFF_CHARS or not _SIGNOFF.fullmatch(key) or _UNSPACED_SCRIPT.search(key):
        return False
    words = key.split()
    return all(w[0].isupper() for w in words) and not key.endswith(".") and not any(c.isdigit() for c in key)


# --- a name alone opening the article -----------------------------------------------------------------

# "Jane Roe", "JANE ROE", "Jane Roe/John Doe": the first line a name (or names) alone, which the page prints as a
# paragraph that is all bold (`<p><strong>Jane Roe</strong></p>`) or marks as a signature (see _signed_in_page),
# is the article's byline; an opening heading ("Policy Changes") is no such bold paragraph, or not name-shaped.
OPENING_BYLINE_RULE = "structure.opening-byline"
_NAMES_SEPARATOR = re.compile(r"\s*(?:/|&|,|\band\b)\s*")


def _opening_byline(lines: Sequence[str], html: str | lxml.html.HtmlElement | None) -> int | None:
    """The position of the byline so printed among the first lines (a standfirst may come before it), or None."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if html is None or len(filled) < 2:
        return None
    root: lxml.html.HtmlElement | None = None
    for position in filled[: min(_OPENING_LINES, len(filled) - 1)]:  # a name ending the text is a sign-off's
        key = " ".join(lines[position].split())
        names = [n for n in _NAMES_SEPARATOR.split(key) if n]
        if not names or len(names) > 3 or len(key) > 2 * _MAX_SIGNOFF_CHARS:
            continue
        if not all(is_signoff(n.title() if n.isupper() else n) for n in names):
            continue
        if key.split()[0].casefold() in _ARTICLES:
            continue  # "Die Hochzeitslocation", "The Outlook": a heading, not a name
        if root is None:
            if isinstance(html, str):
                try:
                    root = lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1))
                except (etree.ParserError, ValueError):
                    return None
            else:
                root = html
        if _bold_paragraph(root, key) or _signed_in_page(key, root):
            return position
    return None


_OPENING_LINES = 3
_ARTICLES = frozenset(
    {"the", "a", "an", "der", "die", "das", "ein", "eine", "le", "la", "les", "un", "une", "el", "los", "las"}
    | {"una", "il", "lo", "gli", "i", "o", "os", "um", "uma", "de", "het", "een", "den"}
)


def _select(root: lxml.html.HtmlElement, path: str, **variables: str) -> list:
    """What `path` finds with its $variables; nothing when a value is not XML text (a control character): no
    node of a parsed page can hold one."""
    try:
        return root.xpath(path, **variables)
    except ValueError:
        return []


def _xpath(root: lxml.html.HtmlElement, path: str, key: str) -> list[lxml.html.HtmlElement]:
    """The elements `path` finds with $w the longest word of `key`."""
    return _select(root, path, w=max(key.split(), key=len))


def _bold_paragraph(root: lxml.html.HtmlElement, key: str) -> bool:
    """The page has a paragraph of that text that is all one bold element."""
    for paragraph in _xpath(root, "//body//p[contains(., $w)]", key):
        if " ".join(paragraph.text_content().split()) != key:
            continue
        children = [c for c in paragraph if isinstance(c.tag, str)]
        if len(children) == 1 and children[0].tag in ("strong", "b") and not (paragraph.text or "").strip():
            return True
    return False


# --- a paragraph that is one link to another page ----------------------------------------------------

# "<p><a href="/politics/…"><strong>VIDEO SHOWS SUSPECT …</strong></a></p>": a paragraph or a heading whose whole text
# is one link to another page of the same site, shaped like a headline (three words or more, no sentence), is a
# related story the site put in the text, and so is a link wrapping a heading ("<a href="/…"><h2>Headline</h2></a>",
# a teaser card); "<h2><span>Headline</span><a>Headline</a></h2>" read as "Headline Headline" is a card's title too.
# A link to another site (a shop's product, a source) is the article's own.
LINKED_PARAGRAPH_RULE = "structure.linked-paragraph"
DOUBLED_HEADLINE_RULE = "structure.doubled-headline"
_DOUBLED = re.compile(r"(.{12,}?) \1")


def _single_link_lines(lines: Sequence[str], html: str | lxml.html.HtmlElement | None) -> dict[int, str]:
    """Positions of the lines that are a linked paragraph or a doubled linked headline, with the rule id."""
    if html is None:
        return {}
    wanted: dict[int, tuple[str, str]] = {}
    for position, line in enumerate(lines):
        key = " ".join(line.split())
        if _LIST_BULLET.match(line) or not is_headline_like(key):
            continue
        doubled = _DOUBLED.fullmatch(key)
        if doubled:
            wanted[position] = (doubled.group(1), DOUBLED_HEADLINE_RULE)
        elif len(key.split()) >= _MIN_HEADLINE_WORDS or _UNSPACED_SCRIPT.search(key):
            wanted[position] = (key, LINKED_PARAGRAPH_RULE)
    if not wanted:
        return {}
    html = _tree(html)
    if html is None:
        return {}
    found: dict[int, str] = {}
    site, own = _site_of(html), _own_paths(html)
    cards: set[int] = set()  # a link wrapping a heading: a teaser card, alone or not
    for position, (key, rule) in wanted.items():
        for link in _xpath(html, "//body//a[@href][not(contains(@href, '#'))][contains(., $w)]", key):
            href = link.get("href") or ""
            if " ".join(link.text_content().split()) != key or not _same_site(href, site):
                continue
            if urlsplit(href.strip()).path.rstrip("/") in own:
                continue  # the page's own headline linked to itself
            if rule == DOUBLED_HEADLINE_RULE:
                found[position] = rule
                break
            block = next((a for a in link.iterancestors() if a.tag not in _INLINE_TAGS), None)
            wraps = [
                e for e in link.iterdescendants(*_SUBHEADINGS) if " ".join(e.text_content().split()) == key
            ]
            if wraps:
                found[position] = rule
                cards.add(position)
                break
            if (
                block is not None
                and block.tag in ("p", *_SUBHEADINGS)
                and " ".join(block.text_content().split()) == key
            ):
                found[position] = rule
                break
    # a linked paragraph alone may be the article's (a review's title, a source): only a run of them, a card, or
    # one in capitals (the way sites set off a related story in the text), is taken
    filled = [i for i, line in enumerate(lines) if line.strip()]
    after = {a: b for a, b in zip(filled, filled[1:], strict=False)}
    before = {b: a for a, b in after.items()}
    for position in [p for p, rule in found.items() if rule == LINKED_PARAGRAPH_RULE]:
        neighbours = (found.get(before.get(position, -1)), found.get(after.get(position, -1)))
        if (
            LINKED_PARAGRAPH_RULE not in neighbours
            and position not in cards
            and not _in_capitals(lines[position])
        ):
            del found[position]
    return found


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 4 and bool(letters) and all(c.isupper() for c in letters)


def _tree(html) -> lxml.html.HtmlElement | None:
    """The page as a parsed tree: `html` itself when parsed already, None when it cannot be parsed."""
    if not isinstance(html, str):
        return html
    try:
        return lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None


def _own_paths(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The paths of the page's own addresses (canonical, og:url), without a trailing slash."""
    found = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    return frozenset(urlsplit(str(a).strip()).path.rstrip("/") for a in found if str(a).strip())


_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _site_of(root: lxml.html.HtmlElement) -> frozenset[str]:
    """The page's site names: those of the hosts of its canonical address and og:url (a syndicated page names the
    site it first ran on and the one it is read on)."""
    found = root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    hosts = (urlsplit(str(address).strip()).hostname for address in found)
    return frozenset(_site_name(host) for host in hosts if host)


# second-level labels under a country's domain: "bbc.co.uk" is the site "bbc", as "bbc.com" is
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "or", "ne", "go", "edu", "gob", "nic"})


def _site_name(host: str) -> str:
    """The label that names the site: "example" of "www.example.de", "news.example.co.uk"."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _same_site(href: str, sites: frozenset[str]) -> bool:
    """A link to a page of the same site: a relative address, or one on a host of the same site name as one of
    the page's ("nachrichten.example.de" and "www.example.de", "bbc.co.uk" and "bbc.com")."""
    href = href.strip()
    if href.startswith(("mailto:", "javascript:", "tel:")):
        return False
    host = urlsplit(href).hostname
    if not host:
        return not href.startswith("//")
    return _site_name(host) in sites


# --- a related-list label on its own line, and the headlines listed under it ------------------------

# "Read also:" / "Baca juga:" / "Читайте также:" alone on a line is followed by the headlines it lists, one a
# line; they go with it (rule id: the label's rule + HEADLINES_SUFFIX), up to the first real paragraph. When the
# extraction dropped the label (trafilatura filters "Mehr zum Thema" and "More on this …" as share-button text),
# the page still shows it: a run of list items that is the whole <ul>/<ol> right after such a label goes the same way.
HEADLINES_SUFFIX = "+headline"
_MAX_LISTED_HEADLINES = 8
_MAX_LABEL_CHARS = 60
_MAX_HEADLINE_CHARS = 160
_MAX_HEADLINE_WORDS = 24
_MAX_UNSPACED_HEADLINE_CHARS = 80  # Chinese, Japanese, Thai: no spaces to count words by
_UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# text after a separator: "Baca Juga: <headline>" is a label with its one headline, not a bare label
_LABEL_WITH_TEXT = re.compile(r"[:：|»›—–]\s*\w")
# a headline does not end a sentence with a full stop (a question, an exclamation or an ellipsis may end it)
# (the Devanagari danda and the Urdu full stop included)
_FULL_STOP_END = re.compile(r"(?<!\.\.)[.。．।॥۔][\"'”’»」』)\]]*\s*$")
# a sentence ending inside the line, then another: two sentences are a paragraph, not a headline
_SENTENCE_BREAK = re.compile(r"[.!?。！？।॥۔؟][\"'”’»」』)\]]*\s+\S")


_BULLET = re.compile(r"^[\s\-–—•·*>»›▪■►]+")


@dataclass(frozen=True)
class _PageTexts:
    """What the page's HTML says of the lines after a label: the texts of its links and list items (a listed
    headline is one), and of its link-free headings and paragraphs (the article's own section headings and
    paragraphs end a list)."""

    listed_texts: frozenset[str] | None  # None: no HTML (or unreadable): the line's shape alone decides
    own_texts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, html: str | lxml.html.HtmlElement | None) -> _PageTexts:
        if html is None:
            return cls(None)
        html = _tree(html)
        if html is None:
            return cls(None)

        def texts(xpath: str) -> frozenset[str]:
            return frozenset(t for e in html.xpath(xpath) if (t := " ".join(e.text_content().split())))

        return cls(
            texts("//a | //li"),
            texts(
                "//*[self::p or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
                "[not(.//a)][not(ancestor::a)][not(ancestor::li)]"
            ),
        )

    def listed(self, line: str) -> bool:
        """A headline of the list: short, and, with the page at hand, not one of its own paragraphs or section
        headings; a link's or a list item's text whatever its punctuation, else a title-like line."""
        if self.listed_texts is None:
            return is_headline_like(line)
        key = " ".join(_BULLET.sub("", line).split())
        if not _short(key) or " ".join(line.split()) in self.own_texts or key in self.own_texts:
            return False
        if key in self.listed_texts:
            return True
        # several links glued into one line by the extraction ("Angeln allgemeinRoyal Fishing Kinderhilfe")
        rest = key
        for text in self.listed_texts:
            if len(text) >= 3 and text in rest:
                rest = rest.replace(text, " ")
        if rest != key and not _SUBSTANCE.search(_BULLET.sub("", rest)):
            return True
        return is_headline_like(line)


# --- an unlabelled list of linked headlines inside the article ---------------------------------------

# "- Drohnen über Kasernen: Was die Bundeswehr weiß" / "- Seoul summons Russian envoy over the pact": two or more
# list items in a row, each the whole text of one link to another page (no "#" fragment: not a table of contents)
# and shaped like a headline, are a list of other stories the site put in the text without a label (two to eight
# of them, as under a label); three to twelve such items of a word or two are a breadcrumb or the page's tags. A
# list mixing both, a longer one, or items that spell out an address are a link collection and stay.
LINKED_HEADLINES_RULE = "structure.linked-headlines"
_MIN_LINKED_RUN = 2
_MIN_LINKED_TAGS = 3  # "- Spor", "- Futbol", "- Galatasaray": linked one- or two-word items need a longer run
_MAX_LINKED_TAGS = 12
_ADDRESS = re.compile(r"(?i)\bwww\.|://")
_MIN_HEADLINE_WORDS = 3
_MAX_KICKER_CHARS = 60


def _linked_headline_runs(lines: Sequence[str], html: str | lxml.html.HtmlElement | None) -> set[int]:
    """Positions of the lines in runs of linked headline list items (empty without the page's HTML)."""
    candidates = [bool(_LIST_BULLET.match(line)) and _linked_headline_shaped(line) for line in lines]
    paired = {i for i in range(len(lines) - 1) if candidates[i] and candidates[i + 1]}
    paired |= {i + 1 for i in paired}
    if html is None or not paired:
        return set()
    html = _tree(html)
    if html is None:
        return set()
    keys = {i: " ".join(_LIST_BULLET.sub("", lines[i]).split()) for i in sorted(paired)}
    # an item that spells out an address ("Mehr dazu: www.example.org") is a link collection, not a headline
    site = _site_of(html)
    linked = {
        key for key in set(keys.values()) if not _ADDRESS.search(key) and _is_linked_item(html, key, site)
    }
    runs: set[int] = set()
    run: list[int] = []
    short = 0  # items of the run shorter than a headline: a run of them alone is a breadcrumb or a tag list
    for position in [*range(len(lines)), len(lines)]:
        key = keys.get(position, "")
        if key in linked:
            run.append(position)
            short += len(key.split()) < _MIN_HEADLINE_WORDS and not _UNSPACED_SCRIPT.search(key)
            continue
        # headlines only, or short items only (a link collection mixing both is left alone)
        if (not short and _MIN_LINKED_RUN <= len(run) <= _MAX_LISTED_HEADLINES) or (
            short == len(run) and _MIN_LINKED_TAGS <= len(run) <= _MAX_LINKED_TAGS
        ):
            runs.update(run)
        run, short = [], 0
    return runs


def _linked_headline_shaped(line: str) -> bool:
    """A list item that may be a linked headline: short, no full stop at its end, and at most one sentence break
    inside it, which a kicker makes ("Neue Allianz? Europäer reagieren …", "Grillen: Veggie-Wurst und Co. deutlich
    teurer"); the page then has to show it as a link (see _is_linked_item)."""
    stripped = _LIST_BULLET.sub("", line).strip()
    if not _short(stripped) or stripped.endswith((":", "：")) or _FULL_STOP_END.search(stripped):
        return False
    return len(_SENTENCE_BREAK.findall(stripped)) <= 1


def _is_linked_item(root: lxml.html.HtmlElement, key: str, site: frozenset[str]) -> bool:
    """Whether the page has a list item whose whole text is `key` and is one link to another page, or a kicker
    and the link: a kicker ending with a separator or a question ("<strong>Nordkorea:</strong> <a>Kim besucht
    Moskau</a>", "<strong>Neue Allianz?</strong> <a>…</a>"), or one the page sets apart in its own element
    ("<span class="kicker">Crónica</span><a>…</a>"); the last two only with a link to the same site: a list
    linking to shops ("<span>1/2 tsp</span> <a>vanilla extract</a>", linked to a shop) is the article's own."""
    for item in _select(root, "//li[normalize-space(.)=$k]", k=key):
        for link in item.xpath(".//a[@href][not(contains(@href, '#'))]"):
            text = " ".join(link.text_content().split())
            kicker = key[: len(key) - len(text)].strip() if text and key.endswith(text) else None
            if kicker is None or len(kicker) > _MAX_KICKER_CHARS:
                continue
            if not kicker or kicker[-1] in ":|–—":
                return True
            # a question as the kicker, or one in an element of its own, only with a link to the same site
            if _same_site(link.get("href") or "", site) and (
                kicker[-1] in "?!" or _kicker_element(item, link, kicker)
            ):
                return True
    return False


def _kicker_element(item: lxml.html.HtmlElement, link: lxml.html.HtmlElement, kicker: str) -> bool:
    """The kicker is the whole text of an element of the item before the link (no link itself)."""
    for element in item.iter():
        if element is link or element is item:
            continue
        if element in link.iterancestors() or element.tag == "a":
            continue
        if " ".join(element.text_content().split()) == kicker:
            return True
    return False


# --- the article's list of sources -------------------------------------------------------------------

# "Quellen:" / "Sources:" alone on a line (class `sources`) takes the list under it, as a related label takes its
# headlines (rule id: the label's rule + SOURCES_SUFFIX). When the extraction dropped the label (a <div> above the
# list: "<div>Verwendete Quellen</div><ul><li>Eigene Recherche</li>…"), the page shows it: the run of list items
# ending the text that is the whole list of such a labelled <ul>/<ol> goes the same way.
SOURCES_SUFFIX = "+item"
_MAX_SOURCES = 12


def _sources_lists(
    lines: Sequence[str], html: str | lxml.html.HtmlElement | None, rules: Sequence[Rule]
) -> dict[int, str]:
    """Positions of the list-item lines that are a page list labelled as sources, with the label's rule id."""
    # a list of sources ends the article: only the run of items the text ends with is looked up in the page
    return _labelled_lists(lines, html, rules, SOURCES_SUFFIX, _MAX_SOURCES, at_end=True)


def _related_lists(
    lines: Sequence[str], html: str | lxml.html.HtmlElement | None, rules: Sequence[Rule]
) -> dict[int, str]:
    """Positions of the list-item lines that are a page list under a related label the extraction dropped."""
    return _labelled_lists(lines, html, rules, HEADLINES_SUFFIX, _MAX_LISTED_HEADLINES, at_end=False)


def _labelled_lists(
    lines: Sequence[str],
    html: str | lxml.html.HtmlElement | None,
    rules: Sequence[Rule],
    suffix: str,
    most: int,
    at_end: bool,
) -> dict[int, str]:
    """Runs of list-item lines that are the whole of a page's <ul>/<ol> whose element before it is a label of one
    of `rules` alone (the label's rule id + `suffix` for each); with `at_end`, only the run ending the text."""
    if html is None or not rules:
        return {}
    runs: list[list[int]] = []
    for position, line in enumerate(lines):
        if _LIST_BULLET.match(line) and _LIST_BULLET.sub("", line).strip():
            if runs and runs[-1][-1] == position - 1:
                runs[-1].append(position)
            else:
                runs.append([position])
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    runs = [run for run in runs if len(run) <= most and (run[-1] == last or not at_end)]
    if not at_end:  # headlines: each item short enough for one
        runs = [run for run in runs if all(_short(_LIST_BULLET.sub("", lines[i]).strip()) for i in run)]
    if not runs:
        return {}
    html = _tree(html)
    if html is None:
        return {}
    found: dict[int, str] = {}
    for run in runs:
        keys = [" ".join(_LIST_BULLET.sub("", lines[i]).split()) for i in run]
        for item in _select(html, "//li[normalize-space(.)=$k]", k=keys[0]):
            listing = item.getparent()
            if listing is None or listing.tag not in ("ul", "ol"):
                continue
            items = [" ".join(li.text_content().split()) for li in listing.iterchildren("li")]
            label = listing.getprevious()
            text = " ".join(label.text_content().split()) if label is not None else ""
            if at_end:
                rule = next((r for r in rules if text and r.pattern.search(text)), None)
            else:  # a related label alone, not a label with its own headline
                rule = next((r for r in rules if is_bare_label(text) and r.pattern.search(text)), None)
            if rule is not None and items == keys:
                found.update(dict.fromkeys(run, f"{rule.id}{suffix}"))
                break
    return found


# --- the page's declared section -----------------------------------------------------------------------

# "World", "Spor&Skor", "National": the section the page declares (article:section and similar meta, JSON-LD
# articleSection) printed alone on a line is the site's section label, and after the headline in a title it is
# chrome ("… - National | Globalnews.ca").
SECTION_LINE_RULE = "structure.section-label"
_SECTION_META = frozenset({"article:section", "og:section", "section", "parsely-section"})
_MAX_SECTION_CHARS = 40
_MAX_SECTION_WORDS = 4
_SECTION_XPATH = (
    "//meta[@property or @name][contains(@property, 'section') or contains(@name, 'section')]"
    " | //script[@type='application/ld+json'][contains(., 'articleSection')]"
)


def page_sections(html: str | lxml.html.HtmlElement | None) -> frozenset[str]:
    """The sections the page declares, folded ("world", "national"), each comma-separated part too."""
    if html is None:
        return frozenset()
    html = _tree(html)
    if html is None:
        return frozenset()
    found: list[str] = []
    # XPath picks the few elements worth reading (in C): section meta, and JSON-LD naming an articleSection
    for element in html.xpath(_SECTION_XPATH):
        if element.tag == "meta":
            key = (element.get("name") or element.get("property") or "").lower()
            if key in _SECTION_META:
                found.append(element.get("content") or "")
        else:
            try:
                found.extend(_json_ld_values(json.loads(element.text or ""), "articleSection"))
            except (ValueError, RecursionError):
                continue
    values = {" ".join(v.split()) for v in found} | {" ".join(p.split()) for v in found for p in v.split(",")}
    return frozenset(v.casefold() for v in values if v and len(v) <= _MAX_SECTION_CHARS)


def _json_ld_values(data: object, key: str, depth: int = 0) -> list[str]:
    if depth > 6:
        return []
    if isinstance(data, list):
        return [v for item in data for v in _json_ld_values(item, key, depth + 1)]
    if not isinstance(data, dict):
        return []
    value = data.get(key)
    values = [value] if isinstance(value, str) else []
    if isinstance(value, list):
        values = [v for v in value if isinstance(v, str)]
    for nested in ("@graph", "mainEntity", "mainEntityOfPage"):
        if nested in data:
            values += _json_ld_values(data[nested], key, depth + 1)
    return values


# --- a line that is only the page's declared author ---------------------------------------------------

# "Daniel Aragón", "Von Katja Belousova", "박준석 기자 외 1명": a short line that is the author the page declares
# (author meta tags, JSON-LD author names), alone, with a "By" word, or several of them in a list, is a byline.
AUTHOR_LINE_RULE = "structure.author-line"
_AUTHOR_META = frozenset(
    {"author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"}
)
_BY_WORD = re.compile(r"(?i)^(?:by|von|par|por|di|door|av|przez|de|autor(?:in)?:|author:|texto:|text:)\s+")
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|/|&|\band\b|\bund\b|\by\b|\bet\b|\be\b|\bdan\b|\bi\b|、|·)\s*")
_MAX_AUTHOR_LINE_CHARS = 120
_MAX_AUTHOR_WORDS = 12
_MAX_UNSPACED_AUTHOR_CHARS = 12  # "渡辺洋介", "王小明、李华"


# "Jane Roe is a senior editor at …", "Max Muster ist ZDF-Reporterin für …", "Jean Dupont couvre la Russie": a line
# that opens with the page's declared author (after at most two role words: "Korrespondent", "Senior writer")
# followed by a verb of a bio is the author's bio box, not the article (the reviewed bodies never hold one).
AUTHOR_BIO_RULE = "structure.author-bio"
_MAX_BIO_CHARS = 600
_MAX_BIO_NAME_AT = 40
_MAX_BIO_ROLE_WORDS = 2  # role words are titles ("Korrespondent"), never a preposition or an article
_BIO_VERB = re.compile(
    r"(?i)\s*,?\s*(?:is|was|has been|covers|writes|reports|makes|joined|edits|leads|serves|"
    r"ist|war|schreibt|berichtet|arbeitet|leitet|est|écrit|couvre|travaille|es|escribe|cubre|trabaja|è|scrive|"
    r"é|escreve|jest|pisze|je|píše|pracuje)\s"
)
_BIO_CONTINUATION = re.compile(
    r"(?i)(?:is|was|ist|war|est|es|è|é|jest|je) (?:an? |ein |eine |un |une |una |um |uma )?\w"
)
_WORD_GAP = re.compile(r"\S(?=\s)")
_QUOTED = re.compile(r"[\"“”„«»]")


class _Authors:
    """The page's declared authors, read from its HTML only when a line left by the rules is shaped like names."""

    def __init__(self, html: str | lxml.html.HtmlElement | None) -> None:
        self._html = html
        self._names: frozenset[str] | None = None

    def is_byline(self, line: str) -> bool:
        key = " ".join(_LIST_BULLET.sub("", line).split())
        if self._html is None or not key or not _name_shaped(key):
            return False
        if self._names is None:
            self._names = _declared_authors(self._html)
        if not self._names:
            return False
        folded = key.casefold().rstrip(". ")
        if folded in self._names:
            return True
        parts = [p for p in _AUTHOR_SEPARATOR.split(_BY_WORD.sub("", folded)) if p]
        return bool(parts) and all(p in self._names for p in parts)

    def is_bio(self, line: str, after_bio: bool = False) -> bool:
        """A line about the page's declared author: the name (after at most two role words), then a verb
        of a bio ("Jane Roe is a senior editor …", "Korrespondent Max Muster ist bei … für … zuständig"); or,
        right after such a line, the rest of it split off by the extraction ("is a lecturer at …")."""
        key = " ".join(_LIST_BULLET.sub("", line).split())
        if self._html is None or not key or len(key) > _MAX_BIO_CHARS:
            return False
        if after_bio and _BIO_CONTINUATION.match(key):
            return True
        if not key[0].isupper() or _QUOTED.search(key[: _MAX_BIO_NAME_AT + 40]):
            return False
        # a name of two words or more (after at most two role words), then the verb: cheap to test, so most
        # lines never make the page's metadata be read
        starts = [m.end() for m in _WORD_GAP.finditer(key[: _MAX_BIO_NAME_AT + 30])]
        words = key[: _MAX_BIO_NAME_AT + 30].split()
        if not any(
            _BIO_VERB.match(key, at) and all(not w[0].islower() for w in words[i - 1 : i + 1])
            for i, at in enumerate(starts[: _MAX_BIO_ROLE_WORDS + 5])
            if i >= 1
        ):
            return False
        if self._names is None:
            self._names = _declared_authors(self._html)
        folded = key.casefold()
        for name in self._names:
            for one in _AUTHOR_SEPARATOR.split(name):
                at = folded.find(one)
                if len(one.split()) < 2 or at < 0 or at > _MAX_BIO_NAME_AT:
                    continue
                before = key[:at].split()
                roles = len(before) <= _MAX_BIO_ROLE_WORDS and all(len(w) > 3 and w.isalpha() for w in before)
                if roles and _BIO_VERB.match(key[at + len(one) :]):
                    return True
        return False


def _is_section_line(line: str, html: str | lxml.html.HtmlElement | None, state: dict[str, object]) -> bool:
    """A short line that is the page's declared section, and not one of the article's own headings."""
    key = " ".join(_LIST_BULLET.sub("", line).split())
    if html is None or not key or len(key) > _MAX_SECTION_CHARS or len(key.split()) > _MAX_SECTION_WORDS:
        return False
    if _SENTENCE_END.search(key):
        return False
    if "sections" not in state:
        state["sections"] = page_sections(html)
    sections = state["sections"]
    if not isinstance(sections, frozenset) or key.casefold() not in sections:
        return False
    if "page" not in state:
        state["page"] = _PageTexts.of(html)
    page = state["page"]
    return isinstance(page, _PageTexts) and key not in page.own_texts


def _name_shaped(key: str) -> bool:
    """Short, no sentence, and every word of the names capitalised (or of a script without case): only such
    lines are worth looking up, which spares reading the page's metadata for most pages."""
    if len(key) > _MAX_AUTHOR_LINE_CHARS or key.endswith(":") or _SENTENCE_END.search(key.rstrip(".")):
        return False
    if _UNSPACED_SCRIPT.search(key) and len(key) > _MAX_UNSPACED_AUTHOR_CHARS:
        return False
    words = [w for part in _AUTHOR_SEPARATOR.split(_BY_WORD.sub("", key)) for w in part.split()]
    if len(words) < 2 and not _UNSPACED_SCRIPT.search(key):
        return False  # a name has a given name and a surname; one word alone is a heading or a label
    return len(words) <= _MAX_AUTHOR_WORDS and all(w[0].isupper() or not w[0].islower() for w in words)


def _declared_authors(html: str | lxml.html.HtmlElement) -> frozenset[str]:
    """The author names the page declares, folded: meta tags (not profile URLs) and JSON-LD authors."""
    html = _tree(html)
    if html is None:
        return frozenset()
    root = html
    found: list[str] = []
    # one pass over the page's meta and script elements (lxml filters the tags in C)
    for element in root.iter("meta", "script"):
        if element.tag == "meta":
            key = (element.get("name") or element.get("property") or "").lower()
            value = element.get("content") or ""
            if key in _AUTHOR_META and not value.strip().startswith(("http://", "https://")):
                found.append(value)
        elif element.get("type") == "application/ld+json":
            source = element.text or ""
            if '"author"' not in source and '"creator"' not in source:
                continue
            try:
                found.extend(_json_ld_authors(json.loads(source)))
            except (ValueError, RecursionError):
                continue
    return frozenset(n for v in found if len(n := " ".join(v.split()).casefold()) >= _MIN_AUTHOR_CHARS)


_MIN_AUTHOR_CHARS = 2


def _json_ld_authors(data: object, depth: int = 0) -> list[str]:
    if depth > 6:
        return []
    names: list[str] = []
    if isinstance(data, list):
        for item in data:
            names += _json_ld_authors(item, depth + 1)
    elif isinstance(data, dict):
        for author in (data.get("author"), data.get("creator")):
            for one in author if isinstance(author, list) else [author]:
                if isinstance(one, str) and not one.startswith(("http://", "https://")):
                    names.append(one)
                elif isinstance(one, dict) and isinstance(one.get("name"), str):
                    names.append(one["name"])
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                names += _json_ld_authors(data[key], depth + 1)
    return names


def _short(stripped: str) -> bool:
    """Short enough for a headline: characters, words, or characters of a script written without spaces."""
    if not stripped or len(stripped) > _MAX_HEADLINE_CHARS or not _SUBSTANCE.search(stripped):
        return False
    unspaced = len(_UNSPACED_SCRIPT.findall(stripped)) * 2 > len(stripped)
    if unspaced and len(stripped) > _MAX_UNSPACED_HEADLINE_CHARS:
        return False
    return len(stripped.split()) <= _MAX_HEADLINE_WORDS


def is_bare_label(line: str) -> bool:
    """A related-list label alone on its line ("Read also:", "Читайте также", "【関連記事】")."""
    stripped = line.strip()
    return 0 < len(stripped) <= _MAX_LABEL_CHARS and not _LABEL_WITH_TEXT.search(stripped)


def is_headline_like(line: str) -> bool:
    """A short title-like line: one phrase, no full stop at its end, no sentence boundary inside it (what
    decides when the page's HTML is not at hand)."""
    stripped = line.strip()
    if not _short(stripped) or stripped.endswith((":", "：")):
        return False
    return not _FULL_STOP_END.search(stripped) and not _SENTENCE_BREAK.search(stripped)


def _clean_line(line: str, position: int, plan: _Plan) -> tuple[str | None, list[Removal]]:
    """The line after cuts (None when it goes entirely) and the removals made from it."""
    current = line
    cuts: list[Removal] = []
    for _ in range(_MAX_PASSES):
        before = current
        # Exact insertions first, so a paragraph that opens with one keeps the sentences after it.
        for rule, pattern in plan.insertions:
            current = _cut_matches(current, pattern, rule, position, cuts)
        # a list item's bullet ("- Von: …", "• Email: …") is the extractor's, not the site's: rules see past it
        # (no rule needs the bullet: those that allow one before their text make it optional)
        unbulleted = (
            _LIST_BULLET.sub("", current)
            if current[:1] in _BULLET_STARTS or current[:1].isspace()
            else current
        )
        target = unbulleted if unbulleted.strip() else current
        for rule in plan.line_rules:
            if rule.pattern.search(target):
                return None, [Removal(line.strip(), rule.id, position)]
        for rule in plan.inline_rules:
            current = _cut_matches(current, rule.pattern, rule, position, cuts)
        current = _cut_trailing_insertion(current, plan.labels, position, cuts)
        if cuts and not _SUBSTANCE.search(current):
            # Nothing readable left: record the whole line once, under the rule that cut the most.
            main = max(cuts, key=lambda cut: len(cut.snippet))
            return None, [Removal(line.strip(), main.rule, position)]
        if current == before:
            break
    return current, cuts


def _cut_matches(line: str, pattern: re.Pattern[str], rule: Rule, position: int, cuts: list[Removal]) -> str:
    spans = [match.span() for match in pattern.finditer(line) if match.group().strip()]
    for start, end in spans:
        cuts.append(Removal(line[start:end].strip(), rule.id, position))
    return _cut_spans(line, spans) if spans else line


def _cut_trailing_insertion(line: str, labels: Sequence[Labelled], position: int, cuts: list[Removal]) -> str:
    """Cut "label + headlines" ending a content line, when nothing after the label can be content."""
    for rule, label in labels:
        for match in reversed(list(label.finditer(line))):
            start = match.start()
            if start == 0 or not _SENTENCE_END.search(line, 0, start):
                continue
            headlines = line[match.end() :].strip()
            if headlines and (
                len(headlines) > _MAX_HEADLINES_CHARS
                or headlines[-1] in ".。"
                or _SENTENCE_INSIDE.search(headlines)
            ):
                continue
            cuts.append(Removal(line[start:].strip(), rule.id, position))
            return _cut_spans(line, [(start, len(line))])
    return line


def _cut_spans(line: str, spans: Iterable[tuple[int, int]]) -> str:
    """Remove non-overlapping spans, joining what is left around each one."""
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start >= last:
            pieces.append(line[last:start])
            last = end
    pieces.append(line[last:])
    result = pieces[0]
    for piece in pieces[1:]:
        result = _join(result, piece)
    return result


def _join(left: str, right: str) -> str:
    """Join the text around a cut: one of the spaces that stood there survives, none is ever added."""
    left_trimmed, right_trimmed = left.rstrip(), right.lstrip()
    if not left_trimmed or not right_trimmed:
        return left_trimmed + right_trimmed
    spaces = left[len(left_trimmed) :] + right[: len(right) - len(right_trimmed)]
    if spaces and right_trimmed[0] not in _NO_SPACE_BEFORE:
        return left_trimmed + spaces[0] + right_trimmed
    return left_trimmed + right_trimmed


def _needle(label_text: str) -> str:
    """The longest word of a label as the text shows it: any page text node holding that label holds it too."""
    return max(_WORDS.findall(label_text), key=len, default="")


def _insertion_patterns(
    html: str | lxml.html.HtmlElement, labels: Sequence[Labelled], needles: set[str] | None = None
) -> list[Labelled]:
    """Patterns for "label + link texts" as each related-link insertion in the page reads once extracted.

    `html` may be the page already parsed (the extractor's tree), which saves parsing it twice. `needles`
    (words every label occurrence contains) let XPath pick the few text nodes worth looking at.
    """
    if isinstance(html, str):
        try:
            root = lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1))
        except (etree.ParserError, ValueError):
            return []
    else:
        root = html
    found: dict[str, Labelled] = {}
    # Walking text nodes (C-level XPath) instead of every element keeps large pages cheap; with needles, only
    # the nodes that contain one are walked.
    if needles:
        nodes = [n for needle in sorted(needles) for n in _select(root, "//text()[contains(., $n)]", n=needle)]
    else:
        nodes = root.xpath("//text()")
    for node in nodes:
        for rule, label in labels:
            if not label.search(node):
                continue
            owner = node.getparent()
            # "... Baca Juga: <a>..</a>": the label ends a run of text; the links follow it.
            if text_label := _trailing_label(label, node):
                followers = owner.itersiblings() if node.is_tail else owner.iterchildren()
                _add_insertion(found, rule, text_label, _link_texts(followers))
            # <strong>Baca Juga:</strong><a>..</a><a>..</a>: the label is a whole (possibly nested) element.
            element = None if node.is_tail else owner
            while element is not None and element.tag in _INLINE_TAGS:
                whole = " ".join(element.text_content().split())
                if not label.fullmatch(whole):
                    break
                if _is_separator(element.tail):
                    _add_insertion(found, rule, whole, _link_texts(element.itersiblings()))
                element = element.getparent()
    return list(found.values())


def _trailing_label(label: re.Pattern[str], text: str) -> str | None:
    matches = list(label.finditer(text))
    if matches and not text[matches[-1].end() :].strip():
        return matches[-1].group().strip()
    return None


def _link_texts(siblings: Iterable[lxml.html.HtmlElement]) -> list[str]:
    """Texts of the links right after a label, up to the first real text or non-link element."""
    texts: list[str] = []
    for element in siblings:
        if not isinstance(element.tag, str):
            continue
        links = [element] if element.tag == "a" else list(element.iter("a"))
        text = " ".join(element.text_content().split())
        if not links or text != " ".join(" ".join(link.text_content() for link in links).split()):
            break
        if text:
            texts.append(text)
        if not _is_separator(element.tail):
            break
    return texts


def _is_separator(text: str | None) -> bool:
    return not text or _SEPARATOR_ONLY.fullmatch(text) is not None


def _add_insertion(found: dict[str, Labelled], rule: Rule, label: str, links: list[str]) -> None:
    if links:
        source = _LINK_SEPARATOR.join(_loose(piece) for piece in [label, *links])
        found.setdefault(source, (rule, re.compile(source)))


def _loose(piece: str) -> str:
    """The piece as a regex that tolerates the whitespace changes extraction makes."""
    return r"\s*".join(re.escape(word) for word in piece.split())


# --- titles ----------------------------------------------------------------------------------------

TITLE_POSITION = -1  # Removal.position of a cut from the title: the title is not a line of the text
# Titles that are page chrome, not a headline: a theme's placeholder, an error page, a bot check.
_CHROME_TITLE = re.compile(
    r"(?i)^\s*(?:no menu items!?|home|homepage|untitled(?: document)?|page not found|404(?: not found)?|"
    r"just a moment\.*|access denied|attention required!?.*|welcome|index|news|loading\.*|"
    r"startseite|accueil|inicio|главная|beranda|홈|ホーム|首页|trang chủ|ana sayfa|strona główna)\s*$"
)
# Separators between a headline and the site's name: "Headline | Site", "Site - Headline", "Headline « Site",
# and the full-width ones CJK sites write without spaces ("見出し：朝日新聞デジタル", "제목ㅣ한국일보").
_TITLE_SEPARATOR = re.compile(r"(?:\s+(?:\||–|—|-|::|«|»|·|•|\*)\s+|\s*[｜ㅣ：]\s*)")
# A trailing segment that is the page's date or the author, not the headline ("… | DW | 28.04.2023").
_TITLE_TAIL_CHROME = re.compile(
    r"(?i)^(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:by|von|par|por|di|door)\s+[^\W\d_][\w.'’-]*(?:\s+[\w.'’-]+){0,3})$"
)
_FOLD = re.compile(r"[\W_]+")
# the host spells the name in ASCII: "boersen-zeitung.de" for "Börsen-Zeitung", "seznamzpravy.cz" for "Seznam Zprávy"
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# a segment contains the site's name ("Globalnews.ca" for "globalnews") only when little else is in it
_MAX_SITE_EXTRA_CHARS = 12
_MAX_NAMED_WORDS = 3
_MAX_SITE_WORDS = 5


def _fold(text: str) -> str:
    return _FOLD.sub("", text.casefold())


def _folds(text: str) -> set[str]:
    """The folded text, without its accents, and with German umlauts spelt out: the ways a host writes it."""
    folded = text.casefold()
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return {key for key in (_fold(folded), _fold(plain), _fold(folded.translate(_TRANSLITERATION))) if key}


def _is_site(segment: str, site_names: Sequence[str]) -> bool:
    """A title segment that names the site: its og:site_name, or its host without www. and the suffix."""
    if len(segment) > 60:
        return False
    words = [_fold(word) for word in segment.split()]
    # "NTV Haber" on ntv.com.tr, "BBC News" on bbc.com: a short segment that opens with the site's own name
    if len(words) <= _MAX_NAMED_WORDS and words and words[0] in site_names:
        return True
    for key in _folds(segment):
        # "Die Neue Südtiroler Tageszeitung" on tageszeitung.it: a few words that end with the site's name
        if len(words) <= _MAX_SITE_WORDS and any(len(n) >= 6 and key.endswith(n) for n in site_names):
            return True
        for name in site_names:
            if key == name or (len(key) >= 4 and key in name):  # the segment is (part of) the site's name
                return True
            # the segment holds the site's name and little else ("Globalnews.ca"); a short name found inside a
            # headline ("dw" in "Russland-Wahl") does not make it the site's
            if len(name) >= 4 and name in key and len(key) - len(name) <= _MAX_SITE_EXTRA_CHARS:
                return True
    return False


def clean_title(
    title: str | None,
    site: str | None = None,
    host: str | None = None,
    head_title: str | None = None,
    sections: Iterable[str] = (),
) -> tuple[str | None, list[Removal]]:
    """A headline without the site's name or page chrome, and what was cut (rule ids `title.site`,
    `title.chrome`, `title.suffix`).

    Only a segment that names the site (og:site_name or the host) is cut, so "Putin – Kim summit" keeps its
    dash. A title that is nothing but chrome ("No menu items!") becomes None. `head_title` is the page's
    <title> as written: when extraction already dropped its suffix, that cut is recorded too.
    """
    if not title or not title.strip():
        return title, []
    if head_title and head_title != title and head_title.startswith(title):
        suffix = head_title[len(title) :].strip(" |–—-·•:")
        cleaned, removed = clean_title(title, site, host, sections=sections)
        return cleaned, [Removal(suffix, "title.suffix", TITLE_POSITION), *removed] if suffix else removed
    if _CHROME_TITLE.match(title):
        return None, [Removal(title.strip(), "title.chrome", TITLE_POSITION)]
    names = sorted(_folds(site or ""))
    if host:
        labels = host.lower().split(":")[0].removeprefix("www.").split(".")
        names += [_fold(labels[0]), _fold(".".join(labels))] if labels and labels[0] else []
    names = [n for n in names if n]
    folded_sections = {" ".join(x.split()).casefold() for x in sections}
    if not names and not folded_sections:
        return title.strip(), []
    parts = _TITLE_SEPARATOR.split(title.strip())
    removed: list[Removal] = []
    while len(parts) > 1 and (
        _is_site(parts[-1], names)
        or _trailing_chrome(parts, names)
        or _is_section(parts[-1], folded_sections)
    ):
        rule = "title.site" if _is_site(parts[-1], names) else "title.chrome"
        removed.append(Removal(parts.pop(), rule, TITLE_POSITION))
    while len(parts) > 1 and _is_site(parts[0], names):
        removed.append(Removal(parts.pop(0), "title.site", TITLE_POSITION))
    if not removed:
        return title.strip(), []
    # the separators inside the headline are kept as they were
    kept = title.strip()
    for r in removed:
        kept = re.sub(
            rf"^\s*{re.escape(r.snippet)}{_TITLE_SEPARATOR.pattern}|{_TITLE_SEPARATOR.pattern}{re.escape(r.snippet)}\s*$",
            "",
            kept,
        )
    return kept, removed


_SECTION_NEWS = re.compile(r"(?i)\s+(?:news|nachrichten|haberleri)$")


def _is_section(segment: str, sections: set[str]) -> bool:
    """A title segment that is the page's declared section, or that section's news ("Samastipur News")."""
    key = " ".join(segment.split()).casefold()
    return bool(sections) and (key in sections or _SECTION_NEWS.sub("", key) in sections)


def _trailing_chrome(parts: Sequence[str], names: Sequence[str]) -> bool:
    """The last segment is a date or a byline, and a segment before it (not the first) names the site."""
    return bool(_TITLE_TAIL_CHROME.match(parts[-1].strip())) and any(_is_site(p, names) for p in parts[1:-1])
