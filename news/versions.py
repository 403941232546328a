"""What a save leaves stored of the article and list pages: each article's own version, and two
generations narrower than the page cache's.

Every save bumps the page-cache generation (news.cache.NEWS_PAGES), so right after any save
every page would be rendered again. The article and list pages' parts are instead stored
with the versions of the articles they show (`StoredParts`): a save of one article renders
again only the pages that show it. What reaches every such page has its own generation:
`LABELS` (a category, tag, CTA, author or X post, shown by name on many articles) and
`PLACES` (which articles are public, when, featured or not, and with which tags, categories
and authors: what the lists, the related cards and the pager are chosen from).
"""

import time

from django.core.cache import cache
from django.db import transaction

from news.cache import NEWS_PAGES, PageCache

LABELS = PageCache("news-labels")
PLACES = PageCache("news-places")
# The one part of a list page's StoredParts.
LIST = "list"


def _version_key(slug: str) -> str:
    return f"news:article-version:{slug}"


def article_versions(slugs: set[str]) -> dict[str, int]:
    """The current version of each article slug, in one round trip once they are known."""
    keys = {_version_key(slug): slug for slug in slugs}
    versions = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
    missing = slugs - versions.keys()
    if missing:
        # Time-based, like the generations: a version lost with an evicted key never comes
        # back, and overwriting one set meanwhile only makes parts stale, never stale parts
        # valid.
        fresh = {slug: time.time_ns() + index for index, slug in enumerate(missing)}
        cache.set_many({_version_key(slug): version for slug, version in fresh.items()}, None)
        versions |= fresh
    return versions


def article_versions_bump(slugs: set[str]) -> None:
    """Make the parts that show these articles stale, now and again after commit (see
    PageCache.bump_generation)."""

    def bump():
        for slug in slugs:
            try:
                cache.incr(_version_key(slug))
            except ValueError:
                cache.set(_version_key(slug), time.time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


class StoredParts:
    """The stored parts of one public page (`scope`), each part valid while the articles it
    shows keep their versions and the generations it depends on stay (`depends_on`: part name
    → families, LABELS or PLACES).

    `parts` holds the valid parts by name; `outdated` the parts whose generations hold but
    some of whose articles were saved since, with those articles' slugs, for a page that can
    render again only what shows them (a list's cards).

    Read in one round trip: the process remembers which articles each page's parts showed,
    so their versions come with the parts. Parts are stored only if no save came between the
    read and the store, so parts rendered from data a save changed meanwhile are never
    stored under the versions that save left behind.
    """

    # scope → the slugs its stored parts show; only pages whose parts were stored.
    _shown: dict[str, set[str]] = {}

    def __init__(self, scope: str, depends_on: dict[str, tuple[PageCache, ...]]):
        self.scope = scope
        self.depends_on = depends_on
        self.keys = {name: f"news:parts:{name}:{scope}" for name in depends_on}
        families = (NEWS_PAGES, LABELS, PLACES)
        version_keys = {_version_key(shown): shown for shown in self._shown.get(scope, ())}
        stored = cache.get_many(
            [*self.keys.values(), *(family.generation_key for family in families), *version_keys]
        )
        # The saves so far: `keep` stores nothing if another came meanwhile.
        self.saves = stored.get(NEWS_PAGES.generation_key)
        # A generation lost with its key is made afresh, never read as "none yet".
        self.generations = {
            family.namespace: stored.get(family.generation_key) or family.current_generation()
            for family in (LABELS, PLACES)
        }
        entries = {name: stored[key] for name, key in self.keys.items() if key in stored}
        versions = {version_keys[key]: stored[key] for key in version_keys if key in stored}
        shown = set().union(*(entry["versions"].keys() for entry in entries.values()))
        if shown - versions.keys():
            versions |= article_versions(shown - versions.keys())
            self._shown[scope] = shown
        # Parts whose generations hold: current, or outdated by the articles saved since.
        self.parts, self.outdated = {}, {}
        for name, entry in entries.items():
            if entry["generations"] != self._generations(name):
                continue
            saved = {
                each for each, version in entry["versions"].items() if versions[each] != version
            }
            if saved:
                self.outdated[name] = (entry["parts"], saved)
            else:
                self.parts[name] = entry["parts"]
        self._shows = set().union(*(entries[name]["versions"].keys() for name in self.parts))
        self.versions = versions

    def _generations(self, name: str) -> dict[str, int]:
        return {
            family.namespace: self.generations[family.namespace] for family in self.depends_on[name]
        }

    def keep(self, name: str, parts: dict, *, shows: set[str]) -> None:
        """Store `parts`, which show the articles `shows`, unless a save came meanwhile.

        The versions read with the parts serve for the articles they showed: a save since
        then moved the page-cache generation too, and then nothing is stored.
        """
        versions = {slug: self.versions[slug] for slug in shows & self.versions.keys()}
        if unknown := shows - versions.keys():
            versions |= article_versions(unknown)
        if cache.get(NEWS_PAGES.generation_key) != self.saves:
            return
        entry = {"parts": parts, "versions": versions, "generations": self._generations(name)}
        # Never past the moment an article goes live or expires, like the pages.
        cache.set(self.keys[name], entry, timeout=NEWS_PAGES.page_timeout())
        self._shows |= shows
        self._shown[self.scope] = self._shows


def article_parts(slug: str) -> StoredParts:
    """An article page's parts: `own` (head, breadcrumb, body with its cards, TOC, tags,
    author box, CTA) under LABELS, `around` (pager and related cards) under LABELS and PLACES."""
    return StoredParts(f"article:{slug}", {"own": (LABELS,), "around": (LABELS, PLACES)})


def list_parts(page: str) -> StoredParts:
    """A list page's parts (home, a category's, a tag's or an author's articles; `page` is
    its path and page number), under LABELS (names on its cards and heading) and PLACES
    (which articles it lists, in which order, which are featured)."""
    return StoredParts(f"list:{page}", {LIST: (LABELS, PLACES)})
