"""The API's documentation pages work without internet: every asset comes from Tierline itself."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Route, sync_playwright

from tests.browser_server import Server
from tierline.runtime import Runtime

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "docs"
PAGES = ("/docs", "/redoc")


def assets_of(html: str) -> list[str]:
    """Every URL a page loads: scripts, stylesheets, icons, and URLs written inside scripts."""
    return re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"https?://[^\s'\"<>)]+", html)


class TestTheDocumentationPages:
    @pytest.mark.parametrize("path", PAGES)
    def test_the_page_loads_only_tierlines_own_assets(
        self, anonymous: TestClient, path: str
    ) -> None:
        page = anonymous.get(path)

        assert page.status_code == 200
        urls = assets_of(page.text)
        assert urls
        assert all(url.startswith("/") for url in urls), urls

    @pytest.mark.parametrize("path", PAGES)
    def test_every_asset_the_page_names_is_served(self, anonymous: TestClient, path: str) -> None:
        for url in assets_of(anonymous.get(path).text):
            asset = anonymous.get(url)
            assert asset.status_code == 200, url
            assert len(asset.content) > 1000, url

    def test_the_scripts_and_the_stylesheet_have_their_types(self, anonymous: TestClient) -> None:
        types = {
            "/docs/assets/swagger-ui-bundle.js": "javascript",
            "/docs/assets/redoc.standalone.js": "javascript",
            "/docs/assets/swagger-ui.css": "text/css",
        }
        for url, kind in types.items():
            assert kind in anonymous.get(url).headers["content-type"], url

    def test_the_documentation_assets_are_not_in_the_openapi_document(
        self, anonymous: TestClient
    ) -> None:
        paths = anonymous.get("/openapi.json").json()["paths"]
        assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]


@pytest.fixture
def server(runtime: Runtime) -> Iterator[Server]:
    with Server(runtime) as running:
        yield running


@pytest.fixture
def offline_page(server: Server) -> Iterator[tuple[Page, list[str]]]:
    """A Chromium page that may reach Tierline's own server and nothing else."""
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make installs it)")
    refused: list[str] = []

    def only_tierline(route: Route) -> None:
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            refused.append(f"{route.request.resource_type} {route.request.url}")
            route.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.route("**/*", only_tierline)
        yield page, refused
        browser.close()


class TestInABrowserWithoutInternet:
    def test_swagger_ui_shows_every_operation(
        self, server: Server, offline_page: tuple[Page, list[str]]
    ) -> None:
        page, refused = offline_page
        page.goto(server.base + "/docs")

        page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
        assert "Tierline" in page.locator(".swagger-ui .info .title").inner_text()
        assert page.locator(".opblock").count() > 20
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "swagger-ui-offline.png")
        assert refused == []

    def test_redoc_shows_the_api(
        self, server: Server, offline_page: tuple[Page, list[str]]
    ) -> None:
        page, refused = offline_page
        page.goto(server.base + "/redoc")

        page.locator("h1").first.wait_for(timeout=15_000)
        assert "Tierline" in page.locator("h1").first.inner_text()
        assert page.get_by_text("/v1/accounts").count() > 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "redoc-offline.png")
        # ReDoc's bundle asks for its maker's logo once, and hides it when it does not load.
        assert refused in ([], ["image https://cdn.redoc.ly/redoc/logo-mini.svg"])
