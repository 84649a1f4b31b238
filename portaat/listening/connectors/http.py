"""The one HTTP client of listening: limits, errors as ``ConnectorError`` codes, private hosts.

Every connector fetches through :class:`Http`, so timeouts, size limits, Retry-After handling,
conditional GET and the private-address guard are the same for all platforms. Tests replay
recorded responses through a real local server, so this code runs in tests exactly as in
production.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

USER_AGENT = "Portaat/0.1 (civic listening; +https://github.com/portaat)"
MAX_BYTES = 10 * 1024 * 1024


def _error(code: str, detail: str = "", retry_after: float | None = None) -> Exception:
    from portaat.listening.connectors.base import ConnectorError

    return ConnectorError(code, detail, retry_after)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False  # the request itself will fail with a clear error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return True
    return False


class Http:
    """A small synchronous client. ``retries`` applies to 5xx, timeouts and network errors."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        timeout: float = 20.0,
        retries: int = 2,
        max_bytes: int = MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.retries = retries
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.requests = 0
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        ok_statuses: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        """GET with the project's rules; returns the response for a status in ``ok_statuses``."""
        return self._send("GET", url, params, headers, ok_statuses, None)

    def post_form(
        self,
        url: str,
        data: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
        *,
        ok_statuses: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        """POST a form (an OAuth token request) under the same rules, retries and errors as GET.

        Only for idempotent requests: like GET it retries on 5xx, timeouts and network errors.
        """
        return self._send("POST", url, None, headers, ok_statuses, data)

    def post_json(
        self,
        url: str,
        body: Any,
        headers: Mapping[str, str] | None = None,
        *,
        ok_statuses: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        """POST a JSON body (an XRPC procedure such as Bluesky's createSession), same rules.

        Only for idempotent requests: like GET it retries on 5xx, timeouts and network errors.
        """
        return self._send("POST", url, None, headers, ok_statuses, None, body)

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        ok_statuses: tuple[int, ...],
        data: Mapping[str, str] | None,
        json_body: Any = None,
    ) -> httpx.Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _error("invalid_source", f"not an http(s) address: {url}")
        if not self.allow_private and _is_private(parts.hostname):
            raise _error("blocked_host", parts.hostname)
        # httpx would replace a query already in the URL (a Link header's next page) with params
        target = httpx.URL(url)
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        if clean:
            target = target.copy_merge_params(clean)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._fetch(method, target, headers, data, json_body)
            except httpx.TimeoutException as exc:
                if attempt <= self.retries:
                    self.sleep(2.0**attempt)
                    continue
                raise _error("unavailable", f"timeout: {url}") from exc
            except httpx.HTTPError as exc:
                if attempt <= self.retries:
                    self.sleep(2.0**attempt)
                    continue
                raise _error("unavailable", f"{type(exc).__name__}: {url}") from exc
            status = response.status_code
            if status in ok_statuses:
                return response
            if status == 429:
                raise _error(
                    "rate_limited",
                    f"HTTP 429 from {parts.hostname}",
                    retry_after_seconds(response.headers.get("retry-after")) or 60.0,
                )
            if status >= 500 and attempt <= self.retries:
                self.sleep(retry_after_seconds(response.headers.get("retry-after")) or 2.0**attempt)
                continue
            if status >= 500:
                raise _error("unavailable", f"HTTP {status} from {parts.hostname}")
            if status in (401, 403):
                raise _error("unauthorised", f"HTTP {status} from {parts.hostname}")
            if status in (404, 410):
                raise _error("not_found", f"HTTP {status}: {url}")
            raise _error("malformed", f"HTTP {status} from {parts.hostname}")

    def _fetch(
        self,
        method: str,
        url: httpx.URL,
        headers: Mapping[str, str] | None,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        self.requests += 1
        with self._client.stream(
            method, url, headers=headers, data=data, json=json_body
        ) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise _error("too_large", f"{declared} bytes: {url}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise _error("too_large", f"more than {self.max_bytes} bytes: {url}")
        # the body is decoded already: drop the headers that describe the wire encoding
        kept = [
            (key, value)
            for key, value in response.headers.multi_items()
            if key.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=kept,
            content=bytes(body),
            request=response.request,
        )

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET and decode JSON; anything that is not JSON is ``malformed``."""
        response = self.get(url, params, headers)
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _error("malformed", f"not JSON: {url}") from exc
