"""Headers from a proxy are believed only when TRUSTED_PROXY_COUNT says one is there; gunicorn
listens on 127.0.0.1 unless told otherwise (issue 14, item 7)."""

import runpy

import pytest
from django.test import RequestFactory

from tests.foundation.test_settings import production_env, run_manage
from tests.support.processes import BASE_DIR

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GUNICORN_CONF = str(BASE_DIR / "config" / "gunicorn.conf.py")
SHOW_PROXY_HEADER = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"


def test_a_forged_forwarded_proto_does_not_make_a_request_secure():
    """The test settings have no trusted proxy (the default): the header is anyone's."""
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert not request.is_secure()


def test_forwarded_proto_is_trusted_only_behind_a_trusted_proxy():
    without = run_manage("shell", "-c", SHOW_PROXY_HEADER, env=production_env())
    behind = run_manage(
        "shell", "-c", SHOW_PROXY_HEADER, env=production_env(TRUSTED_PROXY_COUNT="1")
    )
    assert without.stdout.strip() == "None", without.stderr
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", behind.stderr


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "127.0.0.1:8000"),
        ({"PORT": "8001"}, "127.0.0.1:8001"),
        ({"HOST": "0.0.0.0"}, "0.0.0.0:8000"),  # noqa: S104 - the setting under test
        ({"BIND": "unix:/run/plusweb3/gunicorn.sock"}, "unix:/run/plusweb3/gunicorn.sock"),
    ],
)
def test_gunicorn_listens_on_loopback_unless_told_otherwise(monkeypatch, env, bind):
    for name in ("HOST", "BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(GUNICORN_CONF)
    assert config["bind"] == bind
    # gunicorn itself never turns X-Forwarded-Proto into https; Django decides, as above.
    assert config["secure_scheme_headers"] == {}
