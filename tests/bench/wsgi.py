"""gunicorn's entry point for the benchmark: the site with the reference view added.

BENCH_PAGE_CACHE=0 serves every page without the page cache (tests/bench/settings.py
leaves its middleware out), to time the render; every other use of the cache stays as in
production.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"

application = get_wsgi_application()
