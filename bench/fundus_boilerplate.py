"""Boilerplate left and content lost on real pages, per language: newsmon's extraction + cleaning beside bare
`trafilatura.extract` on Fundus's parser test pages, against each page's reviewed body.

    uv run python bench/fundus_boilerplate.py PATH [--show N] [--titles]
    # PATH = fundus's tests/resources/parser/test_data

The pages are not newsmon's: they are read from PATH, never copied. Each publisher's JSON holds the reviewed
title and body (summary, headlines, paragraphs) per parser version; versions and pages are paired in date
order, as bench/dates.py does. Lines are matched tolerantly (NFKC, case, quotes, dashes and whitespace
folded): an output line is boilerplate left when it is neither in the reviewed body (as a paragraph, inside
one, or holding one) nor the title or summary; a body paragraph is lost when the output does not contain it.
The language is the one newsmon identifies; newsmon is given the page's canonical address.

Every line left is put in a class (see BOILERPLATE_CLASSES and Facts): boilerplate classes are told by phrase, the
reviewed authors and image credits; "content the reviewed body omits" by facts of the page (its own title or
description, a reviewed caption, a heading or list item without a link, a quote, a paragraph beside the reviewed
ones). Unclassified lines count as boilerplate. `--show N` prints up to N lines per class and language; `--titles`
prints every title that differs from the reviewed one (both extractors' titles are counted).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lxml.html  # noqa: E402
import trafilatura  # noqa: E402
from lxml import etree  # noqa: E402

from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402

_QUOTES = str.maketrans(
    {c: '"' for c in "«»“”„‟‹›「」『』"} | {c: "'" for c in "‘’‚‛`´"} | {c: "-" for c in "–—―‐"}
)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).translate(_INVISIBLE)
    return " ".join(folded.split())


@dataclass
class Page:
    file: str
    html: str
    title: str
    summary: list[str]
    paragraphs: list[str]
    captions: list[str]  # the reviewed images' captions
    credits: list[str]  # the reviewed images' authors ("Noel Celis/Getty Images")
    authors: list[str]  # the reviewed authors


def load(root: Path) -> list[Page]:
    """Every page with a reviewed body, with its reviewed title, summary, paragraphs and image captions."""
    pages = []
    for truth in sorted(root.glob("*/*.json")):
        files = sorted(truth.parent.glob(f"{truth.stem}_*.html.gz"))
        for i, (_, version) in enumerate(sorted(json.loads(truth.read_text(encoding="utf-8")).items())):
            body = version.get("body") or {}
            if i >= len(files) or not isinstance(body, dict):
                continue
            paragraphs = [
                p
                for section in body.get("sections") or []
                for p in [*section.get("headline", []), *section.get("paragraphs", [])]
            ]
            if not paragraphs:
                continue
            html = gzip.decompress(files[i].read_bytes()).decode("utf-8", "replace")
            images = [im for im in version.get("images") or [] if isinstance(im, dict)]
            pages.append(Page(f"{truth.parent.name}/{files[i].name}", html, version.get("title") or "",
                              list(body.get("summary") or []), paragraphs,
                              [c for im in images if (c := im.get("caption") or im.get("description"))],
                              [a for im in images for a in im.get("authors") or [] if isinstance(a, str)],
                              [a for a in version.get("authors") or [] if isinstance(a, str)]))  # fmt: skip
    return pages


def judge(output: str, title: str, summary: list[str], paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(boilerplate lines left, body paragraphs lost) of one output."""
    body = [norm(p) for p in paragraphs if norm(p)]
    known = body + [norm(title)] + [norm(s) for s in summary]
    whole = "\n".join(known)
    lines = [line for line in (norm(x) for x in output.splitlines()) if line]
    left = [line for line in lines if line not in whole and not any(k and k in line for k in known)]
    joined = "\n".join(lines)
    flat = " ".join(lines)
    lost = [p for p in body if p not in joined and p not in flat]
    return left, lost


