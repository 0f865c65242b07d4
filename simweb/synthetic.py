"""A synthetic web of N on-topic articles over H loopback hosts, for scale benchmarks (bench/scale.py).

Unlike the hand-written publishers of `simweb.content`, pages here are generated from a seed and an article
number when they are requested, so 100k articles never sit in memory. Article `i` lives on host `i % H`; its
text is drawn from per-language sentence banks with slots filled by a generator seeded with `(seed, i)`, so every
article is different enough that dedupe keeps them apart, and the same article is the same bytes on every run.
A small share of pages are, by design, exact copies of an earlier article on another host (syndication: they
must end as duplicates) or off-topic (they must end as irrelevant); `truth()` counts them.

Each host serves `robots.txt`, a news sitemap of all its pages (conditional GET: ETag and Last-Modified, so a
second run finds nothing new) and its article pages. Responses are not paced by the server: pacing is the
client's (the sources' `delay`).
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from types import TracebackType
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from simweb.httpbase import KeepAliveHandler, QuietServer
from tasks.models import Source

FIRST_HOST = 100  # host h listens on 127.0.0.<FIRST_HOST + h> (the demo's publishers start at .10)
SITEMAP_PATH = "/sitemap-news.xml"
START = datetime(2024, 6, 19, 6, 0, tzinfo=UTC)  # the treaty is signed; pages are spread from here
SPAN_DAYS = 160
LANGUAGES = ("en", "de", "fr", "es", "ru")
_ARTICLE_PATH = re.compile(r"^/(?P<section>[a-z]+)/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-(?P<i>\d+)\.html$")

# --- what articles say -----------------------------------------------------------------------------------
# Slots: {city} {n} {m} {month} {name} {org} {weapon} {place}. Titles name Russia, North Korea and the pact or
# the military so that relevance passes; sentences carry the topic's words at varying density.

_BANK: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": (
            "Russia and North Korea {verb} treaty talks as {name} visits {city}",
            "North Korea sends {n} more troops to Russia, {org} says",
            "{name}: Russia–North Korea pact changes the balance in {place}",
            "Kremlin and Pyongyang mark {n} days of their defence treaty in {city}",
        ),
        "verb": ("resume", "extend", "deepen", "review", "defend"),
        "sentence": (
            "Officials in {city} said on {month} {n} that the treaty between Russia and North Korea had entered a new phase.",
            "{name} told reporters that at least {n} North Korean soldiers were now stationed near {place}.",
            "According to {org}, shipments of {weapon} from Pyongyang rose by {m} percent over {n} weeks.",
            "The mutual defence clause, signed by Putin and Kim Jong Un in June, was cited {m} times in {city}.",
            "Analysts at {org} estimated that {n} rail cars of {weapon} crossed the border near {place}.",
            "A delegation of {m} officials from Moscow arrived in Pyongyang to discuss the partnership, {name} said.",
            "Satellite images reviewed by {org} showed {n} new depots around {place}.",
            "{name} described the alliance as a response to sanctions, speaking in {city} on {month} {m}.",
            "The State Duma ratified the agreement after {n} minutes of debate, with {m} deputies present.",
            "Ukrainian officials reported fighting involving North Korean units near {place} for the {m}th day.",
            "Diplomats in {city} said the arms transfers violate {n} United Nations resolutions.",
            "{org} counted {n} flights between Vladivostok and Pyongyang in {month} alone.",
            "Residents of {place} described convoys of {weapon} passing through at night, {name} reported.",
            "The foreign ministry in Seoul summoned the Russian ambassador for the {m}th time this year.",
        ),
        "offtitle": ("Weather in {city}: {n} millimetres of rain expected", "{city} opens {n} new bus lines"),
        "offsentence": (
            "Forecasters in {city} expect {n} millimetres of rain on {month} {m}.",
            "The council approved {n} new parking spaces near the central station of {city}.",
            "Local bakeries in {city} reported {m} percent more customers during the festival.",
            "{name} won the regional chess tournament after {n} rounds.",
            "The museum in {city} will stay open until {m} o'clock on weekends.",
        ),
        "months": ("June", "July", "August", "September", "October", "November"),
    },
    "de": {
        "title": (
            "Russland und Nordkorea {verb} ihren Vertrag – {name} in {city}",
            "Nordkorea schickt {n} weitere Soldaten nach Russland, meldet {org}",
            "{name}: Der Pakt zwischen Moskau und Pjöngjang verändert {place}",
        ),
        "verb": ("vertiefen", "erweitern", "verteidigen", "prüfen"),
        "sentence": (
            "Beamte in {city} erklärten am {m}. {month}, der Vertrag zwischen Russland und Nordkorea gehe in eine neue Phase.",
            "{name} sagte, mindestens {n} nordkoreanische Soldaten seien inzwischen bei {place} stationiert.",
            "Nach Angaben von {org} stiegen die Lieferungen von {weapon} aus Pjöngjang um {m} Prozent.",
            "Die Beistandsklausel, von Putin und Kim Jong Un im Juni unterzeichnet, wurde in {city} {m} Mal zitiert.",
            "Fachleute von {org} schätzen, dass {n} Güterwagen mit {weapon} die Grenze bei {place} passierten.",
            "Eine Delegation von {m} Beamten aus Moskau traf in Pjöngjang ein, berichtete {name}.",
            "Satellitenbilder, die {org} ausgewertet hat, zeigen {n} neue Lager rund um {place}.",
            "{name} nannte das Bündnis in {city} eine Antwort auf die Sanktionen.",
            "Die Duma ratifizierte das Abkommen nach {n} Minuten Debatte mit {m} Abgeordneten.",
            "Ukrainische Stellen meldeten den {m}. Tag in Folge Kämpfe mit nordkoreanischen Truppen bei {place}.",
            "Diplomaten in {city} sagten, die Waffenlieferungen verletzten {n} Resolutionen der Vereinten Nationen.",
            "{org} zählte im {month} {n} Flüge zwischen Wladiwostok und Pjöngjang.",
        ),
        "offtitle": ("Wetter in {city}: {n} Millimeter Regen erwartet", "{city} eröffnet {n} neue Buslinien"),
        "offsentence": (
            "Meteorologen in {city} erwarten am {m}. {month} {n} Millimeter Regen.",
            "Der Stadtrat von {city} genehmigte {n} neue Parkplätze am Bahnhof.",
            "Bäckereien in {city} meldeten während des Festes {m} Prozent mehr Kundschaft.",
            "{name} gewann das regionale Schachturnier nach {n} Runden.",
        ),
        "months": ("Juni", "Juli", "August", "September", "Oktober", "November"),
    },
    "fr": {
        "title": (
            "La Russie et la Corée du Nord {verb} leur traité, {name} à {city}",
            "La Corée du Nord envoie {n} soldats de plus en Russie, selon {org}",
            "{name} : le pacte entre Moscou et Pyongyang change la donne à {place}",
        ),
        "verb": ("renforcent", "prolongent", "défendent", "réexaminent"),
        "sentence": (
            "Des responsables à {city} ont déclaré le {m} {month} que le traité entre la Russie et la Corée du Nord entrait dans une nouvelle phase.",
            "{name} a affirmé qu'au moins {n} soldats nord-coréens étaient stationnés près de {place}.",
            "Selon {org}, les livraisons de {weapon} depuis Pyongyang ont augmenté de {m} pour cent.",
            "La clause de défense mutuelle, signée par Poutine et Kim Jong Un en juin, a été citée {m} fois à {city}.",
            "Les analystes de {org} estiment que {n} wagons de {weapon} ont franchi la frontière près de {place}.",
            "Une délégation de {m} responsables venus de Moscou est arrivée à Pyongyang, a indiqué {name}.",
            "Des images satellites analysées par {org} montrent {n} nouveaux dépôts autour de {place}.",
            "{name} a qualifié l'alliance de réponse aux sanctions, lors d'un discours à {city}.",
            "La Douma a ratifié l'accord après {n} minutes de débat, en présence de {m} députés.",
            "Kiev signale des combats impliquant des troupes nord-coréennes près de {place} pour le {m}e jour.",
            "Des diplomates à {city} estiment que ces transferts d'armes violent {n} résolutions des Nations unies.",
        ),
        "offtitle": (
            "Météo à {city} : {n} millimètres de pluie attendus",
            "{city} ouvre {n} nouvelles lignes de bus",
        ),
        "offsentence": (
            "Les prévisionnistes de {city} attendent {n} millimètres de pluie le {m} {month}.",
            "Le conseil municipal de {city} a approuvé {n} nouvelles places de stationnement.",
            "Les boulangeries de {city} ont vu {m} pour cent de clients en plus pendant la fête.",
            "{name} a remporté le tournoi régional d'échecs après {n} rondes.",
        ),
        "months": ("juin", "juillet", "août", "septembre", "octobre", "novembre"),
    },
    "es": {
        "title": (
            "Rusia y Corea del Norte {verb} su tratado, {name} en {city}",
            "Corea del Norte envía {n} soldados más a Rusia, según {org}",
            "{name}: el pacto entre Moscú y Pyongyang cambia el panorama en {place}",
        ),
        "verb": ("amplían", "refuerzan", "defienden", "revisan"),
        "sentence": (
            "Funcionarios en {city} dijeron el {m} de {month} que el tratado entre Rusia y Corea del Norte entraba en una nueva fase.",
            "{name} afirmó que al menos {n} soldados norcoreanos estaban desplegados cerca de {place}.",
            "Según {org}, los envíos de {weapon} desde Pyongyang aumentaron un {m} por ciento.",
            "La cláusula de defensa mutua, firmada por Putin y Kim Jong Un en junio, se citó {m} veces en {city}.",
            "Analistas de {org} calculan que {n} vagones de {weapon} cruzaron la frontera cerca de {place}.",
            "Una delegación de {m} funcionarios de Moscú llegó a Pyongyang, informó {name}.",
            "Imágenes de satélite revisadas por {org} muestran {n} nuevos depósitos alrededor de {place}.",
            "{name} calificó la alianza de respuesta a las sanciones durante un discurso en {city}.",
            "La Duma ratificó el acuerdo tras {n} minutos de debate con {m} diputados presentes.",
            "Kiev informó de combates con tropas norcoreanas cerca de {place} por {m}º día consecutivo.",
            "Diplomáticos en {city} dijeron que el envío de armas viola {n} resoluciones de Naciones Unidas.",
        ),
        "offtitle": (
            "El tiempo en {city}: se esperan {n} litros de lluvia",
            "{city} abre {n} nuevas líneas de autobús",
        ),
        "offsentence": (
            "Los meteorólogos de {city} esperan {n} litros de lluvia el {m} de {month}.",
            "El ayuntamiento de {city} aprobó {n} nuevas plazas de aparcamiento.",
            "Las panaderías de {city} registraron un {m} por ciento más de clientes durante la fiesta.",
            "{name} ganó el torneo regional de ajedrez tras {n} rondas.",
        ),
        "months": ("junio", "julio", "agosto", "septiembre", "octubre", "noviembre"),
    },
    "ru": {
        "title": (
            "Россия и КНДР {verb} договор: {name} в городе {city}",
            "КНДР направит в Россию ещё {n} военнослужащих, сообщает {org}",
            "{name}: договор Москвы и Пхеньяна меняет ситуацию в районе {place}",
        ),
        "verb": ("расширяют", "укрепляют", "обсуждают", "продлевают"),
        "sentence": (
            "Официальные лица в городе {city} заявили {m} {month}, что договор России и КНДР вступил в новую фазу.",
            "{name} сообщил, что не менее {n} северокорейских военнослужащих находятся в районе {place}.",
            "По данным {org}, поставки {weapon} из Пхеньяна выросли на {m} процентов.",
            "Статью о взаимной помощи, подписанную Путиным и Ким Чен Ыном в июне, в городе {city} упоминали {m} раз.",
            "Эксперты {org} считают, что {n} вагонов с {weapon} пересекли границу у {place}.",
            "Делегация из {m} чиновников Москвы прибыла в Пхеньян, рассказал {name}.",
            "Спутниковые снимки, изученные {org}, показывают {n} новых складов у {place}.",
            "{name} назвал союз ответом на санкции, выступая в городе {city}.",
            "Госдума ратифицировала соглашение после {n} минут обсуждения, присутствовали {m} депутатов.",
            "Украинская сторона сообщила о боях с участием войск КНДР у {place} уже {m} день подряд.",
        ),
        "offtitle": (
            "Погода в городе {city}: ожидается {n} миллиметров осадков",
            "В городе {city} открыли {n} новых автобусных маршрутов",
        ),
        "offsentence": (
            "Синоптики в городе {city} ожидают {n} миллиметров осадков {m} {month}.",
            "Городской совет {city} одобрил {n} новых парковочных мест у вокзала.",
            "Пекарни города {city} сообщили о росте числа покупателей на {m} процентов.",
            "{name} выиграл региональный шахматный турнир после {n} туров.",
        ),
        "months": ("июня", "июля", "августа", "сентября", "октября", "ноября"),
    },
}
# fmt: off
_CITIES = (
    "Seoul", "Tokyo", "Berlin", "Geneva", "Vienna", "Warsaw", "Helsinki", "Tallinn", "Riga", "Vilnius",
    "Prague", "Oslo", "Madrid", "Lisbon", "Rome", "Brussels", "Ankara", "Beijing", "Jakarta", "Canberra",
)
_PLACES = (
    "Kursk", "Belgorod", "Sudzha", "Rason", "Khasan", "Vladivostok", "Chongjin", "Nampo", "Wonsan",
    "Kharkiv", "Donetsk", "Bryansk", "Tumangang", "Sinuiju", "Hamhung",
)
_GIVEN = ("Anna", "Jonas", "Marta", "Pavel", "Lea", "Tomas", "Ines", "Oleg", "Sofia", "Mikko", "Hana", "Luis")
_FAMILY = ("Berg", "Novak", "Costa", "Lindqvist", "Moreau", "Petrov", "Kowalski", "Santos", "Weber", "Park")
_ORGS = (
    "the Institute for Strategic Studies", "Open Source Monitor", "the Northeast Asia Desk",
    "Conflict Observatory", "the Border Research Group", "Arms Flow Watch", "the Pacific Security Forum",
)
_WEAPONS = ("artillery shells", "ballistic missiles", "ammunition", "rocket launchers", "howitzers", "drones")
_SECTIONS = ("world", "politics", "asia", "europe", "security")
_SLUG_WORDS = (
    "russia", "north-korea", "treaty", "troops", "kursk", "pact", "arms", "talks", "border", "defence",
)
# fmt: on


@dataclass(frozen=True)
class SynthPage:
    i: int
    host: int
    path: str
    published: datetime
    language: str
    kind: str  # "article" | "duplicate" (an exact copy of `original`) | "offtopic"
    original: int | None = None


@dataclass
class SynthTruth:
    pages: int
    articles: int  # pages that must end as loaded articles
    duplicates: int
    offtopic: int
    per_host: list[int] = field(default_factory=list)


class SyntheticCorpus:
    """The pages of a synthetic web, computed from (seed, i) on demand: nothing is stored per page."""

    def __init__(
        self, n: int, hosts: int, seed: int = 0, duplicate_share: float = 0.01, offtopic_share: float = 0.02
    ):
        if n < 1 or hosts < 1:
            raise ValueError("a synthetic web needs at least one article and one host")
        if hosts > 150:
            raise ValueError("at most 150 hosts (127.0.0.100-249)")
        self.n, self.hosts, self.seed = n, hosts, seed
        self.duplicate_share, self.offtopic_share = duplicate_share, offtopic_share

    # --- pages -----------------------------------------------------------------------------------------
    def _rng(self, i: int, salt: str = "") -> random.Random:
        digest = hashlib.blake2b(f"{self.seed}:{i}:{salt}".encode(), digest_size=8).digest()
        return random.Random(int.from_bytes(digest, "big"))

    def _kind(self, i: int) -> str:
        u = self._rng(i, "kind").random()
        if i >= self.hosts and u < self.duplicate_share:
            return "duplicate"
        if u >= 1 - self.offtopic_share:
            return "offtopic"
        return "article"

    def _original(self, i: int) -> int | None:
        """The nearest earlier on-topic article on another host of the same language: what a duplicate copies."""
        for j in range(i - 1, -1, -1):
            other = j % self.hosts
            if (
                other != i % self.hosts
                and self.language(other) == self.language(i % self.hosts)
                and (self._kind(j) == "article")
            ):
                return j
        return None

    def _published(self, i: int) -> datetime:
        # spread evenly over the span, in article order, with a seeded minute of the day
        day = START + timedelta(seconds=int(i * SPAN_DAYS * 86400 / max(1, self.n)))
        return day.replace(second=0, microsecond=0) + timedelta(minutes=self._rng(i, "t").randrange(60))

    def page(self, i: int) -> SynthPage:
        if not 0 <= i < self.n:
            raise IndexError(i)
        kind = self._kind(i)
        original = self._original(i) if kind == "duplicate" else None
        if kind == "duplicate" and original is None:
            kind = "article"
        host = i % self.hosts
        published = self._published(i)
        if original is not None:  # a copy appears after its original
            published = max(published, self._published(original) + timedelta(hours=6))
        rng = self._rng(i, "path")
        words = "-".join(rng.sample(_SLUG_WORDS, 3))
        path = f"/{rng.choice(_SECTIONS)}/{published:%Y/%m/%d}/{words}-{i}.html"
        return SynthPage(i, host, path, published, self.language(host), kind, original)

    def language(self, host: int) -> str:
        """Hosts come in pairs per language (0 and 1 English, 2 and 3 German, ...), so copies have a second home."""
        return LANGUAGES[(host // 2) % len(LANGUAGES)]

    def host_pages(self, host: int) -> range:
        return range(host, self.n, self.hosts)

    def index_of(self, host: int, path: str) -> int | None:
        match = _ARTICLE_PATH.match(path)
        if match is None:
            return None
        i = int(match["i"])
        if i >= self.n or i % self.hosts != host or self.page(i).path != path:
            return None
        return i

    def truth(self) -> SynthTruth:
        kinds = Counter(self.page(i).kind for i in range(self.n))
        return SynthTruth(
            pages=self.n,
            articles=kinds["article"],
            duplicates=kinds["duplicate"],
            offtopic=kinds["offtopic"],
            per_host=[len(self.host_pages(h)) for h in range(self.hosts)],
        )

    # --- text ------------------------------------------------------------------------------------------
    def article(self, i: int) -> tuple[str, list[str], str]:
        """(title, paragraphs, author) of page `i`; a duplicate has its original's title and text."""
        page = self.page(i)
        source = page.original if page.original is not None else i
        lang = page.language
        rng = self._rng(source, "text")
        bank = _BANK[lang]
        off = page.kind == "offtopic"
        fill = _filler(rng, bank)

        title = fill(rng.choice(bank["offtitle" if off else "title"]))
        sentences = bank["offsentence" if off else "sentence"]
        paragraphs = []
        for _ in range(rng.randrange(6, 11)):
            picked = [fill(rng.choice(sentences)) for _ in range(rng.randrange(2, 5))]
            # a serial number makes every paragraph this article's own (no two pages share a body line)
            picked.append(_reference(lang, source, len(paragraphs), rng))
            paragraphs.append(" ".join(picked))
        author = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
        return title, paragraphs, author

    def title(self, i: int) -> str:
        """The title alone (the first thing `article` draws), for link lists."""
        page = self.page(i)
        source = page.original if page.original is not None else i
        rng = self._rng(source, "text")
        bank = _BANK[page.language]
        return _filler(rng, bank)(rng.choice(bank["offtitle" if page.kind == "offtopic" else "title"]))

    def html(self, i: int, base_url: str) -> str:
        page = self.page(i)
        title, paragraphs, author = self.article(i)
        site = f"Synthetic Times {page.host}"
        related = [self.page(j) for j in _neighbours(i, self.n, self.hosts)]
        nav = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in _SECTIONS)
        most_read = "".join(f'<li><a href="{p.path}">{escape(self.title(p.i))}</a></li>' for p in related)
        body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        stamp = page.published.isoformat()
        return f"""<!DOCTYPE html>
<html lang="{page.language}">
<head>
<meta charset="utf-8">
<title>{escape(title)} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{escape(title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{stamp}">
<meta name="author" content="{escape(author)}">
<link rel="canonical" href="{base_url}{page.path}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article", "id": {i}}});</script>
</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Privacy policy</a></div>
<header class="site-header"><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<main>
<article>
<h1>{escape(title)}</h1>
<div class="byline">By <span class="author">{escape(author)}</span>
<time datetime="{stamp}">{page.published:%d %B %Y, %H:%M}</time></div>
<div class="article-body">
{body}
</div>
<div class="share">Share this article: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
</article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
</main>
<footer><p>&copy; 2024 {site}. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li></ul>
</footer>
</body>
</html>
"""

    def sitemap(self, host: int, base_url: str) -> str:
        lang = self.language(host)
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        ]
        for i in self.host_pages(host):
            page = self.page(i)
            stamp = page.published.isoformat()
            parts.append(
                f"<url><loc>{xml_escape(base_url + page.path)}</loc><lastmod>{stamp}</lastmod>"
                f"<news:news><news:publication><news:name>Synthetic Times {host}</news:name>"
                f"<news:language>{lang}</news:language></news:publication>"
                f"<news:publication_date>{stamp}</news:publication_date></news:news></url>\n"
            )
        parts.append("</urlset>\n")
        return "".join(parts)

    def last_modified(self, host: int) -> datetime:
        return max((self.page(i).published for i in self.host_pages(host)), default=START)


