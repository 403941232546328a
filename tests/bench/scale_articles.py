"""Ten thousand published articles in seconds, written with COPY.

The rows are built in Python from Article instances, so every column the model has (and
every value save() derives, through `Article.derive_fields`) is filled the way the site
fills it; psycopg's COPY then sends them in one stream. The text is Japanese sentences
drawn from a fixed vocabulary with a fixed seed, so search finds the same articles each run.
"""

import datetime
import random

from django.db import connection
from django.utils import timezone

SEED = 13
TOPICS = (
    "生成AI",
    "ステーブルコイン",
    "レイヤー2",
    "暗号資産",
    "NFT",
    "DAO",
    "AI規制",
    "スマートコントラクト",
    "ゼロ知識証明",
    "大規模言語モデル",
    "ブロックチェーン",
    "Web3ゲーム",
)
PHRASES = (
    "の最新動向を解説します。",
    "について専門家に話を聞きました。",
    "をめぐる規制の議論が進んでいます。",
    "の手数料が下がりました。",
    "で採用が増えています。",
    "の基礎から実務までをまとめました。",
    "に関する国内企業の取り組みを紹介します。",
)
SLUG_PREFIX = "scale-article-"


def _sentence(rng: random.Random) -> str:
    return rng.choice(TOPICS) + rng.choice(PHRASES)


def _article(number: int, rng: random.Random, now: datetime.datetime):
    from news.models import Article

    topic = rng.choice(TOPICS)
    paragraphs = ["".join(_sentence(rng) for _ in range(6)) for _ in range(8)]
    published = now - datetime.timedelta(hours=number)
    article = Article(
        title=f"{topic}の今を読む 第{number}回",
        slug=f"{SLUG_PREFIX}{number}",
        lead="".join(_sentence(rng) for _ in range(2)),
        body="\n\n".join(f"## 見出し{index}\n\n{text}" for index, text in enumerate(paragraphs)),
        status=Article.Status.PUBLISHED,
        published_at=published,
        created_at=published,
        updated_at=published,
    )
    article.derive_fields()
    return article


def generated_article_count() -> int:
    from news.models import Article

    return Article.objects.filter(slug__startswith=SLUG_PREFIX).count()


def generate_articles(count: int) -> None:
    """Add generated public articles, each in one category, until there are `count`."""
    from news.models import Article, Category

    present = generated_article_count()
    if present >= count:
        return
    fields = [field for field in Article._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    rng = random.Random(SEED + present)
    now = timezone.now()
    connection.ensure_connection()
    copy_sql = f"COPY news_article ({columns}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for number in range(present + 1, count + 1):
            article = _article(number, rng, now)
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(article, field.attname), connection)
                    for field in fields
                ]
            )
    category_ids = list(Category.objects.order_by("id").values_list("id", flat=True))
    if category_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO news_article_categories (article_id, category_id) "
                "SELECT id, (%s::bigint[])[1 + id %% %s] FROM news_article "
                "WHERE slug LIKE %s AND NOT EXISTS (SELECT 1 FROM news_article_categories AS c "
                "WHERE c.article_id = news_article.id)",
                [category_ids, len(category_ids), f"{SLUG_PREFIX}%"],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
        cursor.execute("ANALYZE news_article_categories")
