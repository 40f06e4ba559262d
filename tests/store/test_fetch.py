"""Fetching from a real HTTP server on the loopback that answers as the site does."""

from __future__ import annotations

import json
import socket
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from store import Library
from store.fetch import PAGE_LIMIT, Fetcher, FetchError
from tests.helpers import HF_FIXTURES

ITEMS = json.loads((HF_FIXTURES / "daily_2024-11-25.json").read_text())[:3]


def _papers(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "paper": {
                "id": f"2411.{10000 + n}",
                "title": f"Fetched Paper {n}",
                "summary": "x.",
                "upvotes": n,
            }
        }
        for n in range(start, start + count)
    ]


def _fetcher(server: HTTPServer, **options: Any) -> Fetcher:
    waits: list[float] = []
    fetcher = Fetcher(server.url_for("").rstrip("/"), sleep=waits.append, **options)
    fetcher.waits = waits  # type: ignore[attr-defined]
    return fetcher


def test_pages_are_followed_until_a_short_one(httpserver: HTTPServer) -> None:
    for page, items in ((0, _papers(PAGE_LIMIT)), (1, _papers(3, PAGE_LIMIT))):
        httpserver.expect_ordered_request(
            "/api/daily_papers",
            query_string={"date": "2024-11-25", "p": str(page), "limit": str(PAGE_LIMIT)},
        ).respond_with_json(items)
    answers = _fetcher(httpserver).daily(date(2024, 11, 25))
    assert [a.papers for a in answers] == [PAGE_LIMIT, 3]
    assert [a.name for a in answers] == ["daily-2024-11-25.json", "daily-2024-11-25-p1.json"]
    assert all(a.day == date(2024, 11, 25) for a in answers)


@pytest.mark.parametrize(
    ("ask", "params"),
    [
        (lambda f: f.week("2024-W47"), {"week": "2024-W47"}),
        (lambda f: f.month("2024-11"), {"month": "2024-11"}),
        (lambda f: f.trending(), {"sort": "trending"}),
    ],
)
def test_week_month_and_trending_are_asked_as_the_site_expects(
    httpserver: HTTPServer, ask: Any, params: dict[str, str]
) -> None:
    httpserver.expect_request(
        "/api/daily_papers", query_string={**params, "p": "0", "limit": str(PAGE_LIMIT)}
    ).respond_with_json(ITEMS)
    answers = ask(_fetcher(httpserver))
    assert len(answers) == 1 and answers[0].papers == 3


def test_single_papers_and_the_token(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/api/papers/2411.15124", headers={"Authorization": "Bearer secret"}
    ).respond_with_data((HF_FIXTURES / "paper_2411.15124.json").read_bytes())
    answers = _fetcher(httpserver, token="secret").papers(["2411.15124"])
    assert answers[0].name == "paper-2411.15124.json"


def test_429_is_waited_out_and_said(httpserver: HTTPServer) -> None:
    told: list[str] = []
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_json(ITEMS)
    fetcher = _fetcher(httpserver, notice=told.append)
    assert fetcher.daily(date(2024, 11, 25))[0].papers == 3
    assert 7.0 in fetcher.waits  # type: ignore[attr-defined]
    assert told and "waiting 7 s" in told[0]


def test_a_429_asking_for_too_long_a_wait_fails_in_one_line(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(FetchError, match="slow down"):
        _fetcher(httpserver).daily(date(2024, 11, 25))


def test_server_errors_are_retried_then_reported(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_data("", status=502)
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_data("", status=500)
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_json(ITEMS)
    assert _fetcher(httpserver).daily(date(2024, 11, 25))[0].papers == 3
    httpserver.clear()
    httpserver.expect_request("/api/daily_papers").respond_with_data("", status=503)
    with pytest.raises(FetchError, match="503"):
        _fetcher(httpserver).daily(date(2024, 11, 25))


def test_a_bad_date_is_said(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/daily_papers").respond_with_data("bad date", status=400)
    with pytest.raises(FetchError, match="400"):
        _fetcher(httpserver).daily(date(2024, 11, 25))


def test_malformed_json_is_said(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/daily_papers").respond_with_data('[{"paper": ')
    with pytest.raises(FetchError, match="not valid JSON"):
        _fetcher(httpserver).daily(date(2024, 11, 25))


def test_a_timeout_is_said(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(ITEMS), content_type="application/json")

    httpserver.expect_request("/api/daily_papers").respond_with_handler(slow)
    with pytest.raises(FetchError, match="did not answer"):
        _fetcher(httpserver, timeout_s=0.2).daily(date(2024, 11, 25))


def test_an_unreachable_endpoint_is_one_line_and_changes_nothing(
    loaded: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = sorted(p.name for p in Path(loaded.paths.pages_dir).iterdir())
    code = main(
        ["--data-dir", str(loaded.paths.root), "fetch", "--endpoint", f"http://127.0.0.1:{port}"]
    )
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "cannot reach" in err
    assert sorted(p.name for p in Path(loaded.paths.pages_dir).iterdir()) == before


def test_the_command_fetches_days_and_imports_them(
    httpserver: HTTPServer, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    httpserver.expect_request(
        "/api/daily_papers", query_string={"date": "2024-11-24", "p": "0", "limit": "50"}
    ).respond_with_json([])
    httpserver.expect_request(
        "/api/daily_papers", query_string={"date": "2024-11-25", "p": "0", "limit": "50"}
    ).respond_with_json(ITEMS)
    args = ["--data-dir", str(library.paths.root), "fetch", "--endpoint", httpserver.url_for("")]
    assert main([*args, "--date", "2024-11-25"]) == 0
    out = capsys.readouterr().out
    assert "3 new papers" in out
    assert main([*args, "--date", "2024-11-25"]) == 0  # again: nothing changes
    assert "0 new papers" in capsys.readouterr().out
    with Library.open(library.paths.root) as reopened:
        assert reopened.count() == 3 and reopened.get("2411.15124").github_stars == 3100
