"""gunicorn's entry point for the benchmark: the site with the reference view added.

BENCH_PAGE_CACHE=0 serves the news pages without their page cache (news.cache), to time
the render; every other use of the cache stays as in production.
"""

import os

from django.core.wsgi import get_wsgi_application

from config.env import env_bool

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"

application = get_wsgi_application()

if not env_bool("BENCH_PAGE_CACHE", True):
    import news.cache

    # The news views are imported with the URLconf on the first request, after this
    # line, so they are decorated with a pass-through. The bench checks the result:
    # no page may carry the X-Page-Cache header in this mode.
    news.cache.cache_public_page = lambda view: view
