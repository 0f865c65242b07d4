"""How the nightly flow scales: a synthetic web of N on-topic articles over H loopback hosts (simweb/synthetic.py).

For each N, from an empty database: the real `nightly` flow through Prefect (its temporary server), in a
subprocess of its own so peak RSS is that run's, then the same flow again with nothing new. Printed per N:

  flow cost          ms per article and articles/s of the full run (flow time from the `runs` table), next to
                     bare `trafilatura.extract` pages/s on a sample of the same pages in one process
  load rate          rows/s of the pipeline's load of a batch (the store's load of K articles' outcomes into a
                     copy of the database) vs DuckDB's own `INSERT INTO t SELECT * FROM arrow_table` of the
                     same rows into keyless scratch tables, in the same process
  nothing new        second run's flow time / first run's
  fetch makespan     first to last article request the hosts saw, vs the politeness bound
                     (pages per host x delay; only with --delay > 0)
  peak RSS           of the flow's process, and of its largest child process (Prefect's temporary server,
                     local Dask workers)
  scaling            ms per article at the largest N / at the smallest

    uv run python bench/scale.py                       # N = 1000 and 10000 over 20 hosts, no pacing
    uv run python bench/scale.py --n 100000            # one N (repeat --n for several)
    uv run python bench/scale.py --n 3000 --delay 0.05 # with per-host pacing: makespan vs its bound
    uv run python bench/scale.py --runner dask         # CPU work on a local Dask cluster (default: serial)
    uv run python bench/scale.py --json                # the figures as JSON too

Only public entry points of the pipeline are used for the runs (the `nightly` flow with its settings file); the
load-rate figure also calls the stage functions and the store's batch load, and reports "n/a" with the reason if
those move.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simweb.synthetic import SyntheticCorpus, SyntheticWeb  # noqa: E402

RESULT_MARK = "SCALE-RESULT "


# --- configuration the runs use ------------------------------------------------------------------------------


def settings_toml(db_path: Path, args: argparse.Namespace) -> str:
    return f"""
[database]
path = "{db_path}"
snapshot = true
lock_timeout = 120
memory_limit = "{args.memory_limit}"

[fetch]
user_agent = "newsmon-bench/0.1"
timeout = 30.0
max_bytes = 200_000_000
delay = {args.delay}
max_retries = 2
backoff = 0.1
max_retry_after = 5.0
max_workers = {args.workers or args.hosts}
allow_networks = ["127.0.0.0/8"]
max_attempts = 3

[pipeline]
fetch_batch_size = {args.fetch_batch}
process_batch_size = {args.process_batch}

[topic]
path = "{ROOT / "config" / "topics.toml"}"
""" + runner_toml(args)


def runner_toml(args: argparse.Namespace) -> str:
    """The [runner] section: a local Dask cluster of --runner-workers processes, an existing cluster at
    --dask-address, or the flow's own process (serial)."""
    lines = ["", "[runner]", f'kind = "{args.runner}"', f"workers = {args.runner_workers}", "min_batches = 2"]
    if args.dask_address:
        lines.append(f'address = "{args.dask_address}"')
    return "\n".join(lines) + "\n"


def sources_toml(web: SyntheticWeb, delay: float) -> str:
    blocks = []
    for s in web.sources(delay):
        blocks.append(
            f'[[source]]\nname = "{s.name}"\nkind = "{s.kind}"\nurl = "{s.url}"\n'
            f'language = "{s.language}"\ndelay = {s.delay}\n'
        )
    return "\n".join(blocks)


def child_env(prefect_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the flow starts Prefect's temporary server
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=env.get(
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"
        ),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL=env.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(mode: str, argv: list[str], env: dict[str, str], timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), f"--child-{mode}", *argv]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
    raise RuntimeError(f"{mode} run failed (exit {proc.returncode}):\n  " + "\n  ".join(tail))


# --- child processes ------------------------------------------------------------------------------------------


