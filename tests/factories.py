"""factory_boy factories shared by the test suite; one section per app."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from news.models import Article, CallToAction, Category, Tag

# ------------------------------------------------------------------------------
# Accounts
# ------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


# ------------------------------------------------------------------------------
# News
# ------------------------------------------------------------------------------


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"カテゴリ{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "テスト用のカテゴリです。"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"タグ{n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class CallToActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallToAction

    name = factory.Sequence(lambda n: f"CTA {n}")
    slug = factory.Sequence(lambda n: f"cta-{n}")
    heading = "AI・Web3業界への転職を考えているあなたへ"
    body = "業界に詳しいアドバイザーが、あなたの経験に合う企業をご紹介します。"
    recommendations = "成長産業で働きたい\n未経験から挑戦したい"
    button_label = "無料キャリア相談に申し込む"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A public article by default; pass status/published_at for drafts and scheduled ones."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"テスト記事{n}:生成AIの最新動向")
    slug = factory.Sequence(lambda n: f"article-{n}")
    lead = "AI業界の最新ニュースを解説します。"
    body = "## 概要\n\nAI業界で大きな動きがありました。\n\n## まとめ\n\n今後も注目です。\n"
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=1, minutes=n))
    byline = "Plus Web3編集部"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
