"""Demo content for `manage.py load_demo_content`: categories, authors, the CTA and articles.

Articles are Markdown files under base/demo/articles/, each with a small header block:

    ---
    title: ...
    slug: ascii-slug
    categories: ai, web3
    tags: openai:OpenAI, generative-ai:生成AI
    published: 2025-02-12 09:00   (JST; or +14d for scheduled, or "draft")
    featured: yes
    lead: ...
    hero_alt: ...
    reference: タイトル | https://...   (one line per link)
    pinned: other-slug
    ---

Idempotent: existing rows are found by slug and left as they are, so a second
run changes nothing and never overwrites an editor's work.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from news.models import Article, Author, CallToAction, Category, Tag
from news.models.cta import DEFAULT_BUTTONS

DEMO_DIR = Path(__file__).resolve().parent / "articles"
EDITOR_USERNAME = "editor-demo"
BYLINE = "Plus Web3編集部"

CATEGORIES = [
    {
        "slug": "ai",
        "name": "AI",
        "order": 1,
        "description": "生成AI、基盤モデル、AIインフラから規制まで。AI業界の動きと、"
        "そこで求められる人材を読み解きます。",
    },
    {
        "slug": "web3",
        "name": "Web3",
        "order": 2,
        "description": "暗号資産、ブロックチェーン、ステーブルコイン。Web3業界のニュースを、"
        "事業とキャリアの視点から解説します。",
    },
]

DEFAULT_CTA = {
    "slug": "plusweb3-career",
    "name": "Plus Web3 キャリア相談(既定)",
    "heading": "AI・Web3業界への転職を考えているあなたへ",
    "body": (
        "ニュースで見る技術の変化を、自分の仕事にしたい。そう感じたことはありませんか。\n\n"
        "Plus Web3は、AI・Web3など先端技術に投資する企業の採用に特化したキャリア支援サービスです。"
        "業界を長く見てきたアドバイザーが、求人票だけでは分からない事業の実態やチームの雰囲気まで"
        "お伝えします。"
    ),
    "recommendations": (
        "AI・Web3業界で新しいキャリアを始めたい\n"
        "未経験だが、これまでの経験を活かして挑戦したい\n"
        "自分のスキルが先端分野でどう評価されるか知りたい\n"
        "公開されていない優良企業の求人を知りたい"
    ),
    "closing": "経験・スキル・志向を丁寧に伺い、あなたに合う企業とポジションをご提案します。",
}

# One fictional writer per desk; an article is written by the writers of its categories.
AUTHORS = {
    "ai": {
        "slug": "aoi-takahashi",
        "name": "高橋 葵",
        "name_kana": "たかはし あおい",
        "bio": (
            "Plus Web3 編集部でAIを担当。SaaS企業の広報を経て、生成AIと半導体、"
            "AI規制の動きを追っています。"
        ),
    },
    "web3": {
        "slug": "ren-nakamura",
        "name": "中村 蓮",
        "name_kana": "なかむら れん",
        "bio": (
            "Plus Web3 編集部でWeb3を担当。暗号資産交換業者でのコンプライアンス業務を経て、"
            "ステーブルコインと規制、セキュリティ事件を取材しています。"
        ),
    },
}

PALETTES = {
    "ai": ((30, 27, 75), (79, 70, 229), (34, 211, 238)),
    "web3": ((4, 47, 46), (13, 148, 136), (250, 204, 21)),
}


@dataclass
class DemoArticle:
    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    references: list[dict] = field(default_factory=list)
    body: str = ""


def load() -> str:
    editor = _demo_editor()
    categories = _categories()
    authors = _authors()
    cta = _default_cta()
    demo_articles = [_parse(path) for path in sorted(DEMO_DIR.glob("*.md"))]
    created = [item for item in demo_articles if _create_article(item, editor, categories, authors)]
    for item in created:
        _pin_related(item)
    return (
        f"{len(categories)} categories, CTA '{cta.slug}', "
        f"{len(created)} new of {len(demo_articles)} demo articles"
    )


def _demo_editor():
    user_model = get_user_model()
    editor, created = user_model.objects.get_or_create(
        username=EDITOR_USERNAME,
        defaults={
            "email": "editor-demo@plusweb3.example",
            "first_name": "編集部",
            "last_name": "Plus Web3",
            "is_staff": True,
        },
    )
    if created:
        # A byline, not a login: nobody can sign in as the demo author.
        editor.set_unusable_password()
        editor.save(update_fields=["password"])
    return editor


def _categories() -> dict[str, Category]:
    categories = {}
    for data in CATEGORIES:
        category, _ = Category.objects.get_or_create(slug=data["slug"], defaults=data)
        categories[category.slug] = category
    return categories


def _authors() -> dict[str, Author]:
    return {
        category: Author.objects.get_or_create(slug=spec["slug"], defaults=spec)[0]
        for category, spec in AUTHORS.items()
    }


def _default_cta() -> CallToAction:
    cta = CallToAction.objects.filter(slug=DEFAULT_CTA["slug"]).first()
    if cta is None:
        has_default = CallToAction.objects.filter(is_default=True).exists()
        cta = CallToAction.objects.create(**DEFAULT_CTA, is_default=not has_default)
    if not cta.buttons.exists():
        for position, (label, interest) in enumerate(DEFAULT_BUTTONS):
            cta.buttons.create(position=position, label=label, interest=interest)
    return cta


def _parse(path: Path) -> DemoArticle:
    text = path.read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    item = DemoArticle(path=path, body=body.strip() + "\n")
    for line in header.strip().splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "reference":
            title, _, url = value.rpartition("|")
            item.references.append({"title": title.strip(), "url": url.strip()})
        else:
            item.meta[key] = value
    return item


def _publication(value: str) -> tuple[str, datetime | None]:
    if value == "draft":
        return Article.Status.DRAFT, None
    if value.startswith("+") and value.endswith("d"):
        # Scheduled relative to the first load, so the demo always has one to show.
        day = timezone.localdate() + timedelta(days=int(value[1:-1]))
        moment = datetime(
            day.year, day.month, day.day, 9, 0, tzinfo=timezone.get_current_timezone()
        )
        return Article.Status.PUBLISHED, moment
    moment = datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - made aware in JST below
    return Article.Status.PUBLISHED, timezone.make_aware(moment)


def _create_article(item: DemoArticle, editor, categories, authors) -> bool:
    meta = item.meta
    if Article.objects.filter(slug=meta["slug"]).exists():
        return False
    status, published_at = _publication(meta["published"])
    article_categories = [categories[slug.strip()] for slug in meta["categories"].split(",")]
    article = Article(
        title=meta["title"],
        slug=meta["slug"],
        lead=meta["lead"],
        body=item.body,
        status=status,
        published_at=published_at,
        author=editor,
        byline=BYLINE,
        is_featured=meta.get("featured") == "yes",
        hero_alt=meta.get("hero_alt", ""),
        references=item.references,
    )
    palette = PALETTES[article_categories[0].slug]
    article.hero_image.save(
        f"{article.slug}.jpg", ContentFile(_hero_image(article.slug, palette)), save=False
    )
    article.save()
    article.categories.set(article_categories)
    article.tags.set(_tags(meta.get("tags", "")))
    article.authors.set([authors[category.slug] for category in article_categories])
    # A demo article looks as if it was written on its publication date.
    Article.objects.filter(pk=article.pk).update(
        updated_at=published_at or timezone.now(), created_at=published_at or timezone.now()
    )
    return True


def _tags(spec: str) -> list[Tag]:
    tags = []
    for pair in filter(None, (part.strip() for part in spec.split(","))):
        slug, _, name = pair.partition(":")
        tag, _ = Tag.objects.get_or_create(slug=slug.strip(), defaults={"name": name.strip()})
        tags.append(tag)
    return tags


def _pin_related(item: DemoArticle) -> None:
    slugs = [slug.strip() for slug in item.meta.get("pinned", "").split(",") if slug.strip()]
    if slugs:
        article = Article.objects.get(slug=item.meta["slug"])
        article.pinned_related.set(Article.objects.filter(slug__in=slugs))


def _hero_image(seed: str, palette) -> bytes:
    """An abstract 1600x900 illustration, different for every article and stable for a slug."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = 1600, 900
    dark, main, accent = palette
    corners = Image.new("RGB", (2, 2))
    corners.putdata([dark, main, main, dark] if rng.random() < 0.5 else [main, dark, dark, main])
    image = corners.resize((width, height), Image.Resampling.BICUBIC)

    # The glow is drawn and blurred at 1/8 scale: the same look for a fraction of the time.
    scale = 8
    glow = Image.new("RGB", (width // scale, height // scale), (0, 0, 0))
    draw = ImageDraw.Draw(glow)
    for _ in range(3):
        x, y = rng.randint(0, width) // scale, rng.randint(0, height) // scale
        radius = rng.randint(220, 420) // scale
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=accent)
    glow = glow.filter(ImageFilter.GaussianBlur(140 // scale)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    image = Image.blend(image, glow, 0.35)

    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    nodes = [(rng.randint(80, width - 80), rng.randint(80, height - 80)) for _ in range(26)]
    for index, (x, y) in enumerate(nodes):
        for other_x, other_y in nodes[index + 1 :]:
            if abs(x - other_x) + abs(y - other_y) < 420:
                draw.line((x, y, other_x, other_y), fill=(255, 255, 255, 46), width=2)
    for x, y in nodes:
        radius = rng.choice((5, 7, 10))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*accent, 220))
    for _ in range(5):
        size = rng.randint(60, 160)
        x, y = rng.randint(0, width - size), rng.randint(0, height - size)
        draw.rounded_rectangle(
            (x, y, x + size, y + size), radius=18, outline=(255, 255, 255, 70), width=3
        )
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()
