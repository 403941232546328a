"""X (Twitter) posts quoted in articles, stored so that no third-party script reaches readers."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

# https://x.com/<user>/status/<id> or twitter.com, as editors paste it (query string ignored).
X_STATUS_URL = re.compile(
    r"^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?P<handle>[A-Za-z0-9_]{1,15})"
    r"/status/(?P<status_id>\d{1,25})/?(?:\?[^\s<>\"]*)?$"
)


class EmbeddedPost(TimeStampedModel):
    """An X post's words as the editor copied them; rendered as a static card in articles."""

    url = models.URLField(
        _("ポストのURL"),
        max_length=300,
        help_text=_("https://x.com/<ユーザー名>/status/<番号> の形式。"),
    )
    status_id = models.CharField(_("ポストの番号"), max_length=25, unique=True, editable=False)
    author_name = models.CharField(_("投稿者の表示名"), max_length=100)
    author_handle = models.CharField(_("ユーザー名"), max_length=15, editable=False)
    text = models.TextField(_("本文"), max_length=2000)
    posted_at = models.DateTimeField(_("投稿日時"))

    class Meta:
        verbose_name = _("Xのポスト")
        verbose_name_plural = _("Xのポスト")
        ordering = ["-posted_at"]

    def __str__(self):
        return f"@{self.author_handle}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        # Derived data only: the handle and id the card and the lookup use.
        match = X_STATUS_URL.match(self.url or "")
        if match is not None:
            self.author_handle, self.status_id = match["handle"], match["status_id"]
        super().save(*args, **kwargs)

    def clean(self):
        match = X_STATUS_URL.match(self.url or "")
        if match is None:
            raise ValidationError(
                {"url": _("x.com または twitter.com のポストのURLを入力してください。")}
            )
        # status_id is not on the form, so the form's own unique check cannot see it; a post
        # a worker fetched (news/oembed.py) is corrected in its row, not entered twice.
        twin = EmbeddedPost.objects.filter(status_id=match["status_id"]).exclude(pk=self.pk)
        if twin.exists():
            raise ValidationError(
                {"url": _("このポストは登録済みです。一覧から開いて内容を直してください。")}
            )

    @property
    def canonical_url(self) -> str:
        return f"https://x.com/{self.author_handle}/status/{self.status_id}"