def child_flow(settings_file: str, sources_file: str, db_path: str, profile: str = "") -> None:
    """One nightly run through Prefect; prints its summary, the flow time of its `runs` row and peak RSS.
    With `profile`, the run's main thread is profiled (cProfile) into that file."""
    from flows.nightly import nightly
    from tasks import db

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.monotonic()
    summary = nightly(db_path=db_path, sources_file=sources_file, settings_file=settings_file)
    wall = time.monotonic() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    flow_seconds = summary.get("flow_seconds")
    try:
        with db.connect(Path(db_path), read_only=True) as con:
            row = con.execute(
                "SELECT epoch(finished_at) - epoch(started_at) FROM runs WHERE run_id = ?",
                [summary["run_id"]],
            ).fetchone()
        runs_seconds = float(row[0]) if row and row[0] is not None else None
    except Exception:  # the runs table is the record; if it cannot be read, the flow's own figure stands
        runs_seconds = None
    out = {
        "counts": summary.get("counts", {}),
        "unreachable": summary.get("unreachable", {}),
        "flow_seconds": flow_seconds,
        "runs_seconds": runs_seconds,
        "wall_seconds": wall,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    print(RESULT_MARK + json.dumps(out, default=str), flush=True)


def child_load(settings_file: str, db_path: str, sample: int) -> None:
    """The store's load of `sample` articles' outcomes vs DuckDB's bulk insert of the same rows.

    On a copy of the database: the sample's pages are decided again from their raw HTML (untimed), their rows
    removed (untimed), then the store's batch load is timed on the open database (a run's session); the rows it
    wrote are read back as Arrow tables and inserted into empty keyless copies of the same tables with one
    `INSERT INTO ... SELECT * FROM arrow` each, in one transaction, timed the same way.
    """
    try:
        out = _measure_load(Path(settings_file), Path(db_path), sample)
    except Exception as exc:  # internal entry points moved: say so, keep the other figures
        out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    print(RESULT_MARK + json.dumps(out), flush=True)


def prepare_load(settings_file: Path, db_path: Path, sample: int):
    """A copy of the database with the rows of `sample` stored articles removed, and their pages decided again
    from their raw HTML: (store on the copy, outcomes to load, urls, article ids, tables written -> key column)."""
    from tasks import db
    from tasks.clean import load_rules
    from tasks.config import load_settings
    from tasks.dedupe import DedupeIndex
    from tasks.process import analyse, decide, pipeline_version
    from tasks.relevance.topic import load_topic
    from tasks.store import Store

    settings = load_settings(settings_file)
    scratch = db_path.with_name("load-scratch.duckdb")
    shutil.copyfile(db_path, scratch)
    store = Store(scratch)
    store.migrate()  # a database an older checkout left (bench/load_breakdown.py)
    with db.connect(scratch) as con:
        urls = [
            u for (u,) in con.execute("SELECT url FROM articles ORDER BY url LIMIT ?", [sample]).fetchall()
        ]
    rules = load_rules(None)
    topic = load_topic(settings.resolve(settings.topic.path))
    templates = store.templates(lead_lines=settings.templates.lead_lines)
    analysed = [analyse(page, topic, rules, templates) for page in store.raw_pages(urls)]
    outcomes = decide(analysed, DedupeIndex([]), pipeline_version(rules))
    with db.connect(scratch) as con:
        ids = [
            a
            for (a,) in con.execute(
                "SELECT article_id FROM articles WHERE url IN (SELECT unnest(?))", [urls]
            ).fetchall()
        ]
        tables = _written_tables(con)
        for table, column in tables.items():  # the sample's rows go, so the load writes them afresh
            con.execute(
                f"DELETE FROM {table} WHERE {column} IN (SELECT unnest($keys))",
                {"keys": ids if column == "article_id" else urls},
            )
        con.execute("CHECKPOINT")
        # what DuckDB imports on its first Arrow scan (pyarrow.compute, ~0.5 s) is paid once per process by the
        # flow's first batch: not by the timed load
        import pyarrow as pa

        con.register("warm_up", pa.table({"x": [1]}))
        con.execute("SELECT * FROM warm_up").fetchall()
        con.unregister("warm_up")
    return store, outcomes, urls, ids, tables


def _measure_load(settings_file: Path, db_path: Path, sample: int) -> dict:
    from tasks import clock, db

    store, outcomes, urls, ids, tables = prepare_load(settings_file, db_path, sample)
    scratch = store.path
    with store.session():  # as a run loads its batches: on the open database, as the native insert below
        started = time.perf_counter()
        store.load(outcomes, "bench-load", clock.now())
        pipeline_seconds = time.perf_counter() - started

    with db.connect(scratch) as con:
        arrow = {
            table: con.execute(
                f"SELECT * FROM {table} WHERE {column} IN (SELECT unnest($keys))",
                {"keys": ids if column == "article_id" else urls},
            ).fetch_arrow_table()
            for table, column in {**tables, "urls": "url"}.items()
        }
        for table in arrow:
            con.execute(f"CREATE TABLE scratch_{table} AS SELECT * FROM {table} LIMIT 0")
        con.execute("CHECKPOINT")
        started = time.perf_counter()
        con.execute("BEGIN")
        for table, rows in arrow.items():
            con.register("batch_rows", rows)
            con.execute(f"INSERT INTO scratch_{table} SELECT * FROM batch_rows")
            con.unregister("batch_rows")
        con.execute("COMMIT")
        native_seconds = time.perf_counter() - started
    rows = {table: t.num_rows for table, t in arrow.items()}
    total = sum(rows.values())
    scratch.unlink(missing_ok=True)
    return {
        "articles": len(urls),
        "rows": rows,
        "pipeline_seconds": pipeline_seconds,
        "native_seconds": native_seconds,
        "pipeline_rows_per_s": total / pipeline_seconds if pipeline_seconds else None,
        "native_rows_per_s": total / native_seconds if native_seconds else None,
    }


# Tables a load does not write to, though they have a url or article_id column.
NOT_LOADED = {"urls", "raw_pages", "fetches", "url_sources", "unresolved_links", "gkg_files"}


def _written_tables(con) -> dict[str, str]:
    """Tables keyed by page or article that a batch load writes: table -> the column naming the page or
    article (read from the schema, so tables added by later migrations are counted too)."""
    found: dict[str, str] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND column_name IN ('url', 'article_id') AND table_name IN "
        "(SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE') ORDER BY 1, 2 DESC"
    ).fetchall():
        if table not in NOT_LOADED and not table.startswith("fts_"):
            # a table with both columns is keyed by page (url sorts first here)
            found.setdefault(table, column)
    # articles last: other tables refer to it
    return dict(sorted(found.items(), key=lambda kv: kv[0] == "articles"))


