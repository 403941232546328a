"""gunicorn settings for `make serve` and the Procfile's web process."""

import os

# Loopback unless told otherwise: a node reachable directly could be sent any X-Forwarded-*
# header. HOST=0.0.0.0 (a container behind its balancer) or BIND (e.g. unix:/run/…) opens it.
bind = (
    os.environ.get("BIND")
    or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let a worker keep serving while one request waits on the database.
threads = int(os.environ.get("WEB_THREADS", "4"))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
timeout = 30
graceful_timeout = 20
# gunicorn 27 opens ~/.gunicorn/gunicorn.ctl by default; several servers on one
# host (tests, benchmarks, blue/green deploys) would otherwise share it.
control_socket_disable = True
accesslog = "-"
# Without tokens or query strings: a newsletter or booking link must not live on in the logs.
logger_class = "config.access_log.RedactingLogger"
errorlog = "-"
# gunicorn never turns X-Forwarded-Proto into https: Django alone decides, and only when
# TRUSTED_PROXY_COUNT says a proxy is there (config/settings.py), so there is one rule.
secure_scheme_headers = {}
