"""Article revisions (django-reversion): saving one, reading one back, restoring one.

History is append-only: restoring an old revision saves its content as a new revision.
"""

import reversion
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from news.models import Article
from news.models.articles import REVISION_FIELDS


def article_versions(article: Article):
    """Revisions of `article`, newest first."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def is_draft_only(article) -> bool:
    """True while article_save writes a revision that readers must not see."""
    return getattr(article, "_draft_only", False)


def article_from_version(version: Version) -> tuple[Article, dict[str, list]]:
    """The article as `version` stored it, and its many-to-many ids kept apart.

    Relations that no longer exist (a deleted tag, a removed login) are dropped, so an
    old revision always loads.
    """
    article = Article.objects.get(pk=version.object_id)
    relations = {}
    for attname, value in version.field_dict.items():
        field = Article._meta.get_field(attname)
        manager = field.related_model._default_manager if field.is_relation else None
        if field.many_to_many:
            relations[field.name] = list(manager.filter(pk__in=value).values_list("pk", flat=True))
        elif field.many_to_one and value is not None and not manager.filter(pk=value).exists():
            setattr(article, attname, None)
        else:
            setattr(article, attname, value)
    return article, relations


def article_save(
    *, article: Article, relations: dict[str, list], user, comment: str, keep_live: bool = False
) -> Version:
    """Save `article` and its relations as one new revision, written by `user`.

    With `keep_live`, readers keep the live content (Wagtail's live page vs latest
    revision): the article is written inside a savepoint so the revision serialises exactly
    what was saved, relations included, and the savepoint is rolled back. django-reversion's
    own revision view renders old versions the same way.
    """
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        with transaction.atomic():
            article._draft_only = keep_live
            try:
                article.save()
                for name, ids in relations.items():
                    getattr(article, name).set(ids)
                # After the relations, so the revision holds the new ones.
                reversion.add_to_revision(article)
            finally:
                del article._draft_only
            if keep_live:
                transaction.set_rollback(True)
        Article.objects.filter(pk=article.pk).update(has_unpublished_changes=keep_live)
    return article_versions(article).first()


def article_restore(*, version: Version, user, keep_live: bool) -> Version:
    """Save the content of an earlier revision as the newest one (see article_save).

    Raises ValidationError (in Japanese) when that content no longer fits, for example
    when another article has taken its slug since.
    """
    article, relations = article_from_version(version)
    article.validate_unique()
    article.validate_constraints()
    when = formats.date_format(timezone.localtime(version.revision.date_created), "Y年n月j日 H:i")
    return article_save(
        article=article,
        relations=relations,
        user=user,
        comment=_("%(when)s の版を復元しました。") % {"when": when},
        keep_live=keep_live,
    )


def pending_draft_initial(article: Article) -> dict:
    """The change form's values for a live article's unpublished revision ({} if none)."""
    if not article.has_unpublished_changes:
        return {}
    latest = article_versions(article).first()
    if latest is None:
        return {}
    draft, relations = article_from_version(latest)
    initial = {name: getattr(draft, name) for name in REVISION_FIELDS if name not in relations}
    return {**initial, **relations}