# --- the parent: one synthetic web per N ----------------------------------------------------------------------


def trafilatura_rate(corpus: SyntheticCorpus, web: SyntheticWeb, sample: int) -> dict:
    """Bare `trafilatura.extract(html, url=url)` over a sample of the same pages, in this process."""
    import trafilatura

    step = max(1, corpus.n // sample)
    picked = list(range(0, corpus.n, step))[:sample]
    pages = [(web.url(i), corpus.html(i, web.base_urls[i % corpus.hosts])) for i in picked]
    for url, html in pages[:10]:  # warm up (imports, caches)
        trafilatura.extract(html, url=url)
    started = time.perf_counter()
    for url, html in pages:
        trafilatura.extract(html, url=url)
    seconds = time.perf_counter() - started
    return {"pages": len(pages), "seconds": seconds, "pages_per_s": len(pages) / seconds}


def makespan(stats) -> tuple[float | None, int]:
    """First to last article request over all hosts, and the most pages one host served."""
    firsts = [s.first for s in stats if s.first is not None]
    lasts = [s.last for s in stats if s.last is not None]
    span = (max(lasts) - min(firsts)) if firsts else None
    return span, max((s.articles for s in stats), default=0)


def bench_one(n: int, args: argparse.Namespace) -> dict:
    corpus = SyntheticCorpus(n, args.hosts, seed=args.seed)
    truth = corpus.truth()
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"newsmon-scale-{n}-", dir=args.workdir))
    db_path = work / "news.duckdb"
    env = child_env(work / "prefect")
    result: dict = {
        "n": n,
        "hosts": args.hosts,
        "delay": args.delay,
        "truth": truth.__dict__ | {"per_host": None},
    }
    try:
        with SyntheticWeb(corpus) as web:
            settings_file, sources_file = work / "newsmon.toml", work / "sources.toml"
            settings_file.write_text(settings_toml(db_path, args), encoding="utf-8")
            sources_file.write_text(sources_toml(web, args.delay), encoding="utf-8")
            for label in ("full", "nothing_new"):
                web.reset_stats()
                print(f"N={n}: {label} run ...", file=sys.stderr, flush=True)
                profile = str(Path(args.profile) / f"{label}-{n}.prof") if args.profile else ""
                run = run_child(
                    "flow",
                    [str(settings_file), str(sources_file), str(db_path), profile],
                    env,
                    timeout=args.timeout,
                )
                span, per_host = makespan(web.stats())
                run["makespan_seconds"] = span
                run["max_pages_per_host"] = per_host
                result[label] = run
            print(
                f"N={n}: trafilatura on {args.extract_sample} of the same pages ...",
                file=sys.stderr,
                flush=True,
            )
            result["trafilatura"] = trafilatura_rate(corpus, web, args.extract_sample)
        print(f"N={n}: load rate on {args.load_sample} articles ...", file=sys.stderr, flush=True)
        result["load"] = run_child(
            "load", [str(settings_file), str(db_path), str(args.load_sample)], env, 3600
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", file=sys.stderr)
    return result


def flow_time(run: dict) -> float:
    return run["runs_seconds"] if run.get("runs_seconds") is not None else float(run["flow_seconds"])


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def figures(r: dict) -> dict[str, str]:
    full, again, truth = r["full"], r["nothing_new"], r["truth"]
    seconds = flow_time(full)
    counts = full["counts"]
    rate = r["n"] / seconds
    trafi = r["trafilatura"]["pages_per_s"]
    load = r["load"]
    bound = full["max_pages_per_host"] * r["delay"] if r["delay"] else None
    out = {
        "articles loaded / expected": f"{counts.get('status:loaded', 0):,} / {truth['articles']:,}",
        "duplicates / expected": f"{counts.get('status:duplicate', 0):,} / {truth['duplicates']:,}",
        "irrelevant / expected": f"{counts.get('status:irrelevant', 0):,} / {truth['offtopic']:,}",
        "full run: flow s": _fmt(seconds, 1),
        "full run: ms/article": _fmt(1000 * seconds / r["n"], 1),
        "full run: articles/s": _fmt(rate, 1),
        "bare trafilatura.extract: pages/s": _fmt(trafi, 1),
        "flow articles/s / trafilatura pages/s": _fmt(rate / trafi, 3),
    }
    if "error" in load:
        out["load rate"] = f"n/a ({load['error'][:60]})"
        print(f"load rate not measured: {load['error']}", file=sys.stderr)
    else:
        out["load: pipeline rows/s"] = _fmt(load["pipeline_rows_per_s"], 0)
        out["load: DuckDB Arrow insert rows/s"] = _fmt(load["native_rows_per_s"], 0)
        out["load: pipeline / DuckDB"] = _fmt(load["pipeline_rows_per_s"] / load["native_rows_per_s"], 3)
        out["load: rows in sample"] = f"{sum(load['rows'].values()):,} ({load['articles']} articles)"
    out["nothing new: flow s"] = _fmt(flow_time(again), 2)
    out["nothing new / full"] = _fmt(flow_time(again) / seconds, 3)
    out["fetch makespan s"] = _fmt(full["makespan_seconds"], 1)
    out["politeness bound s (pages/host x delay)"] = _fmt(bound, 1)
    out["makespan / bound"] = _fmt(full["makespan_seconds"] / bound, 2) if bound else "n/a (delay 0)"
    out["peak RSS MiB (flow process)"] = _fmt(max(full["maxrss_mib"], again["maxrss_mib"]), 0)
    out["peak RSS MiB (largest child: server, workers)"] = _fmt(
        max(full["children_maxrss_mib"], again["children_maxrss_mib"]), 0
    )
    out["wall s incl. Prefect start (full, again)"] = (
        f"{full['wall_seconds']:.1f}, {again['wall_seconds']:.1f}"
    )
    return out


def print_table(results: list[dict]) -> None:
    table = {r["n"]: figures(r) for r in results}
    names = list(next(iter(table.values())))
    width = max(map(len, names))
    cols = [f"N={n:,}" for n in table]
    colw = max(16, *(len(v) for f in table.values() for v in f.values()))
    print(f"\n{'':<{width}}  " + "  ".join(f"{c:>{colw}}" for c in cols))
    for name in names:
        print(f"{name:<{width}}  " + "  ".join(f"{table[n].get(name, ''):>{colw}}" for n in table))
    if len(results) > 1:
        first, last = results[0], results[-1]
        ratio = (flow_time(last["full"]) / last["n"]) / (flow_time(first["full"]) / first["n"])
        print(f"\nms/article at N={last['n']:,} / at N={first['n']:,}: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--n", type=int, action="append", help="articles (repeatable; default 1000 and 10000)"
    )
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between requests to one host")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=0, help="fetch workers (default: one per host)")
    parser.add_argument(
        "--runner",
        choices=("auto", "dask", "serial"),
        default="serial",
        help="where process batches run (default: serial, as shipped; auto: dask with 2 cores or more)",
    )
    parser.add_argument("--runner-workers", type=int, default=2, help="processes of the local Dask cluster")
    parser.add_argument("--dask-address", default=None, help="an existing Dask scheduler to run on")
    parser.add_argument("--fetch-batch", type=int, default=200)
    parser.add_argument("--process-batch", type=int, default=100)
    parser.add_argument("--extract-sample", type=int, default=300, help="pages for the trafilatura figure")
    parser.add_argument("--load-sample", type=int, default=1000, help="articles for the load-rate figure")
    parser.add_argument("--memory-limit", default="512MB", help="DuckDB's memory for the run ([database])")
    parser.add_argument("--timeout", type=float, default=6 * 3600, help="seconds one flow run may take")
    parser.add_argument("--workdir", default=None, help="where the databases go (default: the temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument(
        "--profile",
        default=None,
        help="directory for cProfile stats of each run's main thread (full-N.prof, nothing_new-N.prof)",
    )
    args = parser.parse_args()
    if args.profile:
        args.profile = str(Path(args.profile).resolve())
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    sizes = args.n or [1000, 10000]
    results = []
    for n in sizes:
        try:
            results.append(bench_one(n, args))
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"N={n}: {exc}", file=sys.stderr)
    if not results:
        sys.exit(1)
    print(
        f"\nnightly flow on a synthetic web over {args.hosts} hosts, delay {args.delay} s, seed {args.seed}"
    )
    print_table(results)
    if args.json:
        print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-flow":
        child_flow(*sys.argv[2:6])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-load":
        child_load(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
