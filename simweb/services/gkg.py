"""GDELT 2.0 Global Knowledge Graph files, laid out like data.gdeltproject.org/gdeltv2/.

For each 15-minute slot of the days the catalog has stories on (and not after `now`):
`YYYYMMDDHHMMSS.gkg.csv.zip` (English stream) and `YYYYMMDDHHMMSS.translation.gkg.csv.zip` (everything
GDELT translated), each one tab-separated GKG 2.1 file without a header: 27 columns, DocumentIdentifier in
column 5. A story is a row in the file of the slot it was seen in (the slot after it was published).
On-topic stories carry Russia (FIPS RS) and North Korea (KN) locations and persons such as Vladimir Putin
and Kim Jong Un; off-topic ones only one side. Every file adds `noise_rows` rows about other things, and
one slot in sixteen a row cut short. `masterfilelist.txt` and `masterfilelist-translation.txt` list
"size md5 url" for every file (the event export and mentions files too), `lastupdate.txt` the latest.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import random
import re
import threading
import zipfile
import zlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from simweb.faults import error_page
from simweb.routes import Response
from simweb.services.corpus import LANGUAGE_CODES_639_3, SLOT, Corpus, Story

if TYPE_CHECKING:
    from simweb.services.server import ServiceRequest

PREFIX = "/gdeltv2/"
FILE_NAME = re.compile(
    r"^(\d{14})\.(gkg\.csv|translation\.gkg\.csv|export\.CSV|mentions\.CSV|translation\.export\.CSV|translation\.mentions\.CSV)\.zip$"
)
STREAMS = {"gkg": "gkg.csv", "translation": "translation.gkg.csv"}
COLUMNS = 27
DEFAULT_NOISE_ROWS = 12
DEFAULT_GCAM_CHARS = 300
_CACHE_LIMIT = 40_000

# (type, name, country, ADM1, lat, long, feature id)
_PLACES = {
    "RS": [
        ("1", "Russia", "RS", "RS", "60", "100", "RS"),
        ("4", "Moscow, Moskva, Russia", "RS", "RS48", "55.7522", "37.6156", "-2960561"),
    ],
    "KN": [
        ("1", "North Korea", "KN", "KN", "40", "127", "KN"),
        ("4", "Pyongyang, P'yongyang-si, North Korea", "KN", "KN12", "39.0194", "125.755", "-2143926"),
    ],
    "KS": [
        ("1", "South Korea", "KS", "KS", "37", "127.5", "KS"),
        ("4", "Seoul, Seoul-t'ukpyolsi, South Korea", "KS", "KS11", "37.5664", "127", "-716583"),
    ],
    "UP": [("1", "Ukraine", "UP", "UP", "49", "32", "UP")],
    "CH": [("1", "China", "CH", "CH", "35", "105", "CH")],
    "JA": [("1", "Japan", "JA", "JA", "36", "138", "JA")],
    "US": [("1", "United States", "US", "US", "39.828175", "-98.5795", "US")],
    "FR": [("1", "France", "FR", "FR", "46", "2", "FR")],
    "BR": [("1", "Brazil", "BR", "BR", "-10", "-55", "BR")],
}
_ON_TOPIC = (
    ["RS", "KN"],
    ["Vladimir Putin", "Kim Jong Un"],
    ["State Duma"],
    ["TAX_FNCACT_PRESIDENT", "MILITARY", "ALLIANCE", "ARMEDCONFLICT"],
)
_ON_TOPIC_HYPHEN = (
    ["KN", "RS"],
    ["Kim Jong-un", "Sergei Lavrov"],
    ["Korean Central News Agency"],
    ["LEADER", "MILITARY", "TAX_MILITARY_TITLE_SOLDIERS"],
)
_RUSSIA_ONLY = (["RS", "UP"], ["Vladimir Putin"], ["Kremlin"], ["ARMEDCONFLICT", "TAX_FNCACT_PRESIDENT"])
_KOREA_ONLY = (["KN", "KS"], ["Kim Jong Un", "Yoon Suk Yeol"], ["Joint Chiefs of Staff"], ["MILITARY", "WMD"])
_NOISE = [
    (["US"], ["Joe Biden"], ["Federal Reserve"], ["ECON_INFLATION", "TAX_FNCACT_PRESIDENT"]),
    _RUSSIA_ONLY,
    _KOREA_ONLY,
    (["KS", "JA"], ["Fumio Kishida"], ["Samsung"], ["ECON_TRADE"]),
    (["FR", "CH"], ["Emmanuel Macron", "Xi Jinping"], ["European Union"], ["ECON_TRADE", "LEADER"]),
    (["BR"], ["Luiz Inacio Lula"], ["Petrobras"], ["ENV_OIL"]),
]


def file_name(slot: datetime, stream: str) -> str:
    return f"{slot:%Y%m%d%H%M%S}.{STREAMS[stream]}.zip"


class GkgFileService:
    def __init__(
        self, corpus: Corpus, noise_rows: int = DEFAULT_NOISE_ROWS, gcam_chars: int = DEFAULT_GCAM_CHARS
    ) -> None:
        self.corpus = corpus
        self.noise_rows = noise_rows
        self.gcam_chars = gcam_chars
        self._lock = threading.Lock()
        self._cache: dict[tuple[datetime, str, int, int], bytes] = {}
        self._days = set(corpus.days())
        self._gcam: dict[int, list[str]] = {}

    # --- what exists ------------------------------------------------------------------------------

    def slots(self) -> list[datetime]:
        """Every slot with files, up to now."""
        now = self.corpus.now()
        found = []
        for day in sorted(self._days):
            for i in range(96):
                slot = day + i * SLOT
                if slot <= now:
                    found.append(slot)
        return found

    def has_slot(self, slot: datetime) -> bool:
        midnight = slot.replace(hour=0, minute=0, second=0)
        return (
            midnight in self._days
            and slot <= self.corpus.now()
            and slot.minute % 15 == 0
            and slot.second == 0
        )

    def stories_in(self, slot: datetime, stream: str) -> list[Story]:
        english = stream == "gkg"
        return [s for s in self.corpus.stories if s.seen == slot and (s.language == "en") == english]

    def expected_documents(self, start: datetime, end: datetime) -> set[str]:
        """URLs of on-topic stories whose files fall in [start, end): what a topic filter should keep."""
        return {
            s.url
            for s in self.corpus.stories
            if s.on_topic and start <= s.seen < end and s.seen <= self.corpus.now()
        }

    def _gcam_variants(self) -> list[str]:
        variants = self._gcam.get(self.gcam_chars)
        if variants is None:
            variants = self._gcam[self.gcam_chars] = _gcam_variants(self.gcam_chars)
        return variants

    # --- HTTP -------------------------------------------------------------------------------------

    def respond(self, request: ServiceRequest) -> Response:
        if request.path == "/robots.txt":
            return Response.document(200, "text/plain", "User-agent: *\nAllow: /\n")
        if not request.path.startswith(PREFIX):
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        name = request.path[len(PREFIX) :]
        base = request.base_url + PREFIX
        if name in ("masterfilelist.txt", "masterfilelist-translation.txt"):
            translation = "translation" in name
            return Response.document(200, "text/plain", self.master_list(base, translation))
        if name in ("lastupdate.txt", "lastupdate-translation.txt"):
            slots = self.slots()
            lines = self._list_lines(base, slots[-1:], "translation" in name)
            return Response.document(200, "text/plain", lines)
        match = FILE_NAME.match(name)
        if match is None:
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        try:
            slot = datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        if not self.has_slot(slot):
            return Response.document(404, "text/html", error_page(404, "Not Found"))
        return Response(200, "application/zip", self.file_bytes(slot, match.group(2)), charset=None)

    def master_list(self, base: str, translation: bool) -> str:
        return self._list_lines(base, self.slots(), translation)

    def _list_lines(self, base: str, slots: list[datetime], translation: bool) -> str:
        lines = []
        prefix = "translation." if translation else ""
        for slot in slots:
            for kind in (f"{prefix}export.CSV", f"{prefix}mentions.CSV", f"{prefix}gkg.csv"):
                body = self.file_bytes(slot, kind)
                lines.append(
                    f"{len(body)} {hashlib.md5(body).hexdigest()} {base}{slot:%Y%m%d%H%M%S}.{kind}.zip"
                )
        return "\n".join(lines) + "\n"

    # --- the files --------------------------------------------------------------------------------

    def file_bytes(self, slot: datetime, kind: str) -> bytes:
        """The zipped file of one slot; `kind` is the name's middle part, e.g. "translation.gkg.csv"."""
        key = (slot, kind, self.noise_rows, self.gcam_chars)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        if kind in STREAMS.values():
            stream = "translation" if kind.startswith("translation") else "gkg"
            text = self.csv_text(slot, stream)
        else:
            text = ""  # event exports and mentions: listed for realism, empty here
        body = _zip(f"{slot:%Y%m%d%H%M%S}.{kind}", text, slot)
        with self._lock:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = body
        return body

    def csv_text(self, slot: datetime, stream: str) -> str:
        rng = random.Random(f"{slot:%Y%m%d%H%M%S}-{stream}")
        stamp = f"{slot:%Y%m%d%H%M%S}"
        marker = "T" if stream == "translation" else ""
        rows: list[list[str]] = []
        for story in self.stories_in(slot, stream):
            rows.append(self._story_row(story, rng))
        for i in range(self.noise_rows):
            rows.append(self._noise_row(stamp, i, rng))
        rng.shuffle(rows)
        lines = []
        for n, row in enumerate(rows):
            row[0] = f"{stamp}-{marker}{n}"
            lines.append("\t".join(row))
        if int(stamp[8:12]) % 400 == 15:  # one slot in sixteen: a row cut short (a known GKG quirk)
            lines.insert(
                len(lines) // 2,
                "\t".join([f"{stamp}-{marker}X", stamp, "1", "broken.example", "https://broken.example/a"]),
            )
        return "\n".join(lines) + ("\n" if lines else "")

    def _story_row(self, story: Story, rng: random.Random) -> list[str]:
        if story.on_topic:
            signals = _ON_TOPIC if zlib.crc32(story.page.path.encode()) % 2 else _ON_TOPIC_HYPHEN
        else:
            signals = _RUSSIA_ONLY if zlib.crc32(story.page.path.encode()) % 2 else _KOREA_ONLY
        translation = (
            ""
            if story.language == "en"
            else f"srclc:{LANGUAGE_CODES_639_3[story.language]};eng:GT-{LANGUAGE_CODES_639_3[story.language].upper()} 1.0"
        )
        extras = (
            f"<PAGE_PRECISEPUBTIMESTAMP>{story.published:%Y%m%d%H%M%S}</PAGE_PRECISEPUBTIMESTAMP>"
            f"<PAGE_TITLE>{escape(story.title)}</PAGE_TITLE>"
        )
        return self._row(
            f"{story.seen:%Y%m%d%H%M%S}", story.domain, story.url, signals, rng, translation, extras
        )

    def _noise_row(self, stamp: str, i: int, rng: random.Random) -> list[str]:
        signals = _NOISE[rng.randrange(len(_NOISE))]
        domain = rng.choice(["www.wire-example.test", "news.example.org", "daily.example.net"])
        url = f"https://{domain}/{stamp[:4]}/{stamp[4:6]}/{stamp[6:8]}/story-{stamp}-{i}.html"
        if i == 0:
            # a citation-only record about the topic: not a web page, so it has no URL to follow
            return self._row(
                stamp,
                "Agence Example",
                "Korean Central News Agency report",
                _ON_TOPIC,
                rng,
                "",
                "",
                collection="2",
            )
        return self._row(
            stamp, domain, url, signals, rng, "", f"<PAGE_TITLE>Story {i} of {stamp}</PAGE_TITLE>"
        )

    def _row(
        self,
        stamp: str,
        domain: str,
        url: str,
        signals: tuple[list[str], list[str], list[str], list[str]],
        rng: random.Random,
        translation: str,
        extras: str,
        collection: str = "1",
    ) -> list[str]:
        countries, persons, organizations, themes = signals
        places = [p for c in countries for p in _PLACES[c]]
        offsets = itertools.count(rng.randrange(20, 400), rng.randrange(23, 97))
        v1_locations = ";".join("#".join(p) for p in places)
        v2_locations = ";".join("#".join([*p[:4], "", *p[4:], str(next(offsets))]) for p in places)
        v1_themes = ";".join(themes) + ";"
        v2_themes = ";".join(f"{t},{next(offsets)}" for t in themes) + ";"
        v2_persons = ";".join(f"{p},{next(offsets)}" for p in persons)
        v2_organizations = ";".join(f"{o},{next(offsets)}" for o in organizations)
        words = rng.randrange(250, 1500)
        gcam = f"wc:{words}," + rng.choice(self._gcam_variants())
        row = [""] * COLUMNS
        row[1], row[2], row[3], row[4] = stamp, collection, domain, url
        row[7], row[8] = v1_themes, v2_themes
        row[9], row[10] = v1_locations, v2_locations
        row[11], row[12] = ";".join(p.lower() for p in persons), v2_persons
        row[13], row[14] = ";".join(o.lower() for o in organizations), v2_organizations
        row[15] = (
            f"{rng.uniform(-8, 2):.4f},{rng.uniform(0, 5):.4f},{rng.uniform(0, 9):.4f},{rng.uniform(3, 12):.4f},{rng.uniform(10, 30):.4f},0,{words}"
        )
        row[17] = gcam[: self.gcam_chars]
        row[23] = ";".join(f"{n},{next(offsets)}" for n in persons + organizations)
        row[25] = translation
        row[26] = extras
        return row


def _gcam_variants(chars: int) -> list[str]:
    """A few GCAM-like strings ("c1.2:3,c4.1:17,..."): real rows carry kilobytes of these counts."""
    rng = random.Random(chars)
    entries = chars // 8 + 1
    return [
        ",".join(
            f"c{rng.randrange(1, 30)}.{rng.randrange(1, 9)}:{rng.randrange(1, 40)}" for _ in range(entries)
        )
        for _ in range(16)
    ]


def _zip(member: str, text: str, slot: datetime) -> bytes:
    buffer = io.BytesIO()
    info = zipfile.ZipInfo(member, date_time=(slot.year, slot.month, slot.day, slot.hour, slot.minute, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
