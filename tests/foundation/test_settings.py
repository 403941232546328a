"""The settings behave the same from a shell as in production: checked in real subprocesses."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.support.processes import BASE_DIR

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py with the production settings module and exactly the given environment."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL", "EMAIL_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args, *(["--no-imports"] if args[0] == "shell" else [])],
        cwd=BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "plusweb3.example",
        **extra,
    }


def test_deploy_check_is_clean_in_production_posture():
    """With DEBUG off (the default), a real key and hosts, `check --deploy` warns about nothing."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_is_a_clear_error_when_debug_is_off():
    result = run_manage("check", env={"DJANGO_ALLOWED_HOSTS": "plusweb3.example"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_nonsense_boolean_is_refused():
    result = run_manage("check", env=production_env(DJANGO_DEBUG="maybe"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_without_redis_tasks_run_in_process():
    """No REDIS_URL: Celery runs tasks eagerly, so `make run` needs nothing else installed."""
    code = (
        "from config.celery import app; from celery import shared_task\n"
        "@shared_task\n"
        "def double(x): return 2 * x\n"
        "print(app.conf.task_always_eager, app.conf.broker_url, double.delay(21).get())"
    )
    result = run_manage("shell", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "memory://", "42"]


def test_with_redis_url_tasks_go_to_the_broker():
    code = "from config.celery import app; print(app.conf.task_always_eager, app.conf.broker_url)"
    result = run_manage(
        "shell", "-c", code, env=production_env(REDIS_URL="redis://127.0.0.1:6379/0")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/0"]


def test_database_pool_shares_connections_and_gives_up_as_fast_as_connecting():
    """DATABASE_POOL=1: one psycopg pool per process, queries work, and a wait for a free
    connection ends after DATABASE_CONNECT_TIMEOUT, like a connection attempt."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the pool is PostgreSQL's")
    code = (
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "print(type(connection.pool).__name__, connection.pool.timeout, "
        "connection.settings_dict['CONN_MAX_AGE'])"
    )
    env = production_env(DATABASE_URL=database_url, DATABASE_POOL="1", DATABASE_CONNECT_TIMEOUT="2")
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ConnectionPool", "2", "0"]


def test_routing_has_a_queue_of_its_own_so_an_email_backlog_never_delays_it():
    from careers.services.pipeline import ROUTE_LEAD_TASK
    from config.celery import app
    from outbox.services import SEND_MANY_TASK, SEND_TASK

    assert app.amqp.router.route({}, ROUTE_LEAD_TASK)["queue"].name == "routing"
    assert app.amqp.router.route({}, SEND_TASK)["queue"].name == "email"
    assert app.amqp.router.route({}, SEND_MANY_TASK)["queue"].name == "email"
    # No result backend round trip per task, and a task lost with its worker runs again.
    assert app.conf.task_ignore_result
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