_REFERENCE = {
    "en": "File {a}-{b} was last updated {c} minutes after publication.",
    "de": "Meldung {a}-{b} wurde {c} Minuten nach Erscheinen aktualisiert.",
    "fr": "La dépêche {a}-{b} a été mise à jour {c} minutes après sa parution.",
    "es": "La nota {a}-{b} se actualizó {c} minutos después de su publicación.",
    "ru": "Материал {a}-{b} обновлён через {c} минут после публикации.",
}


def _filler(rng: random.Random, bank: dict[str, tuple[str, ...]]):
    def fill(template: str) -> str:
        return template.format(
            city=rng.choice(_CITIES),
            place=rng.choice(_PLACES),
            n=rng.randrange(2, 9000),
            m=rng.randrange(2, 31),
            month=rng.choice(bank["months"]),
            name=f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
            org=rng.choice(_ORGS),
            weapon=rng.choice(_WEAPONS),
            verb=rng.choice(bank["verb"]),
        )

    return fill


def _reference(lang: str, i: int, paragraph: int, rng: random.Random) -> str:
    return _REFERENCE[lang].format(a=i, b=paragraph + 1, c=rng.randrange(1, 500))


def _neighbours(i: int, n: int, hosts: int) -> list[int]:
    """Five other pages of the same host, for the "most read" box (chrome that changes from page to page)."""
    same = [j for j in (i - hosts * k for k in (1, 2, 3, 4, 5)) if j >= 0]
    same += [j for j in (i + hosts * k for k in (1, 2, 3, 4, 5)) if j < n]
    return same[:5]


