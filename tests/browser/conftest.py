"""Playwright in Debian's chromium (never a downloaded browser) against Django's live server.

Screenshots go to test-artifacts/ so a person can open them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop; Django refuses sync ORM calls from such a thread otherwise.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page_factory(browser, live_server):  # type: ignore[no-untyped-def]
    """new_page(width, height) -> a page whose goto() takes paths relative to the live server."""
    contexts = []

    def new_page(width: int = 1366, height: int = 900, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                      base_url=live_server.url)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Data the migrations seed; a transactional test's flush empties it for the tests that follow.
SEEDS = [
    ("shouwang.assistance.migrations.0002_seed_measure_kinds", "seed"),
    ("shouwang.assistance.migrations.0003_parameters_and_default_units", "set_units"),
    ("shouwang.monitoring.migrations.0002_default_terms", "add_terms"),
    ("shouwang.visits.migrations.0002_default_referral_targets", "add_targets"),
]


@pytest.fixture(autouse=True)
def migration_seed_data(db):  # type: ignore[no-untyped-def]
    """Re-run the (idempotent) data migrations so every browser test starts with the seeded catalogues."""
    import importlib

    from django.apps import apps

    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
