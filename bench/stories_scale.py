"""Cost of the keyed dedupe/story lookup per batch as the archive grows (figures, not a test).

    uv run python bench/stories_scale.py [SIZES...]     (default: 1000 10000 100000)

Fills a fresh database with N synthetic stored articles spread over four years (16 LSH band and 2 paragraph
keys; 2 distinctive numbers and 3 gazetteer names, stored as the pipeline stores them: every pair of them with
its day; a MinHash signature and a story link each), plants the same PLANTED stored articles sharing one key
each with the batch at every size, then times `tasks.repos.dedupe.candidates` for one batch of the development
set's pages (simweb/storyset.py) and prints milliseconds per batch, the key rows and candidates read, the
ratio to the smallest size (flat: ~1), and the Python linking of the batch against what was read (index build,
fingerprints, containment, judge).
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
from tasks.dedupe import DedupeIndex, KnownArticle, is_day_key  # noqa: E402
from tasks.models import RawPage  # noqa: E402
from tasks.process import analyse  # noqa: E402
from tasks.relevance.topic import load_topic  # noqa: E402
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
                    ELSE 'p:' || md5('p' || i || '-' || j)[:16] END,
               'x' || i, DATE '2021-01-01' + INTERVAL (i % 1460) DAY
        FROM range(?) t(i), range(18) s(j)
        """,
        [n],
    )
    # NUMBERS distinctive numbers and NAME_KEYS of the configured event and evidence names per article, on its
    # publication day, stored as the pipeline stores them (tasks.dedupe.pair_keys): every pair of them
    # (`w:<item>|<item>@<day>`), and a sole number (`s:<number>@<day>`) for an article stating only one
    names = sorted(name for name, _ in (*default_config().entities, *default_config().names))
    con.execute(
        """
        INSERT INTO dedupe_keys
        WITH items AS (
            SELECT DISTINCT i, 'n:' || (100 + (i * 7 + 18 + j) % 9000) AS item FROM range(?) t(i), range(?) s(j)
            UNION
            SELECT i, 'e:' || list_extract(?::VARCHAR[], 1 + ((i * 7 + j * 13) % len(?::VARCHAR[])))
            FROM range(?) t(i), range(?) s(j)
        ), keys AS (
            SELECT a.i, 'w:' || a.item || '|' || b.item AS key FROM items a JOIN items b ON a.i = b.i AND a.item < b.item
            UNION ALL
            SELECT i, 's:' || substr(min(item), 3) FROM items WHERE starts_with(item, 'n:') GROUP BY i
            HAVING count(*) = 1
        )
        SELECT key || '@' || strftime(DATE '2021-01-01' + INTERVAL (i % 1460) DAY, '%Y-%m-%d'), 'x' || i,
               DATE '2021-01-01' + INTERVAL (i % 1460) DAY
        FROM keys
        """,
        [n, NUMBERS, names, names, n, NAME_KEYS],
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
NUMBERS = 2
RUNS = 7  # the best of: the machine is shared (CPU time, all threads, is printed beside the wall time)


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


def _key_rows(con, keys: list[dict]) -> list[tuple]:
    """The rows of `dedupe_keys` the batch's probes meet (what the lookup reads before choosing candidates)."""
    return dedupe_repo._lookup(
        con, "SELECT key, article_id FROM dedupe_keys", "key", dedupe_repo.probe_keys(keys)
    )


def link(batch, found: list[KnownArticle]) -> float:
    """Seconds to build the batch's index from the candidates read and relate every page of it (the Python
    scoring: fingerprints, containment, judge)."""
    started = time.perf_counter()
    index = DedupeIndex(found)
    for item in batch:
        article = KnownArticle(
            "new-" + item.digest[:12],
            item.canonical,
            item.digest,
            None,
            item.page.title,
            item.text,
            item.language,
            item.page.published or item.raw.published_hint,
        )
        index.relate(article, item.signature)
    return time.perf_counter() - started


def plant(con, keys: list[str]) -> None:
    """Stored articles x0..x39 each share one key (not a day key) with the batch: the same candidates at every
    size."""
    shared = [k for k in keys if not is_day_key(k)][:PLANTED]
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
    first = first_join = first_cpu = None
    # a first, unprinted pass at the smallest size: the process's first database is slower to query
    for place, n in enumerate([sizes[0], *sizes]):
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
                rows = len(_key_rows(con, keys))
                runs, cpu = [], []
                for _ in range(RUNS):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    found = dedupe_repo.candidates(con, keys)
                    runs.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                joined(con, keys)
                before = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    joined(con, keys)
                    before.append(time.perf_counter() - started)
                stored = con.execute("SELECT count(*) FROM dedupe_keys").fetchone()[0]
            linking = min(link(batch, found) for _ in range(RUNS))
            if place == 0:
                continue
            best = min(runs)
            first = first or best
            first_cpu = first_cpu or min(cpu)
            first_join = first_join or min(before)
            print(
                f"  {n:>7d} stored articles ({stored} keys): keys {1000 * keying / len(batch):5.2f} ms/page, "
                f"lookup {1000 * best:6.1f} ms/batch ({1000 * best / len(batch):5.2f} ms/page, "
                f"CPU {1000 * min(cpu):6.1f} ms, {min(cpu) / first_cpu:4.2f}x), "
                f"{rows} key rows, {len(found)} candidates read, {best / first:4.2f}x the first size; "
                f"linking {1000 * linking:6.1f} ms/batch; "
                f"the former join {1000 * min(before):6.1f} ms/batch, {min(before) / first_join:4.2f}x"
            )


if __name__ == "__main__":
    main()
