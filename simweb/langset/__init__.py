"""A multilingual development set for language identification, relevance and boilerplate (issue 13).

Written for newsmon: real-looking news texts in the 25 configured languages, on the story (the
Russia–North Korea treaty and what followed) and look-alikes that are about something else and mention
the pact in passing (Putin in Vietnam, a North Korean missile launch, a drone strike on Kyiv, a Trump–Kim
summit, a China–Russia paper, a trilateral 中俄朝 frame), each with its ground truth. Each page also
carries boilerplate lines of the classes the cleaner must drop (comment forms, related-list labels, photo
credits, bylines and agency sign-offs, subscribe/share/paywall/widget lines, wiki markup), marked by class,
and after its first paragraph a related list: the language's label alone on its line (`related_label`) with
the headlines of two other pages of the set under it, one a line (class `related_list`).

`cases()` gives them all; `page_html(case)` renders one as a minimal page without `<html lang>`, the way
pages arrive when the markup says nothing. `cases(HOLDOUT)` gives the held-out set (`holdout/`): longer texts in
the same format and languages, written apart from the rules and terms and never used to tune them, so its
figures say how the rules generalise rather than how well they fit the texts they were written beside.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

_DIR = Path(__file__).resolve().parent
HOLDOUT = _DIR / "holdout"


@dataclass(frozen=True)
class Case:
    id: str
    language: str  # ground truth: the language the text is written in
    kind: str  # on | aside:<what> | off
    relevant: bool  # ground truth: is the story the subject
    title: str
    paragraphs: tuple[str, ...]
    boilerplate: tuple[
        tuple[str, str], ...
    ]  # (class, line) after the paragraphs; related_list after the first
    claimed: str | None = None  # a wrong <html lang>, for pages whose markup lies


def cases(directory: Path = _DIR) -> list[Case]:
    out = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lang = data["language"]
        boiler = tuple((c, line) for c, line in data.get("boilerplate", []))
        titles = [item["title"] for item in data["cases"]]
        for i, item in enumerate(data["cases"]):
            kind = item["kind"]
            others = [titles[j % len(titles)] for j in (i + 1, i + 2) if j % len(titles) != i]
            listed = tuple(("related_list", line) for line in (data["related_label"], *dict.fromkeys(others)))
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
                    boilerplate=listed + (boiler[i % 2 :: 2] if len(boiler) > 3 else boiler),
                    claimed=item.get("claimed"),
                )
            )
    return out


def page_html(case: Case) -> str:
    """A minimal article page: no <html lang> unless the case's markup claims (wrongly) a language."""
    lang = f' lang="{case.claimed}"' if case.claimed else ""
    listed = [line for cls, line in case.boilerplate if cls == "related_list"]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in case.paragraphs[:1])
    if listed:  # the label, then its headlines, inside the article as sites place them
        body += f"<p>{html.escape(listed[0])}</p>"
        # list items: links would tip trafilatura into its one-line fallback on the shortest (CJK) pages
        body += "<ul>" + "".join(f"<li>{html.escape(h)}</li>" for h in listed[1:]) + "</ul>"
    body += "".join(f"<p>{html.escape(p)}</p>" for p in case.paragraphs[1:])
    body += "".join(f"<p>{html.escape(line)}</p>" for cls, line in case.boilerplate if cls != "related_list")
    title = html.escape(case.title)
    return (
        f"<!DOCTYPE html><html{lang}><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