# --- serving it -----------------------------------------------------------------------------------------


@dataclass
class HostStats:
    """Article requests a host answered: how many and when the first and the last came (monotonic seconds)."""

    articles: int = 0
    first: float | None = None
    last: float | None = None


class _Server(QuietServer):
    def __init__(self, address: tuple[str, int], web: SyntheticWeb, host: int) -> None:
        super().__init__(address, _Handler)
        self.web, self.host = web, host
        bound, port = self.server_address[:2]
        self.base_url = f"http://{bound}:{port}"
        self.stats = HostStats()
        self.stats_lock = threading.Lock()


class _Handler(KeepAliveHandler):
    server_version = "synthweb"
    server: _Server

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        corpus, host, base = self.server.web.corpus, self.server.host, self.server.base_url
        path = urlsplit(self.path).path
        headers: dict[str, str] = {}
        if path == "/robots.txt":
            status, ctype, text = (
                200,
                "text/plain",
                f"User-agent: *\nDisallow: /search\n\nSitemap: {base}{SITEMAP_PATH}\n",
            )
        elif path == SITEMAP_PATH:
            modified = corpus.last_modified(host)
            etag = f'"{corpus.seed}-{corpus.n}-{corpus.hosts}-{host}"'
            headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
            if self.headers.get("If-None-Match") == etag:
                self._send(304, "application/xml", b"", headers, head=True)
                return
            status, ctype, text = 200, "application/xml", corpus.sitemap(host, base)
        else:
            i = corpus.index_of(host, path)
            if i is None:
                status, ctype, text = 404, "text/html", "<html><body><h1>Not found</h1></body></html>"
            else:
                status, ctype, text = 200, "text/html", corpus.html(i, base)
                now = time.monotonic()
                with self.server.stats_lock:
                    stats = self.server.stats
                    stats.articles += 1
                    stats.first = now if stats.first is None else stats.first
                    stats.last = now
        self._send(status, ctype, text.encode("utf-8"), headers, head)

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str], head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)


