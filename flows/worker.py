"""Loaded by each Dask worker of a local cluster as it starts (`preload`): the analysis code and its models.

A worker then spends its first batch analysing, not importing trafilatura, lxml and htmldate and loading the
language model (tens of seconds on a busy machine). Workers of an existing cluster can load it too:
`dask worker tcp://scheduler:8786 --preload flows.worker`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

_PAGE = """<html lang="en"><head><title>Treaty ratified</title>
<meta property="article:published_time" content="2024-06-19T10:00:00+00:00"></head>
<body><article><h1>Treaty ratified</h1><p>The treaty on comprehensive strategic partnership between Russia and
North Korea was signed in Pyongyang on 19 June 2024 and ratified later that year by both parliaments.</p>
<p>It includes a mutual defence clause that obliges each side to provide military assistance.</p></article>
</body></html>"""


def dask_setup(worker=None) -> None:
    """Import the analysis task and analyse one small page (the models load on first use)."""
    from tasks import stages  # noqa: F401 - the analyse task and everything it imports
    from tasks.models import RawPage
    from tasks.process import analyse
    from tasks.relevance.topic import load_topic

    try:
        page = RawPage("http://warm-up.invalid/treaty.html", None, _PAGE, datetime.now(UTC))
        analyse(page, load_topic())
    except Exception:  # noqa: BLE001 - a warm-up that fails leaves the work to the first batch
        logging.getLogger(__name__).warning("worker warm-up failed", exc_info=True)
