"""Demo content for `manage.py load_demo_content`, one module per app.

In this order: the articles first, because demo leads, the demo issue and the demo
projects link to them (projects share the articles' tags); the 90 days of lead history
after the advisors who take it.
Each loader is idempotent and returns a one-line summary.
"""

from collections.abc import Callable

from base.demo import careers, lead_history, news, newsletter, projects

LOADERS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("news", news.load),
    ("careers", careers.load),
    ("lead history", lead_history.load),
    ("newsletter", newsletter.load),
    ("projects", projects.load),
)
