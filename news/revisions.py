"""Article revisions (django-reversion): saving one, reading one back, restoring one.

History is append-only: restoring an old revision saves its content as a new revision.
A revision also keeps the body images its body showed (Article follows `body_images`), so
restoring it brings back any deleted since.
"""

import reversion
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from news.models import Article, BodyImage
from news.models.articles import REVISION_FIELDS
from news.oembed import embedded_posts_fetch_ring


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


def article_body_images_link(article: Article) -> None:
    """Link `article` to the body images its body shows, and (re)add it to the revision being
    made, so the revision keeps those images (linking from the article's side is a reverse
    relation, which django-reversion's own m2m hook does not follow)."""
    article.body_images.set(BodyImage.objects.shown_in(article.body))
    if reversion.is_active():
        reversion.add_to_revision(article)


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
                article_body_images_link(article)
            finally:
                del article._draft_only
            if keep_live:
                transaction.set_rollback(True)
        Article.objects.filter(pk=article.pk).update(has_unpublished_changes=keep_live)
        # Outside the savepoint, so a draft's posts are fetched too: its preview shows them.
        embedded_posts_fetch_ring(article.body_html)
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
    with transaction.atomic():
        _body_images_restore(version)
        return article_save(
            article=article,
            relations=relations,
            user=user,
            comment=_("%(when)s の版を復元しました。") % {"when": when},
            keep_live=keep_live,
        )


def _body_images_restore(version: Version) -> None:
    """Bring back, as they were, the body images of `version`'s revision deleted since.

    Their files were never deleted (Django leaves files behind), so the URLs in the restored
    body are served again, with their srcset. Images still here are left alone.
    """
    image_versions = version.revision.version_set.get_for_model(BodyImage)
    present = set(
        BodyImage.objects.filter(
            pk__in=[image_version.object_id for image_version in image_versions]
        ).values_list("pk", flat=True)
    )
    for image_version in image_versions:
        if int(image_version.object_id) not in present:
            image_version.revert()


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
