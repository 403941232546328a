"""/healthz tells a load balancer whether this node can serve."""

import json
from http import HTTPStatus

import pytest

from tests.foundation.test_settings import production_env, run_manage
from tests.support.services import require_redis

PROBE = (
    "import json; from django.test import Client\n"
    "response = Client().get('/healthz', HTTP_HOST='plusweb3.example', secure=True)\n"
    "print(json.dumps({'status': response.status_code, 'body': response.json()}))"
)


def probe_healthz(**env: str) -> dict:
    result = run_manage("shell", "-c", PROBE, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_names_the_database_when_it_is_unreachable():
    """A real unreachable PostgreSQL (a closed port), not a mock."""
    answer = probe_healthz(DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere")
    assert answer["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert answer["body"]["failing"] == ["database"]


def test_healthz_names_the_broker_when_redis_is_unreachable():
    answer = probe_healthz(REDIS_URL="redis://127.0.0.1:9/0")
    assert answer["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert answer["body"]["failing"] == ["broker"]


def test_healthz_checks_the_broker_when_one_is_configured():
    redis_url = require_redis()
    answer = probe_healthz(REDIS_URL=redis_url)
    assert answer["status"] == HTTPStatus.OK
    assert answer["body"]["checks"] == {"database": "ok", "broker": "ok"}
