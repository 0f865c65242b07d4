"""The Prefect UI (classic) in a real browser: an operator starts custom `backfill` and `reprocess` runs from the form.

Debian's chromium, headless, strictly offline: every request that does not go to loopback is aborted (the UI
calls an analytics host even with analytics disabled). Selectors are the classic UI's in Prefect 3.8.8, which
the project pins exactly; a failing test leaves a screenshot in its tmp dir.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tasks import clock, db

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Route

    from tests.prefect_server import Deployed, LoadedDatabase

pytest_plugins = ["tests.prefect_server"]
pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
UI_TIMEOUT_MS = 60_000  # a loaded machine can keep the server busy for half a minute
START = date(2024, 11, 1)  # the simulated web has pages before and after it


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        install = "apt-get install -y chromium fonts-noto-core (bash run.sh test does it when run as root)"
        if os.geteuid() != 0:
            pytest.skip(f"{CHROMIUM} is missing and only root can install it: {install}")
        pytest.fail(f"{CHROMIUM} is missing: {install}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    page.route("**/*", loopback_only)
    yield page
    context.close()


def loopback_only(route: Route) -> None:
    host = urlsplit(route.request.url).hostname or ""
    if host == "localhost" or host == "::1" or host.startswith("127."):
        route.fallback()
    else:
        route.abort()


@contextmanager
def screenshot_on_failure(page: Page, path: Path) -> Iterator[None]:
    try:
        yield
    except BaseException:
        with suppress(Exception):  # a dead page must not hide the failure itself
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failure: {path}")
        raise


def guard_run_parameters(page: Page, db_path: Path) -> None:
    """Refuse a run the form would start on the configured database (a field left empty falls back to it)."""

    def check(route: Route) -> None:
        parameters = (route.request.post_data_json or {}).get("parameters", {})
        if parameters.get("db_path") == str(db_path):
            route.fallback()
        else:
            route.fulfill(
                status=418, body=f"refused: parameters {json.dumps(parameters)} miss the test database"
            )

    page.route("**/api/deployments/*/create_flow_run", check)


# --- the classic UI's custom-run form: every kind of field newsmon's flows have (dates, text, lists of an enum,
# booleans; the last two are backfill's) -------------------------------------------------------------------------


def open_custom_run(page: Page, base_url: str, deployment: str) -> None:
    """Deployments list -> the deployment's page -> Run -> Custom run (the parameter form)."""
    page.goto(f"{base_url}/deployments")
    page.get_by_role("link", name=deployment, exact=True).and_(
        page.locator("a[href*='/deployments/deployment/']")
    ).first.click()
    page.get_by_role("button", name="Run", exact=True).click()  # exact: "Runs" is a nav item
    page.get_by_text("Custom run", exact=True).click()
    page.locator(".schema-form-property").first.wait_for()


def form_field(page: Page, name: str) -> Locator:
    label = re.compile(rf"^{re.escape(name)}( \(Optional\))?$")
    return page.locator(".schema-form-property").filter(
        has=page.locator(".schema-form-property__label", has_text=label)
    )


def choose_type(field: Locator, type_name: str) -> None:
    """An optional parameter starts as None: its button group picks the real type (date, str, list, ...).
    A required one has no such group."""
    button = field.locator(".p-button-group").get_by_role("button", name=type_name, exact=True)
    if button.count():
        button.click()


def fill_date(page: Page, name: str, value: date) -> None:
    from playwright.sync_api import expect

    field = form_field(page, name)
    choose_type(field, "date")
    # one date popover at a time: the previous one may still be closing
    expect(page.locator("input[type=date]:visible")).to_have_count(0)
    field.locator(".p-date-button__control").click()
    picker = page.locator("input[type=date]:visible")
    expect(picker).to_have_count(1)
    picker.fill(value.isoformat())
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.locator("input[type=date]:visible")).to_have_count(0)
    expect(field.locator(".p-date-button__value")).not_to_have_text("Select date")


def fill_text(page: Page, name: str, value: str) -> None:
    field = form_field(page, name)
    choose_type(field, "str")
    field.locator("textarea").fill(value)


def choose_options(page: Page, name: str, values: list[str]) -> None:
    """A multi-select (a list of an enum) opens and closes from its icon; a click in its middle does neither."""
    field = form_field(page, name)
    choose_type(field, "list")
    field.locator(".p-select-button__icon").click()
    for value in values:
        page.get_by_role("option", name=value, exact=True).click()
    field.locator(".p-select-button__icon").click()


def set_switch(page: Page, name: str, on: bool) -> None:
    switch = form_field(page, name).get_by_role("switch")
    if (switch.get_attribute("aria-checked") == "true") != on:
        switch.click()


