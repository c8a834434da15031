"""Tierline served by uvicorn in a thread on a free loopback port, for browser tests."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from tierline.api.app import create_app
from tierline.runtime import Runtime
from tierline.services.operators import create_api_key


class Server:
    """Tierline served by uvicorn in a thread; `link(account)` asks the API for a portal URL."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        app = create_app(rt, secret_key="browser-tests")
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._key = create_api_key("browser tests", uow=rt.uow(), clock=rt.clock).secret

    def __enter__(self) -> Server:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(5)

    def link(self, account_id: str, role: str = "admin") -> str:
        response = httpx.post(
            f"{self.base}/v1/portal_sessions",
            json={"account_id": account_id, "role": role},
            headers={"Authorization": f"Bearer {self._key}"},
            timeout=30,  # a first request on a busy machine may take longer than httpx's 5 s
        )
        assert response.status_code == 201, response.text
        url: str = response.json()["url"]
        return url
