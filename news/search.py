"""Article search (/search/): substring matching, which suits Japanese queries that have no
spaces between words (Article.objects.matching). Uncached, so its work is bounded."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.ratelimit import request_rate_limit, too_many_requests
from news.models import Article
from news.selectors import articles_page, card_articles, with_card_categories

SEARCH_MAX_LENGTH = 100
# Each term is a substring scan of title, lead and body; more than this narrows little.
SEARCH_MAX_TERMS = 5


@require_safe
def search(request):
    """At most SEARCH_MAX_TERMS distinct terms, each in title, lead or body; a per-client
    limit like the forms'."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    page = None
    terms = list(dict.fromkeys(query.split()))
    if query:
        retry_after = request_rate_limit(
            request,
            scope="search-ip",
            limit=settings.RATELIMIT_SEARCH_LIMIT,
            window=settings.RATELIMIT_SEARCH_WINDOW_SECONDS,
        )
        if retry_after:
            return too_many_requests(request, retry_after, searching=True)
        matches = card_articles(Article.objects.public()).matching(terms[:SEARCH_MAX_TERMS])
        page = articles_page(request, matches)
        with_card_categories(page.object_list)
    return render(
        request,
        "news/search.html",
        {
            "query": query,
            "page_obj": page,
            "max_terms": SEARCH_MAX_TERMS,
            "ignored_terms": " ".join(terms[SEARCH_MAX_TERMS:]),
        },
    )