def submit_run(page: Page, attempts: int = 3) -> dict:
    """Submit the form; the new run as the API answered the UI's create_flow_run.

    A busy server answers 503 ("database is locked"), which the browser does not retry: the form stays, and,
    like an operator, the test submits it again.
    """
    for attempt in range(1, attempts + 1):
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/create_flow_run")
        ) as created:
            page.get_by_role("button", name="Submit", exact=True).click()
        response = created.value
        if response.status != 503 or attempt == attempts:
            break
        page.wait_for_timeout(2_000 * attempt)
    assert response.status == 201, response.text()
    page.wait_for_url(re.compile(r"/deployments/deployment/"))  # the UI goes back to the deployment
    return response.json()


# --- the test ---------------------------------------------------------------------------------------------------


def test_custom_reprocess_run_from_the_ui(
    page: Page, deployed: Deployed, nightly_loaded: LoadedDatabase, tmp_path: Path
):
    from playwright.sync_api import expect

    server, path = deployed.server, nightly_loaded.db_path
    guard_run_parameters(page, path)
    with screenshot_on_failure(page, tmp_path / "failure.png"):
        open_custom_run(page, server.url, "reprocess")
        fill_date(page, "start", START)
        fill_text(page, "db_path", str(path))
        fill_text(page, "settings_file", str(nightly_loaded.config.settings_file))
        run = submit_run(page)
        assert run["parameters"]["start"] == START.isoformat()
        assert run["deployment_id"] == server.deployment("reprocess")["id"]

        server.wait_for_run(run["id"])
        page.goto(f"{server.url}/runs/flow-run/{run['id']}")
        expect(page.get_by_text(run["name"], exact=True).first).to_be_visible()
        expect(page.get_by_text("Completed", exact=True).first).to_be_visible()

    decided = (
        "SELECT count(*) FROM raw_pages r JOIN urls u USING (url) LEFT JOIN articles a ON a.url = r.url "
        "WHERE u.status IN ('loaded', 'duplicate', 'irrelevant', 'no_text')"
    )
    with db.connect(path, read_only=True) as con:
        [(params, status, counts)] = con.execute(
            "SELECT params, status, counts FROM runs WHERE run_id = ?", [run["id"]]
        ).fetchall()
        [(every_page,)] = con.execute(decided).fetchall()
        [(since_start,)] = con.execute(
            f"{decided} AND coalesce(a.published_at, u.published_hint) >= ?",
            [clock.day_bounds(START, START)[0]],
        ).fetchall()
    assert status == "completed"
    assert json.loads(params)["start"] == START.isoformat()
    # the date reached the flow as a date: only the pages published since then were redone
    assert 0 < json.loads(counts)["pages"] == since_start < every_page


def test_custom_backfill_run_with_a_date_range_from_the_ui(
    page: Page, deployed: Deployed, served_web, tmp_path: Path
):
    from datetime import UTC, datetime

    from playwright.sync_api import expect

    from flows.demo import demo_settings_toml

    server = deployed.server
    path = tmp_path / "backfill.duckdb"
    settings = tmp_path / "newsmon.toml"
    settings.write_text(demo_settings_toml(path), encoding="utf-8")
    start, end = date(2024, 10, 21), date(2024, 10, 24)
    guard_run_parameters(page, path)
    with screenshot_on_failure(page, tmp_path / "failure.png"):
        open_custom_run(page, server.url, "backfill")
        fill_date(page, "start", start)
        fill_date(page, "end", end)
        choose_options(page, "sources", ["google-news", "wayback"])
        fill_text(page, "db_path", str(path))
        fill_text(page, "settings_file", str(settings))
        run = submit_run(page)
        assert (run["parameters"]["start"], run["parameters"]["end"]) == (start.isoformat(), end.isoformat())
        assert sorted(run["parameters"]["sources"]) == ["google-news", "wayback"]
        assert run["deployment_id"] == server.deployment("backfill")["id"]

        server.wait_for_run(run["id"])
        page.goto(f"{server.url}/runs/flow-run/{run['id']}")
        expect(page.get_by_text(run["name"], exact=True).first).to_be_visible()
        expect(page.get_by_text("Completed", exact=True).first).to_be_visible()

    lo, hi = datetime(2024, 10, 21, tzinfo=UTC), datetime(2024, 10, 25, tzinfo=UTC)
    expected = {t.canonical_url for t in served_web.truth() if t.expect_loaded and lo <= t.published < hi}
    with db.connect(path, read_only=True) as con:
        loaded = {url for (url,) in con.execute("SELECT canonical_url FROM articles").fetchall()}
        sources = {s for (s,) in con.execute("SELECT DISTINCT source FROM url_sources").fetchall()}
    assert expected and loaded == expected
    assert sources == {"google-news", "wayback"}
