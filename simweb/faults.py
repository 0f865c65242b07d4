"""Faults the simulated web can inject per URL, and the "demo" preset.

A fault is keyed by (publisher, path); the query string is ignored so a fault on an article also hits the
article's tracking-parameter link. `times=None` means always; `times=N` means the first N requests get the
fault and later ones are served normally. The table remembers `times` after it runs out so the ground
truth still reports which fault a page had.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from simweb.catalog import Catalog

FAULT_KINDS = ("500", "429", "slow", "truncated", "wrong_charset", "redirect_loop", "binary", "huge")
DEFAULT_SLOW_SECONDS = 2.0
DEFAULT_HUGE_BYTES = 3_000_000
DEFAULT_DECLARED_CHARSET = "iso-8859-1"
# Body encodings for wrong_charset when the caller names none: pages in these languages are served in
# their legacy single-byte charset, which a fetcher trusting the declared charset turns into mojibake.
LEGACY_CHARSETS = {"ru": "windows-1251", "uk": "windows-1251", "bg": "windows-1251"}


@dataclass
class Fault:
    kind: str
    times: int | None = None
    opts: dict[str, Any] = field(default_factory=dict)
    served: int = 0  # requests that got this fault so far

    @property
    def active(self) -> bool:
        return self.times is None or self.served < self.times


class FaultTable:
    """Thread-safe faults by (publisher, path); a publisher of None matches the path on every site."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[tuple[str | None, str], Fault] = {}

    def set(
        self, publisher: str | None, path: str, kind: str, times: int | None, opts: dict[str, Any]
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if times is not None and times < 1:
            raise ValueError("times must be None (always) or a positive count")
        with self._lock:
            self._faults[(publisher, path)] = Fault(kind, times, dict(opts))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, publisher: str, path: str) -> Fault | None:
        """The fault to apply to one request now, counting it against `times`."""
        with self._lock:
            fault = self._lookup(publisher, path)
            if fault is None or not fault.active:
                return None
            fault.served += 1
            return Fault(fault.kind, fault.times, dict(fault.opts), fault.served)

    def configured(self, publisher: str, path: str) -> Fault | None:
        """The fault set on a page, whether or not its `times` have run out."""
        with self._lock:
            fault = self._lookup(publisher, path)
            return None if fault is None else Fault(fault.kind, fault.times, dict(fault.opts), fault.served)

    def _lookup(self, publisher: str, path: str) -> Fault | None:
        return self._faults.get((publisher, path)) or self._faults.get((None, path))


@dataclass(frozen=True)
class PresetFault:
    publisher: str
    slug: str  # an article's or a document's slug
    kind: str
    times: int | None = None
    opts: tuple[tuple[str, Any], ...] = ()


# One fault per distinct on-topic page. wrong_charset goes to a Russian page when a Russian publisher is
# present (windows-1251 declared as iso-8859-1 is unreadable without detection); otherwise to this one.
DEMO_PRESET = (
    PresetFault("kabar-dunia", "duma-rusia-ratifikasi-perjanjian-dengan-korea-utara", "429", 1),
    PresetFault("kabar-dunia", "kim-jong-un-sambut-putin-di-pyongyang", "500", 1),
    PresetFault("global-dispatch", "russian-duma-votes-to-ratify-north-korea-defence-treaty", "500"),
    PresetFault(
        "warta-pantura",
        "nato-konfirmasi-pasukan-korea-utara-dikerahkan-ke-kursk",
        "slow",
        None,
        (("seconds", 1.5),),
    ),
    PresetFault("warta-pantura", "as-ribuan-tentara-korea-utara-siap-bertempur-di-kursk", "truncated", 1),
    PresetFault("global-dispatch", "north-korean-troops-in-kursk-what-we-know", "redirect_loop"),
    PresetFault("global-dispatch", "full-text-russia-north-korea-partnership-treaty", "binary"),
    PresetFault(
        "pacific-herald",
        "north-korea-will-stand-by-russia-until-victory-minister-says",
        "huge",
        None,
        (("bytes", DEFAULT_HUGE_BYTES),),
    ),
)
DEMO_WRONG_CHARSET = PresetFault(
    "kabar-dunia", "putin-tandatangani-uu-ratifikasi-pakta-dengan-pyongyang", "wrong_charset"
)


def demo_faults(catalog: Catalog) -> list[tuple[str, str, Fault]]:
    """The demo preset resolved to (publisher, path, fault) for the sites present."""
    resolved = []
    for preset in (*DEMO_PRESET, _wrong_charset_target(catalog)):
        site = catalog.site_by_name.get(preset.publisher)
        if site is None:
            raise ValueError(f"demo preset names a missing publisher {preset.publisher!r}")
        paths = {a.slug: a.path for a in site.articles} | {d.slug: d.path for d in site.documents}
        if preset.slug not in paths:
            raise ValueError(f"demo preset names a missing page {preset.publisher}/{preset.slug}")
        resolved.append(
            (preset.publisher, paths[preset.slug], Fault(preset.kind, preset.times, dict(preset.opts)))
        )
    return resolved


def _wrong_charset_target(catalog: Catalog) -> PresetFault:
    for site in catalog.sites:
        if site.language == "ru":
            on_topic = sorted(
                (a for a in site.articles if a.on_topic and not a.syndicated_from), key=lambda a: a.published
            )
            if on_topic:
                return PresetFault(site.name, on_topic[0].slug, "wrong_charset")
    return DEMO_WRONG_CHARSET


def body_charset(fault: Fault, language: str) -> str:
    """The charset a wrong_charset body is really encoded in."""
    return str(fault.opts.get("encoding") or LEGACY_CHARSETS.get(language, "utf-8"))


def declared_charset(fault: Fault) -> str:
    return str(fault.opts.get("declared", DEFAULT_DECLARED_CHARSET))


def redeclare(text: str, charset: str) -> str:
    """The document with its in-band charset declaration (HTML meta or XML prolog) replaced."""
    text = text.replace('<meta charset="utf-8">', f'<meta charset="{charset}">', 1)
    for prolog in ('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="utf-8"?>'):
        text = text.replace(prolog, f'<?xml version="1.0" encoding="{charset}"?>', 1)
    return text


def error_page(status: int, reason: str) -> str:
    """A bare web-server error page, as a proxy in front of a news site answers."""
    return (
        f"<html>\n<head><title>{status} {reason}</title></head>\n<body>\n"
        f"<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
