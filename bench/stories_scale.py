"""Cost of the keyed dedupe/story lookup per batch as the archive grows (figures, not a test).

    uv run python bench/stories_scale.py [SIZES...]     (default: 1000 10000 100000)

Fills a fresh database with N synthetic stored articles (20 lookup keys each: LSH bands, paragraphs, numbers,
spread over four years), then times `tasks.repos.dedupe.index_for` for one batch of the development set's
pages (simweb/storyset.py) and prints milliseconds per page and the candidates read.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simweb.storyset import pages  # noqa: E402
from tasks import db  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance import load_topic  # noqa: E402
from tasks.repos import dedupe as dedupe_repo  # noqa: E402


def fill(con, n: int) -> None:
    con.execute(
        """
        INSERT INTO articles (article_id, url, canonical_url, title, published_at, language, text, text_hash,
                              story_id, extractor_version, first_run_id, last_run_id, loaded_at)
        SELECT 'x' || i, 'http://s/' || i, 'http://s/' || i, 'synthetic ' || i,
               TIMESTAMPTZ '2021-01-01' + INTERVAL (i % 1460) DAY, 'en',
               'synthetic article number ' || i, 'h' || i, 'x' || i, 'bench', 'bench', 'bench', now()
        FROM range(?) t(i)
        """,
        [n],
    )
    con.execute(
        """
        INSERT INTO dedupe_keys
        SELECT CASE WHEN j < 16 THEN 'b' || j || ':' || md5(i || '-' || j)[:16]
                    WHEN j < 18 THEN 'p:' || md5('p' || i || '-' || j)[:16]
                    ELSE 'n:' || (100 + (i * 7 + j) % 9000) END,
               'x' || i, DATE '2021-01-01' + INTERVAL (i % 1460) DAY
        FROM range(?) t(i), range(20) s(j)
        """,
        [n],
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]
    topic, rules = load_topic(), load_rules()
    batch = [
        analyse(RawPage(p.url, p.url, p.html, p.published, published_hint=p.published), topic, rules)
        for p in pages()
    ]
    print(f"batch of {len(batch)} pages; lookup = index_for (keys joined against dedupe_keys)")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scale.duckdb"
            with db.connect(path) as con:
                db.migrate(con)
                fill(con, n)
                started = time.perf_counter()
                keys = dedupe_repo.batch_keys(batch)
                keying = time.perf_counter() - started
                dedupe_repo.candidates(con, keys)  # warm
                runs = []
                for _ in range(3):
                    started = time.perf_counter()
                    found = dedupe_repo.candidates(con, keys)
                    runs.append(time.perf_counter() - started)
                stored = con.execute("SELECT count(*) FROM dedupe_keys").fetchone()[0]
            best = min(runs)
            print(
                f"  {n:>7d} stored articles ({stored} keys): keys {1000 * keying / len(batch):5.2f} ms/page, "
                f"lookup {1000 * best:7.1f} ms/batch ({len(keys)} keys), {len(found)} candidates read"
            )


if __name__ == "__main__":
    main()
