"""The article form: Markdown help, 参考 links as lines, and the checks an editor sees."""

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article, BodyImage
from news.models.articles import REVISION_FIELDS
from news.revisions import pending_draft_initial

MARKDOWN_HELP = _(
    "Markdown で書きます。保存時にHTMLへ変換され、安全でないタグは取り除かれます。"
    "「## 見出し」が目次に載る大見出し(h2)、「### 小見出し」が小見出し(h3)です。"
    "「**太字**」「[リンク文字](https://…)」「- 箇条書き」「> 引用」"
    "「![説明](画像URL)」が使えます。記事タイトルが h1 なので、本文で「# 」は使わないでください。"
    "最後に「## まとめ」を置くのが基本です。"
)


class ReferencesField(forms.CharField):
    """参考 links edited as lines of 「タイトル | URL」 and stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 3})
    separator = "|"

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{item.get('title', '')} {self.separator} {item.get('url', '')}"
                for item in value
                if isinstance(item, dict)
            )
        return value

    def to_python(self, value):
        text = super().to_python(value)
        references = []
        validate_url = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            title, separator, url = line.rpartition(self.separator)
            title, url = title.strip(), url.strip()
            if not separator or not title or not url:
                raise forms.ValidationError(
                    _("%(number)d行目: 「タイトル | URL」の形で書いてください。"),
                    params={"number": number},
                )
            try:
                validate_url(url)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("%(number)d行目: URLは http:// か https:// で始めてください。"),
                    params={"number": number},
                ) from error
            references.append({"title": title, "url": url})
        return references


class ArticleAdminForm(forms.ModelForm):
    review_comment = forms.CharField(
        label=_("編集長へのコメント"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("「保存してレビューに提出」を押したときに、提出と一緒に記録されます。"),
    )
    references = ReferencesField(
        label=_("参考リンク"),
        required=False,
        help_text=_(
            "1行に1件、「タイトル | URL」の形で書きます。記事の最後に「参考」として表示します。"
        ),
    )

    class Meta:
        model = Article
        # What a revision keeps, and the public state, which only a publisher changes.
        fields = ("status", *REVISION_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 30, "class": "news-markdown-editor"}),
            "lead": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"body": MARKDOWN_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            # A live article's form continues from its newest revision, not the live page.
            self.initial.update(pending_draft_initial(self.instance))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        if cleaned.get("cta_choice") == Article.CTAChoice.CUSTOM and not cleaned.get("cta"):
            self.add_error("cta", _("「個別に指定したCTA」を選んだときはCTAを選んでください。"))
        return cleaned


class BodyImageUploadForm(forms.ModelForm):
    """An image uploaded from the article editor: stored and given variants like any other."""

    class Meta:
        model = BodyImage
        fields = ("image", "alt")

    def clean_alt(self):
        alt = self.cleaned_data["alt"].strip()
        if not alt:
            raise forms.ValidationError(_("画像の内容を短く説明してください(代替テキスト)。"))
        return alt
