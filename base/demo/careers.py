"""Demo content for `manage.py load_demo_content`: advisors, and leads routed at once.

The leads come in through the real capture service (with their SUBMITTED events and
confirmation emails) and are routed by the real routing service right away, so the
admin shows each one with its advisor and its decision record. Idempotent: advisors
are found by email, leads by their submission key, and nothing existing is changed.
"""

from careers.attribution import Attribution
from careers.models import Advisor, AdvisorWeeklyHours, Interest, Lead, Team
from careers.roles import ensure_demo_role_users
from careers.services.capture import LeadDetails, lead_create
from careers.services.pipeline import lead_route, lead_transition
from news.models import Article

ADVISORS = [
    # (name, email, team, specialty, capacity)
    ("高橋 美咲", "takahashi@plusweb3.example", Team.CAREER, Interest.AI, 8),
    ("伊藤 健太", "ito@plusweb3.example", Team.CAREER, Interest.AI, 8),
    ("渡辺 彩", "watanabe@plusweb3.example", Team.CAREER, Interest.WEB3, 8),
    ("中村 翔", "nakamura@plusweb3.example", Team.CAREER, Interest.WEB3, 8),
    ("小林 由紀", "kobayashi@plusweb3.example", Team.CAREER, Interest.BOTH, 10),
    ("加藤 大輔", "kato@plusweb3.example", Team.CAREER, Interest.BOTH, 10),
    ("山本 直樹", "yamamoto@plusweb3.example", Team.SALES, Interest.BOTH, 10),
    ("吉田 恵", "yoshida@plusweb3.example", Team.SALES, Interest.AI, 10),
    # Applications to 業務委託案件 go to the freelance team.
    ("松本 理沙", "matsumoto@plusweb3.example", Team.FREELANCE, Interest.BOTH, 12),
]

# (name, email, interest, timing, contact method, source article slug, message)
CANDIDATES = [
    (
        "佐々木 一郎",
        "sasaki@example.com",
        Interest.AI,
        Lead.Timing.NOW,
        Lead.ContactMethod.PHONE,
        "deepseek-r1-shock",
        "機械学習エンジニアとして5年働いています。LLMを扱う事業会社に移りたいです。",
    ),
    (
        "松本 さくら",
        "matsumoto@example.com",
        Interest.WEB3,
        Lead.Timing.WITHIN_3_MONTHS,
        Lead.ContactMethod.ONLINE,
        "spot-bitcoin-etf-approval",
        "証券会社のコンプライアンス部門にいます。暗号資産交換業への転職は現実的でしょうか。",
    ),
    (
        "井上 拓海",
        "inoue@example.com",
        Interest.BOTH,
        Lead.Timing.EXPLORING,
        Lead.ContactMethod.EMAIL,
        "ai-web3-talent-outlook",
        "AIとWeb3のどちらが自分に合うか、まだ決めかねています。",
    ),
    (
        "木村 葵",
        "kimura@example.com",
        Interest.AI,
        Lead.Timing.WITHIN_6_MONTHS,
        Lead.ContactMethod.ONLINE,
        "eu-ai-act-timeline",
        "法務の経験をAIガバナンスの仕事に活かしたいです。",
    ),
    (
        "林 悠斗",
        "hayashi@example.com",
        Interest.WEB3,
        Lead.Timing.NOW,
        Lead.ContactMethod.PHONE,
        "ethereum-dencun-upgrade",
        "Solidityでの開発経験が2年あります。<b>年収アップ</b>を目指しています。",
    ),
    (
        "清水 結衣",
        "shimizu@example.com",
        Interest.AI,
        Lead.Timing.WITHIN_3_MONTHS,
        Lead.ContactMethod.EMAIL,
        "stargate-ai-infrastructure",
        "データセンターの設備エンジニアです。AIインフラの求人を知りたいです。",
    ),
    (
        "山崎 蓮",
        "yamazaki@example.com",
        Interest.BOTH,
        Lead.Timing.WITHIN_6_MONTHS,
        Lead.ContactMethod.ONLINE,
        "japan-ai-promotion-act",
        "",
    ),
    (
        "森 陽菜",
        "mori@example.com",
        Interest.WEB3,
        Lead.Timing.EXPLORING,
        Lead.ContactMethod.EMAIL,
        "japan-stablecoin-framework",
        "銀行で決済業務をしています。ステーブルコイン関連の事業に興味があります。",
    ),
    (
        "池田 颯",
        "ikeda@example.com",
        Interest.AI,
        Lead.Timing.NOW,
        Lead.ContactMethod.PHONE,
        "musk-consortium-openai-bid",
        "未経験ですが、AIスタートアップの営業職に挑戦したいです。",
    ),
    (
        "橋本 美桜",
        "hashimoto@example.com",
        Interest.WEB3,
        Lead.Timing.WITHIN_3_MONTHS,
        Lead.ContactMethod.ONLINE,
        "bybit-hack-lazarus",
        "セキュリティエンジニアです。ブロックチェーンのセキュリティ監査に関心があります。",
    ),
    # The same person again: linked as a duplicate, and kept with the same advisor.
    (
        "佐々木 一郎",
        "sasaki@example.com",
        Interest.AI,
        Lead.Timing.NOW,
        Lead.ContactMethod.PHONE,
        "ai-web3-talent-outlook",
        "先日の相談に追加です。リモート勤務の求人も知りたいです。",
    ),
]

