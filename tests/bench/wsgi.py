"""gunicorn's entry point for the benchmark: the site with the reference view added."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"

application = get_wsgi_application()