class SyntheticWeb:
    """Serves a `SyntheticCorpus` on H loopback hosts (127.0.0.100 + h, ephemeral ports), one thread each."""

    def __init__(self, corpus: SyntheticCorpus) -> None:
        self.corpus = corpus
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> SyntheticWeb:
        try:
            for h in range(self.corpus.hosts):
                try:
                    server = _Server((f"127.0.0.{FIRST_HOST + h}", 0), self, h)
                except OSError:  # not every system routes all of 127.0.0.0/8: ports still tell hosts apart
                    server = _Server(("127.0.0.1", 0), self, h)
                self._servers.append(server)
        except OSError:
            self.stop()
            raise
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        stoppers = [threading.Thread(target=s.shutdown) for s in self._servers[: len(self._threads)]]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join(timeout=5)
        for server in self._servers:
            server.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> SyntheticWeb:
        return self.start() if not self._servers else self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_urls(self) -> list[str]:
        if not self._servers:
            raise RuntimeError("start() the SyntheticWeb first: addresses are assigned when it starts")
        return [s.base_url for s in self._servers]

    def sources(self, delay: float = 0.0) -> list[Source]:
        """One news-sitemap source per host, paced at `delay` seconds between requests to that host."""
        return [
            Source(
                f"synth-{h:03d}-sitemap", "sitemap", base + SITEMAP_PATH, self.corpus.language(h), delay=delay
            )
            for h, base in enumerate(self.base_urls)
        ]

    def url(self, i: int) -> str:
        return self.base_urls[i % self.corpus.hosts] + self.corpus.page(i).path

    def stats(self) -> list[HostStats]:
        out = []
        for server in self._servers:
            with server.stats_lock:
                s = server.stats
                out.append(HostStats(s.articles, s.first, s.last))
        return out

    def reset_stats(self) -> None:
        for server in self._servers:
            with server.stats_lock:
                server.stats = HostStats()
