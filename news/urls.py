from django.urls import path

from news import listing, search, views
from news.cache import cache_public_page
from news.feeds import LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("", listing.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/cta/<slug:cta_slug>/", views.cta_click, name="cta_click"),
    path(
        "articles/<slug:slug>/cta/<slug:cta_slug>/<slug:interest>/",
        views.cta_click,
        name="cta_click",
    ),
    path("articles/<slug:slug>/go/<slug:door>/", views.door_click, name="door_click"),
    path("categories/<slug:slug>/", listing.category_detail, name="category"),
    path("tags/<slug:slug>/", listing.tag_detail, name="tag"),
    path("authors/<slug:slug>/", listing.author_detail, name="author"),
    path("search/", search.search, name="search"),
    path("feed/", cache_public_page(LatestArticlesFeed()), name="feed"),
]
