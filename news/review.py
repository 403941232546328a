"""The review workflow: an editor submits, the 編集長 approves (publishing) or sends back.

Each step is an ArticleEvent (who, when, comment, which revision). The workflow state is
not content: it is written with UPDATE, so it never makes a revision of its own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version
from reversion_compare.helpers import html_diff

from news.models import Article, ArticleEvent
from news.models.articles import REVISION_FIELDS
from news.permissions import can_publish
from news.revisions import article_from_version, article_save, article_versions
from outbox.services import email_queue


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff_html: str


def article_submit(*, article: Article, user, comment: str = "") -> ArticleEvent:
    """Ask the 編集長 to review the newest revision."""
    if article.review_status == Article.ReviewStatus.IN_REVIEW:
        raise ValidationError(_("この記事はすでにレビュー待ちです。"))
    if article.status == Article.Status.PUBLISHED and not article.has_unpublished_changes:
        raise ValidationError(_("公開中の内容から変更がないため、提出するものがありません。"))
    with transaction.atomic():
        _set_review_status(article, Article.ReviewStatus.IN_REVIEW)
        return article_event_record(
            article=article, action=ArticleEvent.Action.SUBMITTED, user=user, comment=comment
        )


def article_approve(*, article: Article, user, comment: str = "") -> ArticleEvent:
    """Publish the revision under review: now, or at the publication time it names."""
    _require_publisher(user)
    _require_in_review(article)
    latest = article_versions(article).first()
    if latest is None:
        draft, relations = article, {}
    else:
        draft, relations = article_from_version(latest)
    draft.validate_unique()
    draft.validate_constraints()
    draft.status = Article.Status.PUBLISHED
    draft.published_at = draft.published_at or timezone.now()
    draft.review_status = Article.ReviewStatus.NONE
    with transaction.atomic():
        article_save(
            article=draft, relations=relations, user=user, comment=_("承認して公開しました。")
        )
        event = article_event_record(
            article=draft, action=ArticleEvent.Action.APPROVED, user=user, comment=comment
        )
        _email_decision(event)
    article.refresh_from_db()
    return event


def article_send_back(*, article: Article, user, comment: str) -> ArticleEvent:
    """Return the article to its editor with the reason; nothing is published."""
    _require_publisher(user)
    _require_in_review(article)
    if not comment.strip():
        raise ValidationError(_("差し戻す理由をコメントに書いてください。"))
    with transaction.atomic():
        _set_review_status(article, Article.ReviewStatus.SENT_BACK)
        event = article_event_record(
            article=article, action=ArticleEvent.Action.SENT_BACK, user=user, comment=comment
        )
        _email_decision(event)
    return event


def changes_under_review(article: Article) -> list[FieldChange]:
    """What approving would change on the live page: live content against the newest revision.

    For an article never published, every field the revision fills is a change.
    """
    latest = article_versions(article).first()
    if latest is None:
        return []
    draft, relations = article_from_version(latest)
    live = Article.objects.get(pk=article.pk)
    is_live = live.status == Article.Status.PUBLISHED
    changes = []
    for name in REVISION_FIELDS:
        field = Article._meta.get_field(name)
        if field.many_to_many:
            before = _names(getattr(live, name).all()) if is_live else ""
            after = _names(field.related_model._default_manager.filter(pk__in=relations[name]))
        else:
            before = _display(live, field) if is_live else ""
            after = _display(draft, field)
        if before != after:
            changes.append(FieldChange(str(field.verbose_name), html_diff(before, after)))
    return changes


def _email_decision(event: ArticleEvent) -> None:
    """Tell the editor who submitted what the 編集長 decided; queued, sent after commit."""
    submitted = (
        event.article.events.filter(action=ArticleEvent.Action.SUBMITTED)
        .select_related("actor")
        .first()
    )
    editor = submitted.actor if submitted is not None else None
    if editor is None or not editor.email:
        return  # the event on the article still records the decision
    path = reverse("admin:news_article_change", args=[event.article_id])
    email_queue(
        key=f"news:review:{event.pk}",
        kind="news_review_decision",
        to=[editor.email],
        template="news/email/review_decision",
        context={
            "article": event.article,
            "approved": event.action == ArticleEvent.Action.APPROVED,
            "comment": event.comment,
            "editor_name": editor.get_full_name() or editor.get_username(),
            "reviewer_name": event.actor.get_full_name() or event.actor.get_username(),
            "admin_url": f"{settings.SITE_URL}{path}",
        },
    )


def _names(queryset) -> str:
    return "、".join(str(item) for item in queryset)


def _display(article: Article, field) -> str:
    value = getattr(article, field.name)
    if value is None or value == "":
        return ""
    if field.get_internal_type() == "DateTimeField":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if field.choices:
        return str(getattr(article, f"get_{field.name}_display")())
    # Forms strip trailing whitespace and browsers send CRLF: neither is a change.
    return str(value).replace("\r\n", "\n").strip()


def _require_publisher(user) -> None:
    if not can_publish(user):
        raise PermissionDenied(_("記事を公開できるのは編集長だけです。"))


def _require_in_review(article: Article) -> None:
    if article.review_status != Article.ReviewStatus.IN_REVIEW:
        raise ValidationError(_("この記事はレビュー待ちではありません。"))


def _set_review_status(article: Article, status: str) -> None:
    Article.objects.filter(pk=article.pk).update(review_status=status)
    article.review_status = status


def article_event_record(*, article: Article, action: str, user, comment: str = "") -> ArticleEvent:
    """One step of the article's review, tied to its newest revision."""
    return ArticleEvent.objects.create(
        article=article,
        action=action,
        actor=user,
        comment=comment.strip(),
        version=Version.objects.get_for_object(article).first(),
    )
