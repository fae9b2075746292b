"""Real-browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

No pytest-playwright fixtures: the browser, contexts and pages are made here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 10_000
SHOTS = Path("/tmp/browser-shots")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test of the run (stable sort, so each worker of
    ``pytest -n`` does the same). Once Playwright's sync API has started, the thread has a running
    asyncio loop until the end of the session, which makes Django's ORM refuse to work unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set; that variable must not reach tests that start subprocesses
    (``manage.py check --deploy`` fails on it). Browser tests also flush the database, data
    migrations included (see ``_vocabularies``)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    env = pytest.MonkeyPatch()
    # Playwright's sync API keeps an asyncio loop running in this thread; the test code (factories,
    # ORM checks) is synchronous, so tell Django it is safe. Undone when the browser stops.
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken Chromium install is an environment problem, not a test failure
        playwright.stop()
        env.undo()
        pytest.skip(f"Chromium at {CHROMIUM} could not be started: {exc}")
    yield browser
    browser.close()
    playwright.stop()
    env.undo()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., object]]:
    """Factory: a page in a fresh context (its own cookies), phone-sized unless desktop=True.

    Each page records uncaught JavaScript errors in ``page.js_errors``.
    """
    contexts = []

    def make(*, desktop: bool = False):
        options = DESKTOP if desktop else PHONE
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A phone-sized page (390x844, touch)."""
    return new_page()


@pytest.fixture
def desktop_page(new_page):
    """A desktop page (1280x800) for mouse drawing."""
    return new_page(desktop=True)


#: Data migrations whose rows every page relies on: (app, migration, function).
DATA_MIGRATIONS = (
    ("landscapes", "0002_load_vocabularies", "load"),
    ("planning", "0002_load_ilm_framework", "load"),
    ("planning", "0004_load_indicator_library", "load"),
    ("planning", "0005_link_outputs_to_plan_pages", "link"),
)


@pytest.fixture(autouse=True)
def _data_migrations(request) -> None:
    """Live-server tests are transactional: the database is flushed after each of them, which also
    removes the rows loaded by data migrations (vocabularies, the ILM framework). Load them again."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    for app, name, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(f"landmosaic.{app}.migrations.{name}"), function)(apps, None)


@pytest.fixture
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
