"""Markdown bodies become safe HTML with Japanese-friendly anchors, a TOC and reading time."""

import re

import pytest

from news.rendering import CHARACTERS_PER_MINUTE, reading_minutes, render_markdown
from tests.factories import ArticleFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">text</p>',
    "<body onload=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<!--<script>alert(1)</script>-->",
    '<h2 id="main" onmouseover="alert(1)">見出し</h2>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_dangerous_markup_never_survives_rendering(payload):
    html = render_markdown(f"## 見出し\n\n本文です。\n\n{payload}\n\n最後の段落。").html.lower()
    for forbidden in (
        "<script",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<style",
        "<meta",
        "<base",
        "javascript:",
        "data:text",
        "style=",
    ):
        assert forbidden not in html
    assert not re.search(r"\son[a-z]+\s*=", html), html
    assert "最後の段落" in html


def test_safe_markdown_keeps_its_formatting():
    html = render_markdown(
        "## 見出し\n\n**太字**と[リンク](https://example.com/)。\n\n- 項目1\n- 項目2\n\n> 引用\n"
    ).html
    assert "<strong>太字</strong>" in html
    assert '<a href="https://example.com/" rel="noopener noreferrer">リンク</a>' in html
    assert "<li>項目1</li>" in html
    assert "<blockquote>" in html


def test_body_images_load_lazily():
    html = render_markdown("![図](https://example.com/chart.png)").html
    assert 'loading="lazy"' in html


def test_japanese_headings_get_stable_unique_anchor_ids():
    source = (
        "## マスク氏とアルトマン氏の関係\n\n本文\n\n"
        "### 2018年の決裂\n\n本文\n\n"
        "## まとめ\n\n本文\n\n"
        "## まとめ\n\n本文\n"
    )
    first = render_markdown(source)
    again = render_markdown(source)
    ids = [entry["id"] for entry in first.toc]
    assert ids == [entry["id"] for entry in again.toc], "anchors must not change between renders"
    assert ids[0] == "マスク氏とアルトマン氏の関係"
    assert ids[1] == "2018年の決裂"
    assert len(set(ids)) == len(ids)
    for anchor in ids:
        assert re.fullmatch(r"[^\s#]+", anchor)
        assert f'id="{anchor}"' in first.html
    assert [(entry["level"], entry["text"]) for entry in first.toc] == [
        (2, "マスク氏とアルトマン氏の関係"),
        (3, "2018年の決裂"),
        (2, "まとめ"),
        (2, "まとめ"),
    ]


def test_heading_ids_never_collide_with_the_page_layout():
    toc = render_markdown("## main\n\n本文").toc
    assert toc[0]["id"] != "main"


def test_only_h2_and_h3_enter_the_toc():
    toc = render_markdown("## 大見出し\n\n### 小見出し\n\n#### 細目\n").toc
    assert [entry["level"] for entry in toc] == [2, 3]


def test_reading_time_counts_japanese_characters_not_words():
    # No spaces at all: a word count would say one word.
    assert reading_minutes("あ" * CHARACTERS_PER_MINUTE) == 1
    assert reading_minutes("あ" * (CHARACTERS_PER_MINUTE + 1)) == 2
    assert reading_minutes("あ" * CHARACTERS_PER_MINUTE * 4) == 4
    assert reading_minutes("") == 1


def test_reading_time_ignores_markup_and_whitespace():
    body = "## 見出し\n\n" + ("本文" * 600) + "\n\n" + "   \n" * 50
    # 2 characters in the heading + 1,200 in the body.
    assert render_markdown(body).reading_minutes == 3


@pytest.mark.django_db
def test_article_is_rendered_once_on_save():
    article = ArticleFactory(body="## 背景\n\n<script>alert(1)</script>本文\n")
    assert article.body_html.startswith('<h2 id="背景">背景</h2>')
    assert "<script" not in article.body_html
    assert article.toc == [{"level": 2, "id": "背景", "text": "背景"}]

    article.body = "## 新しい見出し\n\n本文"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.toc[0]["text"] == "新しい見出し"