# --- classes of the lines left -------------------------------------------------------------------------
# Each line left is put in one class, to say what the rules miss and what the reviewed body merely omits. The
# boilerplate classes are recognised by phrase (on the folded line, list bullet stripped); the "content the
# reviewed body omits" classes by objective facts of the page: its own title or description, a reviewed image
# caption, an <h2>-<h6> heading or a <li> without a link, a <blockquote>, a <p> beside the reviewed paragraphs.
_D = r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{1,2}\.? \w+ \d{4}|\w+ \d{1,2},? \d{4}|\d{4}年\d{1,2}月\d{1,2}日)"
_T = r"\d{1,2}[:.h]\d{2}(?:\s*(?:uhr|h|jst|gmt|utc|cet|cest|et|am|pm))?"
BOILERPLATE_CLASSES: list[tuple[str, re.Pattern[str]]] = [
    ("wiki markup", re.compile(r"\[(?:edit|编辑|編集|bearbeiten|modifier)\]")),
    (
        "comment form",
        re.compile(
            r"comment|kommentar|commentaire|comentario|commenting|display name|einloggen|logout|sign up \(it's quick"
            r"|sign in now|bewertung|gefallen\?|コメント|评论|댓글"
        ),
    ),
    (
        "contact the newsroom",
        re.compile(
            r"@[\w-]+\.\w|get in touch|story to tell|hinweise? (?:zum|an)|feedback|melden sie (?:den )?fehler"
            r"|fehler gefunden|contact us|kontakt zur redaktion|tips?@|trenger du noen å snakke med"
        ),
    ),
    (
        "subscribe/follow/share/newsletter/paywall/widget",
        re.compile(
            r"newsletter|sign up|subscribe|abonn|suscri|inscri|whatsapp|social media|instagram|facebook|telegram"
            r"|\bapp\b|news-app|push-nachricht|e-paper|kostenlos testen|réservée aux abonnés|il vous reste"
            r"|会員|有料|購読|登録|読み放題|キャンペーン|フォロー|关注|分享|url이 복사|copy link|कॉपी लिंक|share|teilen"
            r"|unterstütz|spende|support|browser|log in or create|enjoying our latest|access the most recent"
            r"|explore the latest|stay informed|get daily|get real-time|our website is the place|community members"
            r"|weekly .{0,20}newsletter|sport inside|jeden montag|alle zwei wochen|exklusive .{0,30}recherchiert"
            r"|hinter den kulissen|informieren sie sich|testen sie|dein favorit|strenger reguliert|lesekomfort"
            r"|^(?:flecha|完了しました)$|dispositivo|suscripción|invitation-only|trust principles|mehr infos$"
            r"|bitte markieren|zwei klicks|affiliate|provision|commission|unbiased|recommend\w* (?:videos|products)"
        ),
    ),
    (
        "ad label / embed placeholder",
        re.compile(
            r"^(?:anzeige|werbung|advertisement|publicidad|publicité|passer la publicité|embed|article content"
            r"|link zum youtube-inhalt|externer inhalt nicht verfügbar|empfohlener redaktioneller inhalt"
            r"|ein klick für den datenschutz)\b|advertisement .{0,30}continues below|privatsphäre-einstellungen"
            r"|externe inhalt|zur anzeige aktiviere|blitzangebot|preisvergleich|amazon-preis|showpaywall"
            r"|issubscriber|ispaid|^false$|jetzt bei .{0,30}abschliessen|online einkaufen|folgenden links"
            r"|^um .{0,30} zu unterstützen|^vielen dank!?$|capital ist eine partnermarke"
        ),
    ),
    (
        "photo/video credit",
        re.compile(
            r"getty images|shutterstock|^foto|^bild:|\bbild: |^photo|/ ?photo|ảnh:|^imágenes de|\d:\d{2} min\b"
            r"|verfügbar bis|^(?:str|afp|dpa|reuters|ap)/"
        ),
    ),
    (
        "byline/agency sign-off",
        re.compile(
            r"^(?:von|by|par|por|mit|with|avec|con) (?:\w+ )?(?:dpa|afp|ap|reuters|agentur|files|reporting|reports"
            r"|informações|material)|^von [\w.'-]+(?: [\w.'-]+){0,3}(?:, \w+)?$|^(?:mit|with) dpa$|agenturmaterial"
            r"|^\(?quelle: |^quelle:? \w|^quellen:$|^kilde:|^sources?:|associated press writer|additional reporting"
            r"|contributed to this report|^(?:redaktion|übersetzung|faktencheck|autor|autorin|translation|text):"
            r"|übersetzung|^[a-z]{2,5}/[a-z]{2,5}$|^\([a-z]{2,5}\)$|^mdr \(|^\w+ \(\w+\)$|reporter(?:in)? für|ist bei"
            r" \w+ für|is an? (?:assistant |senior |associate |visiting )?(?:\w+ )?(?:editor|writer|reporter|researcher"
            r"|professor|lecturer|journalist)|covers politics|industry veteran|frequent appearances|first published"
            r"|zuerst bei .{0,30}erschienen|im original ist er|maschinelle übersetzung|die autorin$|der autor$"
            r"|^(?:in-redaktion|ku frankfurt)$|gastkommentare|project syndicate|^dieses thema im programm"
            r"|^sendung: |^- - additional|eigene recherchen?$|zitiervorschlag|legal tribune online, \d"
            r"|^with reports from|reported from|^ssi, dan|erstveröffentlichung|fotballekspert$|kommentator i"
        ),
    ),
    (
        "date/time stamp",
        re.compile(
            rf"^(?:(?:\w+, )?{_D}(?:,? {_T})?(?: \(.*更新\))?|(?:stand|veröffentlicht am|aktualisiert am|updated|"
            rf"published|uppdaterad|publicerad|güncelleme)\b.{{0,40}}|{_T}, {_D}|.{{0,20}}\d+ (?:minuten|min)\.? "
            rf"(?:lesezeit|lesen)|lesedauer: .{{0,20}}|- -aktualisiert am|{_D}\s*[•|]\s*güncelleme.{{0,30}}"
            rf"|uppdaterad .{{0,30}}|\d{{1,2}}\.\d{{2}}\.\d{{4}} \d{{1,2}}:\d{{2}}|\d+h\d{{2}} - .{{0,60}})$"
        ),
    ),
    (
        "related label / headlines",
        re.compile(
            r"^(?:ähnliche(?: artikel)?:?|most read.{0,30}|read next:.*|les også:.*|mehr themen.{0,30}|weiterführende"
            r" links|beiträge aus dem forum|recommended videos|more from .{0,30}|popular|おすすめ情報|関連キーワード"
            r"|funda olunye udaba lapha.*|国際ニュースを英語で読む|mehr zum thema.{0,40}|mehr zur lage.{0,60}"
            r"|aktuelle meldungen zu.{0,80}|die wichtigsten news.{0,60}|> .{0,120}|.{0,40}alle entwicklungen im"
            r" newsblog|newsblog: .{0,80}|swipe .{0,40}|>> .{0,160}|→ schwerpunkt|.{0,30}finden sie (?:auch )?im"
            r" wöchentlichen.{0,30})$"
        ),
    ),
    (
        "navigation",
        re.compile(
            r"^(?:hauptinhalt|faq|world|up top|in focus|charted|the outlook|headline|summary|article|článek|- ?|\||̄|"
            r"hindi news|local|bihar|samastipur|etiketler ?:?|haberler -?|spor|futbol|galatasaray|fenerbahçe"
            r"|finanzmärkte|middle east crisis|カテゴリーをフォローする)$"
        ),
    ),
    ("copyright", re.compile(r"^copyright|©|all rights reserved|alle rechte|abonelere sunulan")),
    ('"read more"', re.compile(r"^(?:read more|weiterlesen|lire la suite|leer más|devamını oku)\b")),
]
CONTENT_CLASSES = ("title/lead repeated", "image caption", "subheading", "list item (no link)",
                   "quote or embedded post", "paragraph beside the reviewed ones")  # fmt: skip
