"""Article search (/search/): substring matching, which suits Japanese queries that have no
spaces between words (Article.objects.matching). Uncached, so its work is bounded."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.ratelimit import request_rate_limit, too_many_requests
from news.cache import reader_page
from news.models import Article
from news.selectors import PAGE_SIZE, card_articles, with_card_categories

SEARCH_MAX_LENGTH = 100
# Each term is a substring scan of title, lead and body; more than this narrows little.
SEARCH_MAX_TERMS = 5
# Matches counted at most (「1,000件以上」) and listed at most, newest first: an exact count
# of a term in nearly every article rechecked each one's text (41 ms of 10,000).
SEARCH_MAX_RESULTS = 1000


class BoundedPaginator(Paginator):
    """Pages over the newest SEARCH_MAX_RESULTS matches, counted once by the caller."""

    def __init__(self, object_list, *, count: int):
        super().__init__(object_list, PAGE_SIZE)
        self.count = min(count, SEARCH_MAX_RESULTS)


def search_page(request, terms: list[str]) -> tuple[Page, bool]:
    """The page `?page=` asks for of the public articles holding every term, and whether
    more than SEARCH_MAX_RESULTS match (then only the newest SEARCH_MAX_RESULTS are paged;
    a page past them shows the last one). Two statements, whatever the number of matches."""
    public = Article.objects.public()
    found = public.matching(terms).order_by()[: SEARCH_MAX_RESULTS + 1].count()
    more = found > SEARCH_MAX_RESULTS
    # A term in more matches than the bound is in a good share of the articles: walking the
    # newest finds a page's twelve at once (0.1 ms against 38 ms for 9,874 of 10,000 through
    # the trigram index); the planner cannot know, it estimates one match for any LIKE.
    matches = card_articles(public.matching(terms, indexed=not more))
    page = reader_page(request, BoundedPaginator(matches, count=found))
    page.object_list = list(page.object_list)
    with_card_categories(page.object_list)
    return page, more


@require_safe
def search(request):
    """At most SEARCH_MAX_TERMS distinct terms, each in title, lead or body; a per-client
    limit like the forms'."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    page = more = None
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
        page, more = search_page(request, terms[:SEARCH_MAX_TERMS])
    return render(
        request,
        "news/search.html",
        {
            "query": query,
            "page_obj": page,
            "more_than_shown": more,
            "max_terms": SEARCH_MAX_TERMS,
            "ignored_terms": " ".join(terms[SEARCH_MAX_TERMS:]),
        },
    )
