"""A multilingual development set for language identification, relevance and boilerplate (issue 13).

Written for newsmon: real-looking news texts in the 25 configured languages, on the story (the
Russia–North Korea treaty and what followed) and look-alikes that are about something else and mention
the pact in passing (Putin in Vietnam, a North Korean missile launch, a drone strike on Kyiv, a Trump–Kim
summit, a China–Russia paper, a trilateral 中俄朝 frame), each with its ground truth. Each page also
carries boilerplate lines of the classes the cleaner must drop (comment forms, related-list labels, photo
credits, bylines and agency sign-offs, subscribe/share/paywall/widget lines, wiki markup), marked by class.

`cases()` gives them all; `page_html(case)` renders one as a minimal page without `<html lang>`, the way
pages arrive when the markup says nothing.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    id: str
    language: str  # ground truth: the language the text is written in
    kind: str  # on | aside:<what> | off
    relevant: bool  # ground truth: is the story the subject
    title: str
    paragraphs: tuple[str, ...]
    boilerplate: tuple[tuple[str, str], ...]  # (class, line) placed after the paragraphs
    claimed: str | None = None  # a wrong <html lang>, for pages whose markup lies


def cases() -> list[Case]:
    out = []
    for path in sorted(_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lang = data["language"]
        boiler = tuple((c, line) for c, line in data.get("boilerplate", []))
        for i, item in enumerate(data["cases"]):
            kind = item["kind"]
            out.append(
                Case(
                    id=f"{lang}-{i:02d}",
                    language=lang,
                    kind=kind,
                    relevant=kind == "on",
                    title=item["title"],
                    paragraphs=tuple(item["paragraphs"]),
                    # each page carries the language's boilerplate lines; asides too, so the cleaner is
                    # measured on every page
                    boilerplate=boiler[i % 2 :: 2] if len(boiler) > 3 else boiler,
                    claimed=item.get("claimed"),
                )
            )
    return out


def page_html(case: Case) -> str:
    """A minimal article page: no <html lang> unless the case's markup claims (wrongly) a language."""
    lang = f' lang="{case.claimed}"' if case.claimed else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in case.paragraphs)
    body += "".join(f"<p>{html.escape(line)}</p>" for _, line in case.boilerplate)
    title = html.escape(case.title)
    return (
        f"<!DOCTYPE html><html{lang}><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