UNCLASSIFIED = "unclassified"
_MAX_CUED_WORDS = 30
_BULLET_KEY = re.compile(r"^[-•·*>»▪■►\s]+")
_SENTENCE_KEY = re.compile(r"\w.*[.!?…\"')]$")


@dataclass
class Facts:
    """What a page's HTML and reviewed JSON say about lines the reviewed body does not hold."""

    lead: set[str]
    captions: list[str]
    credits: list[str]
    authors: list[str]
    headings: set[str]
    items: set[str]
    linked: set[str]
    quotes: list[str]
    beside: set[str]

    @classmethod
    def of(cls, page: Page) -> Facts:
        try:
            root = lxml.html.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", page.html, count=1))
        except (etree.ParserError, ValueError):
            root = lxml.html.fromstring("<html></html>")

        def texts(xpath: str) -> set[str]:
            return {t for e in root.xpath(xpath) if (t := norm(e.text_content()))}

        lead = {norm(v) for v in root.xpath(
            "//meta[@property='og:title' or @name='twitter:title' or @property='og:description' or "
            "@name='description' or @name='twitter:description']/@content | //title/text()") if norm(v)}  # fmt: skip
        lead |= texts("//h1")
        body = {norm(p) for p in page.paragraphs}
        beside: set[str] = set()
        for parent in {p.getparent() for p in root.xpath("//p") if norm(p.text_content()) in body}:
            if parent is not None:
                beside |= {t for e in parent if isinstance(e.tag, str) and (t := norm(e.text_content()))}
        return cls(
            lead=lead,
            captions=[norm(c) for c in page.captions] + sorted(texts("//figcaption")),
            credits=[norm(c) for c in page.credits if norm(c)],
            authors=[norm(a) for a in page.authors if len(norm(a)) >= 4],
            headings=texts(
                "//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6][not(.//a)][not(ancestor::a)]"
            ),
            items=texts("//li[not(.//a)]"),
            linked=texts("//a | //li[.//a]"),
            quotes=sorted(texts("//blockquote | //q")),
            beside=beside - body,
        )

    def classify(self, line: str) -> str:
        key = _BULLET_KEY.sub("", line).strip()
        if any(c and (c in key or key in c) for c in self.credits if len(c) >= 4):
            return "photo/video credit"
        # a line that is the reviewed authors' names, alone or with a role ("Fatma Sevinç Çetin", "박준석 기자 외 1명")
        if any(a in key for a in self.authors) and len(key) <= 80:
            return "byline/agency sign-off"
        # the phrases are cues, not rules: a long paragraph that mentions "support" or "share" is not a widget
        if len(key.split()) <= _MAX_CUED_WORDS:
            for name, pattern in BOILERPLATE_CLASSES:
                if pattern.search(key):
                    return name
        inside = lambda texts: key in texts or (len(key) >= 20 and any(key in t for t in texts))  # noqa: E731
        if inside(self.linked) and not inside(self.beside):
            return "related label / headlines"
        if inside(self.lead):
            return CONTENT_CLASSES[0]
        if inside(self.captions):
            return CONTENT_CLASSES[1]
        if key in self.headings:
            return CONTENT_CLASSES[2]
        if key in self.items:
            return CONTENT_CLASSES[3]
        if inside(self.quotes):
            return CONTENT_CLASSES[4]
        if inside(self.beside) and _SENTENCE_KEY.search(key):
            return CONTENT_CLASSES[5]
        return UNCLASSIFIED


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path)
    ap.add_argument("--show", type=int, default=0, help="print up to N lines left per class and language")
    ap.add_argument(
        "--titles", action="store_true", help="print every title that differs from the reviewed one"
    )
    args = ap.parse_args()
    topic, rules = load_topic(), load_rules()
    names = ("newsmon", "trafilatura")
    per = {name: {"pages": Counter(), "left_pages": Counter(), "left": Counter(), "lost_pages": Counter(),
                  "lost": Counter(), "left_pages_bp": Counter(), "left_bp": Counter()} for name in names}  # fmt: skip
    classes = {name: Counter() for name in names}  # (class, language) -> lines
    shown: dict[tuple[str, str], list[str]] = {}
    titles: Counter = Counter()  # (how newsmon's title compares with the reviewed one, extractor)
    title_lines: list[str] = []
    for page in load(args.path):
        raw = RawPage(url=page_url(page.html), final_url=None, html=page.html, fetched_at=datetime.now(UTC))
        item = analyse(raw, topic, rules)
        language = item.page.language or "?"
        facts = Facts.of(page)
        bare = trafilatura.bare_extraction(page.html, with_metadata=True)
        bare_title = (
            bare.title if bare is not None and not isinstance(bare, dict) else (bare or {}).get("title")
        ) or ""
        for name, got in (("newsmon", item.page.title or ""), ("trafilatura", bare_title)):
            verdict = compare_titles(got, page.title)
            titles[verdict, name] += 1
            if name == "newsmon" and verdict != "same":
                title_lines.append(f"  {verdict:28} {page.file}: {got!r} | reviewed {page.title!r}")
        outputs = {"newsmon": item.text or "", "trafilatura": trafilatura.extract(page.html) or ""}
        for name, output in outputs.items():
            left, lost = judge(output, page.title, page.summary, page.paragraphs)
            kinds = [facts.classify(line) for line in left]
            boilerplate = [k for k in kinds if k not in CONTENT_CLASSES]
            figures = per[name]
            figures["pages"][language] += 1
            figures["left_pages"][language] += bool(left)
            figures["left"][language] += len(left)
            figures["left_pages_bp"][language] += bool(boilerplate)
            figures["left_bp"][language] += len(boilerplate)
            figures["lost_pages"][language] += bool(lost)
            figures["lost"][language] += len(lost)
            for kind in kinds:
                classes[name][kind, language] += 1
            if name == "newsmon":
                for kind, line in zip(kinds, left, strict=True):
                    shown.setdefault((kind, language), []).append(f"{page.file}: {line[:110]}")
    print("per language: pages | newsmon: pages with a line left (lines), the same without the lines of content "
          "the reviewed body omits, pages with content lost (paragraphs) | bare trafilatura.extract: the same")  # fmt: skip
    n, t = per["newsmon"], per["trafilatura"]
    for language in sorted(n["pages"]) + ["all"]:

        def get(c: Counter, language: str = language) -> int:
            return sum(c.values()) if language == "all" else c[language]

        def row(f: dict[str, Counter]) -> str:
            return (f"left {get(f['left_pages']):3d} ({get(f['left']):4d}) boilerplate {get(f['left_pages_bp']):3d} "
                    f"({get(f['left_bp']):4d}) lost {get(f['lost_pages']):3d} ({get(f['lost']):4d})")  # fmt: skip

        print(f"  {language:4} {get(n['pages']):4d} | newsmon {row(n)} | trafilatura {row(t)}")
    total = sum(n["pages"].values())
    for name, figures in per.items():
        print(f"{name:12} pages with a line left {sum(figures['left_pages'].values()) / total:.1%}, with a "
              f"boilerplate line left {sum(figures['left_pages_bp'].values()) / total:.1%}, with a content "
              f"paragraph lost {sum(figures['lost_pages'].values()) / total:.1%}")  # fmt: skip
    print("lines left per class (newsmon | trafilatura), languages with newsmon's count:")
    order = [name for name, _ in BOILERPLATE_CLASSES] + [
        "related label / headlines",
        UNCLASSIFIED,
        *CONTENT_CLASSES,
    ]
    for kind in dict.fromkeys(order):
        mine = {lang: c for (k, lang), c in classes["newsmon"].items() if k == kind}
        theirs = sum(c for (k, _), c in classes["trafilatura"].items() if k == kind)
        content = " (content the reviewed body omits)" if kind in CONTENT_CLASSES else ""
        langs = ", ".join(f"{lang} {c}" for lang, c in sorted(mine.items(), key=lambda x: -x[1]))
        print(f"  {kind:50} {sum(mine.values()):4d} | {theirs:4d}{content}  [{langs}]")
    print("titles against the reviewed title (newsmon | trafilatura's metadata title):")
    for verdict in TITLE_VERDICTS:
        print(f"  {verdict:28} {titles[verdict, 'newsmon']:4d} | {titles[verdict, 'trafilatura']:4d}")
    if args.titles:
        print("\n".join(sorted(title_lines)))
    if args.show:
        for kind, language in sorted(shown, key=lambda x: (order.index(x[0]), x[1])):
            for line in shown[kind, language][: args.show]:
                print(f"  [{kind} | {language}] {line}")


TITLE_VERDICTS = ("same", "longer: chrome left", "shorter: headline cut", "different", "missing")


def compare_titles(got: str, reviewed: str) -> str:
    """How a title compares with the reviewed one, folded as the lines are."""
    mine, theirs = norm(got), norm(reviewed)
    if not mine:
        return "missing"
    if mine == theirs:
        return "same"
    if theirs and theirs in mine:
        return "longer: chrome left"
    if mine in theirs:
        return "shorter: headline cut"
    return "different"


def page_url(html: str) -> str:
    """The page's own address (canonical link or og:url), so titles are cleaned of the right site's name."""
    found = re.search(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"'](https?://[^\"']+)", html) or re.search(
        r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"'](https?://[^\"']+)", html)  # fmt: skip
    return found.group(1) if found else "https://example.org/article"


if __name__ == "__main__":
    main()
