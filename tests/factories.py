"""factory_boy factories shared by the test suite; one section per app."""

import time
from dataclasses import fields
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from careers.forms import form_token_make
from careers.models import (
    Advisor,
    AdvisorWeeklyHours,
    Condition,
    Interest,
    Lead,
    Rule,
    RuleMember,
    Team,
)
from careers.services.capture import LeadDetails, lead_create
from careers.services.rulesets import ruleset_draft_create
from news.models import Article, Author, CallToAction, Category, CTAButton, Tag
from outbox.models import Email
from outbox.services import email_send

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
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CTA {n}")
    slug = factory.Sequence(lambda n: f"cta-{n}")
    heading = "AI・Web3業界への転職を考えているあなたへ"
    body = "業界に詳しいアドバイザーが、あなたの経験に合う企業をご紹介します。"
    recommendations = "成長産業で働きたい\n未経験から挑戦したい"

    @factory.post_generation
    def buttons(self, create, extracted, **kwargs):
        """`buttons=[(label, interest), …]`; one button without an interest by default."""
        if not create:
            return
        for position, (label, interest) in enumerate(
            extracted or [("無料キャリア相談に申し込む", "")]
        ):
            CTAButton.objects.create(cta=self, position=position, label=label, interest=interest)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"執筆者{n}")
    name_kana = factory.Sequence(lambda n: f"しっぴつしゃ{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = "AI・Web3業界の取材を続けるライターです。"


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

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.set(extracted)


# ------------------------------------------------------------------------------
# Careers
# ------------------------------------------------------------------------------


class AdvisorFactory(factory.django.DjangoModelFactory):
    """An active career advisor taking new leads, with room for ten."""

    class Meta:
        model = Advisor

    name = factory.Sequence(lambda n: f"アドバイザー{n}")
    email = factory.Sequence(lambda n: f"advisor{n}@example.com")
    team = Team.CAREER
    specialty = Interest.AI
    capacity = 10


class LeadFactory(factory.django.DjangoModelFactory):
    """A candidate's lead as the form saves it: `new`, not yet routed.

    Another status comes with what the database requires of it: a closed lead has a close
    reason, an assigned one an advisor and the time it was assigned.
    """

    class Meta:
        model = Lead

    reference = factory.Sequence(lambda n: f"PW-T{n:03d}-TEST")
    kind = Lead.Kind.CANDIDATE
    name = factory.Sequence(lambda n: f"山田 太郎{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    interest = Interest.AI
    message = "AI業界への転職について相談したいです。"
    consent_version = "1"
    consented_at = factory.LazyFunction(timezone.now)
    status = Lead.Status.NEW
    close_reason = factory.LazyAttribute(
        lambda lead: Lead.CloseReason.OTHER if lead.status == Lead.Status.CLOSED else ""
    )
    advisor = factory.Maybe(
        factory.LazyAttribute(lambda lead: lead.status == Lead.Status.ASSIGNED),
        yes_declaration=factory.SubFactory(AdvisorFactory),
        no_declaration=None,
    )
    assigned_at = factory.LazyAttribute(
        lambda lead: timezone.now() if lead.advisor is not None else None
    )


def weekly_hours_create(advisor, *spans: tuple[str, str], weekdays=range(5)) -> None:
    """Give an advisor the same consultation hours on each of `weekdays` (default Mon–Fri)."""
    spans = spans or (("10:00", "12:00"), ("14:00", "18:00"))
    AdvisorWeeklyHours.objects.bulk_create(
        AdvisorWeeklyHours(advisor=advisor, weekday=weekday, starts_at=start, ends_at=end)
        for weekday in weekdays
        for start, end in spans
    )


SENIOR_RULE = "Web3 で転職時期が3ヶ月以内 → シニアチーム"


def senior_rule_draft(published, advisor, **rule_fields):
    """A draft of `published` whose first rule sends Web3 candidates in a hurry to `advisor`."""
    draft = ruleset_draft_create(source=published)
    rule = Rule.objects.create(ruleset=draft, position=1, name=SENIOR_RULE, **rule_fields)
    Condition.objects.create(rule=rule, fact="interest", operator="is", value="web3")
    Condition.objects.create(rule=rule, fact="timing", operator="is_one_of", value="now,3_months")
    RuleMember.objects.create(rule=rule, advisor=advisor)
    return draft


_DETAIL_NAMES = frozenset(field.name for field in fields(LeadDetails))


def lead_submit(**values) -> Lead:
    """lead_create with a candidate's answers; `values` override answers (LeadDetails fields)
    or pass lead_create's own arguments (attribution, spam_reasons, submission_key…)."""
    answers = {"name": "山田 太郎", "email": "taro@example.com", "interest": Interest.AI}
    answers |= {name: values.pop(name) for name in _DETAIL_NAMES & values.keys()}
    return lead_create(details=LeadDetails(**answers), **values)


def email_as_sent(email: Email) -> Email:
    """The outbox row as the worker leaves it: a web request's email is rendered as it is sent."""
    email_send(email_id=email.id)
    email.refresh_from_db()
    return email


# ------------------------------------------------------------------------------
# Careers: the consultation form
# ------------------------------------------------------------------------------


def _lead_form_data(answers: dict, *, filled_seconds_ago: float, overrides: dict) -> dict:
    """A lead form's POST: the answers, consent, an empty honeypot and a signed form token."""
    token = form_token_make(shown_at=time.time() - filled_seconds_ago)
    return {**answers, "consent": "on", "website": "", "form_token": token, **overrides}


def consultation_form_data(*, filled_seconds_ago: float = 60, **overrides) -> dict:
    """A valid POST of the consultation form, shown `filled_seconds_ago` (past the minimum)."""
    answers = {
        "interest": "ai",
        "timing": "3_months",
        "contact_method": "email",
        "message": "AI業界への転職について相談したいです。",
        "name": "山田 太郎",
        "name_kana": "ヤマダ タロウ",
        "email": "taro@example.com",
        "phone": "090-1234-5678",
        "current_job": "Webエンジニア",
        "experience": "3_5",
    }
    return _lead_form_data(answers, filled_seconds_ago=filled_seconds_ago, overrides=overrides)


def company_inquiry_form_data(*, filled_seconds_ago: float = 60, **overrides) -> dict:
    """A valid POST of the recruiters' inquiry form (/recruiters/), like the one above."""
    answers = {
        "company_name": "株式会社ミライAIラボ",
        "department": "人事部",
        "name": "岡田 真理",
        "email": "okada@mirai-ai.example",
        "phone": "03-1234-5678",
        "engagement": "hiring",
        "interest": "ai",
        "positions": "3",
        "timing": "3_months",
        "message": "LLMアプリケーションのエンジニアを採用したいです。",
    }
    return _lead_form_data(answers, filled_seconds_ago=filled_seconds_ago, overrides=overrides)


# ------------------------------------------------------------------------------
# Projects (業務委託案件)
# ------------------------------------------------------------------------------


class ProjectFactory(factory.django.DjangoModelFactory):
    """An open project by default, a fully remote AI one; pass status for the other states."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"LLMアプリケーション開発案件{n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "生成AIを使った社内ツールの開発です。"
    description = "社内ツールの開発をお任せします。\n\nチームは3名です。"
    field = "ai"
    role = "llm_engineer"
    remote = "full"
    days_per_week_min = 3
    days_per_week_max = 5
    rate_unit = "monthly"
    rate_min = 700_000
    rate_max = 900_000
    duration = "3か月〜"
    client_description = "シリーズBのAIスタートアップ"
    status = "open"
    opened_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=1, minutes=n))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def welcome_skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.welcome_skills.set(extracted)


def freelance_application_form_data(*, filled_seconds_ago: float = 60, **overrides) -> dict:
    """A valid POST of a project's apply form (/projects/<slug>/apply/), like the ones above."""
    answers = {
        "name": "佐々木 陽介",
        "email": "yosuke@example.com",
        "phone": "",
        "timing": "now",
        "available_days": "3",
        "desired_rate": "月額80万円",
        "skills": "Python, PyTorch, AWS",
        "portfolio_url": "https://github.com/yosuke-example",
        "message": "LLMを使った検索基盤を2年ほど開発してきました。",
    }
    return _lead_form_data(answers, filled_seconds_ago=filled_seconds_ago, overrides=overrides)


# ------------------------------------------------------------------------------
# Newsletter
# ------------------------------------------------------------------------------


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber by default; pass status for pending or unsubscribed ones."""

    class Meta:
        model = "newsletter.Subscriber"

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    topics = "both"
    status = "confirmed"
    consent_version = "1"
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda subscriber: timezone.now() if subscriber.status != "pending" else None
    )
    unsubscribed_at = factory.LazyAttribute(
        lambda subscriber: timezone.now() if subscriber.status == "unsubscribed" else None
    )


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.NewsletterIssue"
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"AI・Web3 Insight 第{n}号:今週の注目ニュース")
    intro = "今週も業界の動きをまとめてお届けします。"
    topics = "both"

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if create and extracted:
            self.articles.set(extracted)
