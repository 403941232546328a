"""gunicorn's access log keeps no token and no query string: the links in our emails are keys."""

import runpy
import secrets
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


@pytest.fixture
def access_line(caplog):
    """The access-log line gunicorn, configured by config/gunicorn.conf.py, writes for a request."""
    cfg = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)

    def _line(raw_uri: str, referer: str = "-") -> str:
        path, _, query = raw_uri.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": raw_uri,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_REFERER": referer,
            "HTTP_USER_AGENT": "pytest",
        }
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        request = SimpleNamespace(headers=[("REFERER", referer)])
        caplog.clear()
        logger.access(response, request, environ, timedelta(milliseconds=5))
        return "\n".join(r.getMessage() for r in caplog.records if r.name == "gunicorn.access")

    return _line


@pytest.mark.parametrize(
    "path",
    [
        "/newsletter/unsubscribe/{token}/",
        "/newsletter/confirm/WzEsImFiYyIsMTc2NDZd:1vQ{token}/",
        "/booking/{token}/cancel/",
        "/calendar/{token}.ics",
    ],
)
def test_tokens_in_paths_and_queries_never_reach_the_access_log(access_line, path):
    token = secrets.token_urlsafe(32)
    url = path.format(token=token)

    line = access_line(
        f"{url}?email=hanako%40example.com", referer=f"https://plusweb3.example{url}"
    )

    assert token not in line
    assert "hanako" not in line
    assert "GET /" in line
    assert " 200 " in line


def test_ordinary_paths_stay_readable_in_the_access_log(access_line):
    line = access_line("/articles/ai-jobs-2026/?utm_source=newsletter")
    assert "GET /articles/ai-jobs-2026/ HTTP/1.1" in line
    assert "utm_source" not in line
