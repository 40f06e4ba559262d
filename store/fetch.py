"""Fetching papers from Hugging Face: the daily papers API, politely.

- the endpoint is ``https://huggingface.co``, or ``$HF_ENDPOINT`` (huggingface_hub's
  convention), or what the caller passes; ``$HF_TOKEN``, when set, goes as a bearer
  token;
- pages are followed (``p=0, 1, ...``) until a short one; requests are spaced to at
  most a few a second; a 429 is waited out when it asks for a bounded wait (the caller
  is told), 5xx answers and timeouts are retried a few times;
- nothing is stored here: every answer comes back as bytes, and the caller imports them
  all at once (or none, when a request fails), exactly like imported files.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from .fetched import Fetched, FetchError

__all__ = [
    "DEFAULT_ENDPOINT",
    "FetchError",
    "Fetched",
    "Fetcher",
    "endpoint_from_env",
    "last_days",
]

DEFAULT_ENDPOINT = "https://huggingface.co"
ENDPOINT_ENV = "HF_ENDPOINT"
TOKEN_ENV = "HF_TOKEN"
PAGE_LIMIT = 50  # the site's own page size
MAX_PAGES = 40  # pages of one day, week or month at the most
MIN_INTERVAL_S = 0.34  # at most three requests a second
RETRIES = 3
MAX_RATE_WAIT_S = 90.0


@dataclass
class Fetcher:
    """Asks the site for papers. Use :meth:`daily`, :meth:`week`, :meth:`month`,
    :meth:`trending` or :meth:`papers`; each returns the answers, or raises
    :class:`FetchError`."""

    endpoint: str = DEFAULT_ENDPOINT
    token: str | None = None
    timeout_s: float = 20.0
    notice: Callable[[str], None] = lambda message: None
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _last: float = field(default=0.0, init=False)
    _client: httpx.Client | None = field(default=None, init=False)

    # -- what can be asked for -----------------------------------------------------------

    def daily(self, day: date) -> list[Fetched]:
        """The daily papers of ``day`` (every page of them)."""
        return self._paged("daily", {"date": day.isoformat()}, day.isoformat(), day)

    def week(self, week: str) -> list[Fetched]:
        """The papers of an ISO week, ``2024-W47``."""
        return self._paged("weekly", {"week": week}, week, None)

    def month(self, month: str) -> list[Fetched]:
        """The papers of a month, ``2024-11``."""
        return self._paged("monthly", {"month": month}, month, None)

    def trending(self) -> list[Fetched]:
        """The trending papers now."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
        return self._paged("trending", {"sort": "trending"}, stamp, None)

    def papers(self, ids: Iterable[str]) -> list[Fetched]:
        """Single papers by arXiv id."""
        found = []
        for paper_id in ids:
            data = self._get(f"/api/papers/{paper_id.strip()}", {}, f"paper {paper_id}")
            found.append(Fetched(f"paper-{paper_id}.json", data, None, _now(), 1))
        return found

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- requests --------------------------------------------------------------------------

    def _paged(
        self, kind: str, params: dict[str, str], label: str, day: date | None
    ) -> list[Fetched]:
        pages: list[Fetched] = []
        for page in range(MAX_PAGES):
            query = {**params, "p": str(page), "limit": str(PAGE_LIMIT)}
            data = self._get("/api/daily_papers", query, f"{kind} papers of {label}")
            count = len(_array(data, f"{kind} papers of {label}"))
            if count:
                name = f"{kind}-{label}" + (f"-p{page}" if page else "") + ".json"
                pages.append(Fetched(name, data, day, _now(), count))
            if count < PAGE_LIMIT:
                break
        return pages

    def _get(self, path: str, params: dict[str, str], what: str) -> bytes:
        url = self.endpoint.rstrip("/") + path
        for attempt in range(RETRIES + 1):
            self._space_out()
            try:
                response = self._http().get(url, params=params)
            except httpx.TimeoutException:
                if attempt < RETRIES:
                    continue
                raise FetchError(
                    f"{self.endpoint} did not answer in {self.timeout_s:.0f} s ({what})"
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"cannot reach {self.endpoint} ({_reason(exc)}); are you offline?"
                ) from None
            status = response.status_code
            if status == 200:
                return response.content
            if status == 429 and attempt < RETRIES:
                wait = _retry_after(response)
                if wait is None or wait > MAX_RATE_WAIT_S:
                    raise FetchError(f"{self.endpoint} asks to slow down ({what}); try again later")
                self.notice(f"The site asks to slow down: waiting {wait:.0f} s")
                self.sleep(wait)
                continue
            if status >= 500 and attempt < RETRIES:
                self.sleep(2**attempt)
                continue
            raise FetchError(_refusal(self.endpoint, status, what, response))
        raise FetchError(f"{self.endpoint} kept failing ({what})")  # pragma: no cover

    def _http(self) -> httpx.Client:
        if self._client is None:
            headers = {"User-Agent": "paperdeck"}
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            self._client = httpx.Client(
                headers=headers,
                timeout=self.timeout_s,
                follow_redirects=True,
                transport=self.transport,
            )
        return self._client

    def _space_out(self) -> None:
        wait = self._last + MIN_INTERVAL_S - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last = time.monotonic()


def endpoint_from_env(explicit: str | None = None) -> tuple[str, str | None]:
    """The endpoint (``explicit``, else ``$HF_ENDPOINT``, else the site) and the token."""
    endpoint = explicit or os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT
    return endpoint.rstrip("/"), os.environ.get(TOKEN_ENV) or None


def last_days(count: int, today: date | None = None) -> list[date]:
    """The last ``count`` days, today included, oldest first."""
    today = today or datetime.now(UTC).date()
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def _array(data: bytes, what: str) -> list[Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FetchError(f"the answer for the {what} is not valid JSON") from None
    if not isinstance(document, list):
        raise FetchError(f"the answer for the {what} is not a list of papers")
    return document


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait, from ``Retry-After`` or ``RateLimit`` (``...;t=12``)."""
    value = response.headers.get("Retry-After")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    limit = response.headers.get("RateLimit", "")
    for part in limit.replace(",", ";").split(";"):
        name, _, number = part.strip().partition("=")
        if name in ("t", "reset"):
            try:
                return max(0.0, float(number))
            except ValueError:
                return None
    return 5.0


def _refusal(endpoint: str, status: int, what: str, response: httpx.Response) -> str:
    if status == 400:
        return f"{endpoint} does not know the {what} (400: a date, week or month it refuses)"
    if status in (401, 403):
        return f"{endpoint} refused the {what} ({status}): check HF_TOKEN"
    if status == 404:
        return f"{endpoint} has no {what} (404)"
    if status == 429:
        return f"{endpoint} still asks to slow down ({what}); try again later"
    return f"{endpoint} answered {status} for the {what}"


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


def _now() -> datetime:
    return datetime.now(UTC)  # to the microsecond: "arrived after" is exact
