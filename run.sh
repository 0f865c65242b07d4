#!/usr/bin/env bash
# Bootstrap and run newsmon on a fresh machine that has python3 (3.11) and reaches the package registries.
#   bash run.sh demo     run the pipeline end to end, offline, against the bundled simulated web
#   bash run.sh test     run the whole test suite
#   bash run.sh newsmon ARGS...   any newsmon command
set -euo pipefail
cd "$(dirname "$0")"

uv_cmd() {
  if command -v uv >/dev/null 2>&1; then uv "$@"; return; fi
  if ! python3 -m uv --version >/dev/null 2>&1; then
    python3 -m pip install --quiet uv 2>/dev/null || python3 -m pip install --quiet --break-system-packages uv
  fi
  python3 -m uv "$@"
}

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set, every newsmon, worker and Prefect
# process would otherwise compile all of its modules from source again (about 4 s of CPU each).
sync() {
  uv_cmd sync --frozen --quiet --compile-bytecode
  uv_cmd run --frozen python -m compileall -q -j 0 flows tasks simweb >/dev/null
}

what="${1:-}"
shift || true
case "$what" in
  demo)
    sync
    uv_cmd run --frozen newsmon demo "$@"
    ;;
  test)
    sync
    # The UI test drives Debian's chromium (Playwright's own browser download needs the open internet).
    # Without root it cannot be installed and that test skips, saying so.
    if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing chromium for the UI test (apt-get, about a minute)" >&2
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; } \
        >/dev/null || echo "could not install chromium: the UI test will fail" >&2
    fi
    # two workers: most of the suite's time is spent in Prefect servers and newsmon processes it waits on
    uv_cmd run --frozen pytest -n "${NEWSMON_TEST_WORKERS:-2}" --dist loadgroup "$@"
    ;;
  newsmon)
    sync
    uv_cmd run --frozen newsmon "$@"
    ;;
  *)
    echo "usage: bash run.sh demo | test | newsmon ARGS..." >&2
    exit 64
    ;;
esac
