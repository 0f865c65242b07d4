"""Article body blocks: the unit both the page renderer and the ground truth are built from."""

from __future__ import annotations

from dataclasses import dataclass

CONTENT_KINDS = ("p", "h2", "p_with_inline")
BLOCK_KINDS = (*CONTENT_KINDS, "bp", "related_inline")
BP_CLASSES = (
    "related",
    "more_stories",
    "newsletter",
    "recaptcha",
    "contact",
    "share",
    "ad",
    "photo_credit",
    "copyright",
    "byline",
    "tagline",  # a site's own line on every article (body_footer): no rule knows it, site templates learn it
)


class SiteFormatError(ValueError):
    """A site file does not follow the content format."""


@dataclass(frozen=True)
class Block:
    """One block of an article body, in page order."""

    kind: str  # one of BLOCK_KINDS
    text: str = ""  # p, h2, bp
    css_class: str = ""  # bp: one of BP_CLASSES
    label: str = ""  # related_inline, p_with_inline: e.g. "Baca Juga:"
    links: tuple[str, ...] = ()  # related_inline, p_with_inline: linked headlines
    halves: tuple[str, str] = ("", "")  # p_with_inline: text before and after the insertion

    @property
    def content_line(self) -> str | None:
        """The ground-truth content line this block contributes, if any."""
        if self.kind in ("p", "h2"):
            return self.text
        if self.kind == "p_with_inline":
            return self.halves[0] + self.halves[1]
        return None

    @property
    def boilerplate_line(self) -> str | None:
        """The line a text extractor sees for this block's boilerplate: links glued with no separator."""
        if self.kind == "bp":
            return self.text
        if self.kind in ("related_inline", "p_with_inline"):
            return self.label + "".join(self.links)
        return None
