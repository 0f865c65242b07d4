"""Cost of the keyed dedupe/story lookup per batch as the archive grows (figures, not a test).

    uv run python bench/stories_scale.py [SIZES...]     (default: 1000 10000 100000)

Fills a fresh database with N synthetic stored articles (20 lookup keys each: LSH bands, paragraphs, numbers
with their day, spread over four years; 3 gazetteer name keys with their day, as the pipeline stores them; a
MinHash signature and a story link each), plants the same
PLANTED stored articles sharing one key each with the batch at every size, then times
`tasks.repos.dedupe.candidates` for one batch of the development set's pages (simweb/storyset.py) and prints
milliseconds per batch, the candidates read, and the ratio to the smallest size (flat: ~1).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simweb.storyset import pages  # noqa: E402
from tasks import db  # noqa: E402
from tasks.clean import load_rules  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance import load_topic  # noqa: E402
from tasks.repos import bulk  # noqa: E402
from tasks.repos import dedupe as dedupe_repo  # noqa: E402
from tasks.stories import default_config  # noqa: E402


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
                    ELSE 'n:' || (100 + (i * 7 + j) % 9000) || '@'
                         || strftime(DATE '2021-01-01' + INTERVAL (i % 1460) DAY, '%Y-%m-%d') END,
               'x' || i, DATE '2021-01-01' + INTERVAL (i % 1460) DAY
        FROM range(?) t(i), range(20) s(j)
        """,
        [n],
    )
    # gazetteer name keys, as the pipeline stores them (`e:<name>@<day>`): NAME_KEYS of the configured event and
    # evidence names per article, on its publication day
    names = sorted(name for name, _ in (*default_config().entities, *default_config().names))
    con.execute(
        """
        INSERT INTO dedupe_keys
        SELECT DISTINCT 'e:' || list_extract(?::VARCHAR[], 1 + ((i * 7 + j * 13) % len(?::VARCHAR[]))) || '@'
                   || strftime(DATE '2021-01-01' + INTERVAL (i % 1460) DAY, '%Y-%m-%d'),
               'x' || i, DATE '2021-01-01' + INTERVAL (i % 1460) DAY
        FROM range(?) t(i), range(?) s(j)
        """,
        [names, names, n, NAME_KEYS],
    )
    con.execute(
        "INSERT INTO article_minhash SELECT 'x' || i, CAST(repeat('\\x00', 256) AS BLOB) FROM range(?) t(i)",
        [n],
    )
    con.execute(
        """
        INSERT INTO story_articles (url, article_id, story_id, relation, language, run_id, linked_at)
        SELECT 'http://s/' || i, 'x' || i, 'x' || (i - i % 5), 'report', 'en', 'bench', now() FROM range(?) t(i)
        """,
        [n],
    )
    con.execute("CHECKPOINT")


PLANTED = 40
_KEY_SCHEMA = pa.schema([("key", pa.string()), ("day", pa.date32())])
NAME_KEYS = 3


def joined(con, keys: list[dict]) -> int:
    """The lookup this replaced, for comparison: one join of the registered batch against the tables."""
    unique = list({(r["key"], r["day"]): r for r in keys}.values())
    with bulk.registered(con, bulk.arrow_table(unique, ["key", "day"], _KEY_SCHEMA)) as name:
        return len(
            con.execute(
                f"""
                WITH hits AS (SELECT DISTINCT k.article_id FROM {name} b JOIN dedupe_keys k ON k.key = b.key)
                SELECT a.article_id, a.canonical_url, m.signature, a.text, coalesce(sa.story_id, a.story_id)
                FROM hits JOIN articles a USING (article_id)
                LEFT JOIN article_minhash m USING (article_id)
                LEFT JOIN story_articles sa ON sa.url = a.url
                """
            ).fetchall()
        )


def plant(con, keys: list[str]) -> None:
    """Stored articles x0..x39 each share one (non-number) key with the batch: the same candidates at every size."""
    shared = [k for k in keys if not k.startswith("n:")][:PLANTED]
    con.execute(
        "INSERT INTO dedupe_keys SELECT k, 'x' || (i - 1), DATE '2021-01-01' "
        "FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(k, i)",
        [shared],
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]
    topic, rules = load_topic(), load_rules()
    batch = [
        analyse(RawPage(p.url, p.url, p.html, p.published, published_hint=p.published), topic, rules)
        for p in pages()
    ]
    keys = dedupe_repo.batch_keys(batch)
    print(
        f"batch of {len(batch)} pages, {len(keys)} keys ({len(dedupe_repo.probe_keys(keys))} stored keys probed); "
        f"lookup = candidates (index lookups in dedupe_keys, articles, article_minhash, story_articles)"
    )
    first = first_join = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scale.duckdb"
            with db.connect(path) as con:
                db.migrate(con)
                fill(con, n)
                plant(con, dedupe_repo.probe_keys(keys))
                started = time.perf_counter()
                keys = dedupe_repo.batch_keys(batch)
                keying = time.perf_counter() - started
                dedupe_repo.candidates(con, keys)  # warm
                runs = []
                for _ in range(3):
                    started = time.perf_counter()
                    found = dedupe_repo.candidates(con, keys)
                    runs.append(time.perf_counter() - started)
                joined(con, keys)
                before = []
                for _ in range(3):
                    started = time.perf_counter()
                    joined(con, keys)
                    before.append(time.perf_counter() - started)
                stored = con.execute("SELECT count(*) FROM dedupe_keys").fetchone()[0]
            best = min(runs)
            first = first or best
            first_join = first_join or min(before)
            print(
                f"  {n:>7d} stored articles ({stored} keys): keys {1000 * keying / len(batch):5.2f} ms/page, "
                f"lookup {1000 * best:6.1f} ms/batch ({1000 * best / len(batch):5.2f} ms/page), "
                f"{len(found)} candidates read, {best / first:4.2f}x the first size; "
                f"the former join {1000 * min(before):6.1f} ms/batch, {min(before) / first_join:4.2f}x"
            )


if __name__ == "__main__":
    main()