# Inquiries from /recruiters/, routed to the corporate sales team:
# (company, department, contact name, email, phone, interest, positions, timing, message)
COMPANIES = [
    (
        "株式会社ミライAIラボ",
        "人事部",
        "岡田 真理",
        "okada@mirai-ai.example",
        "0312345678",
        Interest.AI,
        3,
        Lead.Timing.WITHIN_3_MONTHS,
        "LLMアプリケーションのエンジニアを3名採用したいです。",
    ),
    (
        "チェーンブリッジ株式会社",
        "経営企画室",
        "前田 隆",
        "maeda@chainbridge.example",
        "",
        Interest.WEB3,
        1,
        Lead.Timing.NOW,
        "Web3事業の責任者候補を探しています。",
    ),
]

# 面談予約: each career advisor takes consultations in these windows, Monday to Friday.
DEMO_WEEKLY_HOURS = [("10:00", "12:00"), ("14:00", "18:00")]

# How far along the pipeline a few demo leads are, so the admin is not all "担当決定".
PROGRESS = {
    1: [Lead.Status.CONTACTED],
    3: [Lead.Status.CONTACTED, Lead.Status.INTERVIEWING],
    5: [Lead.Status.CONTACTED, Lead.Status.INTERVIEWING, Lead.Status.PLACED],
}


def _advisors() -> int:
    created = 0
    for name, email, team, specialty, capacity in ADVISORS:
        _advisor, was_created = Advisor.objects.get_or_create(
            email=email,
            defaults={"name": name, "team": team, "specialty": specialty, "capacity": capacity},
        )
        created += was_created
    return created


def _weekly_hours() -> int:
    """Mon–Fri consultation hours for the career advisors and corporate sales who have none,
    so candidates and companies see slots at once."""
    advisors = Advisor.objects.filter(team__in=(Team.CAREER, Team.SALES), weekly_hours__isnull=True)
    rows = [
        AdvisorWeeklyHours(advisor=advisor, weekday=weekday, starts_at=start, ends_at=end)
        for advisor in advisors
        for weekday in range(5)
        for start, end in DEMO_WEEKLY_HOURS
    ]
    AdvisorWeeklyHours.objects.bulk_create(rows)
    return len(rows)


def _source(slug: str) -> Article | None:
    # A scheduled or draft demo article has no readers yet: credit the latest public one.
    public = Article.objects.public()
    return public.filter(slug=slug).first() or public.order_by("-published_at").first()


def _leads() -> list[tuple[int, Lead]]:
    """Create the demo leads not yet there; return (number, lead) of the new ones."""
    new = []
    for number, row in enumerate(CANDIDATES, start=1):
        name, email, interest, timing, contact_method, slug, message = row
        key = f"demo-candidate-{number:02d}"
        if Lead.objects.filter(submission_key=key).exists():
            continue
        lead = lead_create(
            details=LeadDetails(
                name=name,
                email=email,
                interest=interest,
                timing=timing,
                contact_method=contact_method,
                message=message,
            ),
            attribution=Attribution(
                source_article=_source(slug),
                utm_source="plusweb3",
                utm_medium="article_cta",
                landing_path="/consultation/",
            ),
            submission_key=key,
        )
        new.append((number, lead))
    for number, row in enumerate(COMPANIES, start=1):
        company, department, name, email, phone, interest, positions, timing, message = row
        key = f"demo-company-{number:02d}"
        if Lead.objects.filter(submission_key=key).exists():
            continue
        lead = lead_create(
            details=LeadDetails(
                kind=Lead.Kind.COMPANY,
                name=name,
                email=email,
                phone=phone,
                interest=interest,
                company_name=company,
                department=department,
                positions=positions,
                timing=timing,
                message=message,
            ),
            attribution=Attribution(landing_path="/recruiters/"),
            submission_key=key,
        )
        new.append((100 + number, lead))
    return new


def load() -> str:
    advisors_created = _advisors()
    _weekly_hours()
    new_leads = _leads()
    routed = 0
    for number, lead in new_leads:
        # Routed now rather than by the task after commit, so the demo is whole at once;
        # the task then finds the lead routed and does nothing.
        decision = lead_route(lead_id=lead.id)
        routed += bool(decision and decision.advisor_id)
        for status in PROGRESS.get(number, []):
            lead.refresh_from_db()
            lead_transition(lead=lead, to=status, reason="デモデータ")
    # One login per staff role; the demo advisor login sees the first demo advisor's leads.
    staff = ensure_demo_role_users()
    return (
        f"{Advisor.objects.count()} advisors ({advisors_created} new), "
        f"{len(new_leads)} new demo leads, {routed} routed; {staff}"
    )
