"""The demo's projects, as an editor would write them (rates: 万円 a month, or 円 an hour)."""

SKILLS = {
    "python": "Python",
    "pytorch": "PyTorch",
    "llm": "LLM",
    "rag": "RAG",
    "mlops": "MLOps",
    "generative-ai": "生成AI",
    "ai-governance": "AIガバナンス",
    "ai-infrastructure": "AIインフラ",
    "aws": "AWS",
    "gcp": "Google Cloud",
    "kubernetes": "Kubernetes",
    "typescript": "TypeScript",
    "react": "React",
    "go": "Go",
    "rust": "Rust",
    "solidity": "Solidity",
    "foundry": "Foundry",
    "ethereum": "イーサリアム",
    "layer2": "レイヤー2",
    "stablecoin": "ステーブルコイン",
    "security": "セキュリティ",
    "defi": "DeFi",
    "product-management": "プロダクトマネジメント",
    "data-analysis": "データ分析",
}

PROJECTS = [
    {
        "slug": "llm-support-assistant-rag",
        "title": "カスタマーサポート向けLLMアシスタントのRAG基盤開発",
        "summary": "問い合わせの回答候補をLLMで作る社内ツールの、検索と評価の仕組みを作ります。",
        "description": (
            "SaaS企業のサポート部門で使う回答支援ツールの開発です。過去の問い合わせ履歴と"
            "ヘルプ記事をもとに、担当者へ回答の下書きを提示します。\n\n"
            "PoCは終わっており、今回は本番運用に向けた検索精度の改善と、回答品質を継続して測る"
            "評価の仕組みづくりをお任せします。チームはPdM1名、エンジニア3名です。"
        ),
        "field": "ai",
        "role": "llm_engineer",
        "remote": "full",
        "days_per_week_min": 3,
        "days_per_week_max": 5,
        "rate_min": 80,
        "rate_max": 110,
        "duration": "3か月〜(延長前提)",
        "client_description": "従業員300名規模のBtoB SaaS企業",
        "skills": ["python", "llm", "rag"],
        "welcome_skills": ["aws", "generative-ai"],
        "opened_days_ago": 1,
        "closes_in_days": 30,
    },
    {
        "slug": "smart-contract-audit-defi-lending",
        "title": "DeFiレンディングプロトコルのスマートコントラクト監査支援",
        "summary": "リリース前のレンディングプロトコルを、社内の監査チームと一緒にレビューします。",
        "description": (
            "EVM互換チェーンで動くレンディングプロトコルの監査案件です。外部監査の前に、"
            "社内で脆弱性と設計上のリスクを洗い出します。\n\n"
            "担当範囲はコードレビュー、テストケースの追加、指摘事項の報告書作成です。"
            "報告は日本語、コードのコメントは英語です。"
        ),
        "field": "web3",
        "role": "security",
        "remote": "full",
        "days_per_week_min": 2,
        "days_per_week_max": 3,
        "rate_min": 100,
        "rate_max": 140,
        "duration": "2か月",
        "client_description": "シリーズBのWeb3スタートアップ",
        "skills": ["solidity", "security", "defi"],
        "welcome_skills": ["foundry", "ethereum"],
        "opened_days_ago": 2,
        "closes_in_days": 21,
    },
    {
        "slug": "ml-demand-forecast-retail",
        "title": "小売チェーンの需要予測モデル改善(MLエンジニア)",
        "summary": "店舗別・商品別の需要予測モデルを見直し、発注業務への組み込みまで伴走します。",
        "description": (
            "全国に店舗を持つ小売チェーンの需要予測プロジェクトです。既存の勾配ブースティング"
            "モデルの精度を上げ、欠品と廃棄を減らすことが目標です。\n\n"
            "特徴量の設計、学習パイプラインの整備、現場向けの説明資料づくりまで担当いただきます。"
            "月に一度、都内のオフィスで定例があります。"
        ),
        "field": "ai",
        "role": "ml_engineer",
        "remote": "partial",
        "location": "東京都港区",
        "days_per_week_min": 3,
        "days_per_week_max": 4,
        "rate_min": 70,
        "rate_max": 90,
        "duration": "6か月",
        "client_description": "東証プライム上場の小売グループ",
        "skills": ["python", "data-analysis"],
        "welcome_skills": ["mlops", "gcp"],
        "opened_days_ago": 3,
        "closes_in_days": 25,
    },
    {
        "slug": "stablecoin-payments-backend-go",
        "title": "ステーブルコイン決済サービスのバックエンド開発(Go)",
        "summary": "加盟店向けのステーブルコイン決済APIと、入出金を照合する仕組みを開発します。",
        "description": (
            "国内の制度整備を受けて始まる、ステーブルコインによる決済サービスの立ち上げです。"
            "加盟店向けAPI、ウォレットとの連携、入出金の照合処理をGoで開発します。\n\n"
            "金融系の監査に耐える設計が求められるため、ログと権限管理を丁寧に作れる方を歓迎します。"
        ),
        "field": "web3",
        "role": "backend",
        "remote": "full",
        "days_per_week_min": 4,
        "days_per_week_max": 5,
        "rate_min": 90,
        "rate_max": 120,
        "duration": "長期",
        "client_description": "大手金融グループ系のフィンテック企業",
        "skills": ["go", "stablecoin"],
        "welcome_skills": ["aws", "security"],
        "opened_days_ago": 4,
        "closes_in_days": 28,
    },
    {
        "slug": "generative-ai-pdm-marketing",
        "title": "マーケティング支援SaaSの生成AI機能のPdM",
        "summary": "広告文や記事の下書きを作る生成AI機能の、企画から効果検証までを担います。",
        "description": (
            "マーケティング支援SaaSに生成AI機能を加えるプロジェクトです。顧客インタビュー、"
            "要件定義、優先順位づけ、リリース後の効果検証までを担当いただきます。\n\n"
            "開発チームは社内エンジニア5名。週2日から相談できます。"
        ),
        "field": "ai",
        "role": "pdm",
        "remote": "full",
        "days_per_week_min": 2,
        "days_per_week_max": 3,
        "rate_min": 60,
        "rate_max": 80,
        "duration": "3か月〜",
        "client_description": "シリーズAのマーケティングSaaS企業",
        "client_name": "株式会社ミライマーケ",
        "client_name_public": True,
        "skills": ["product-management", "generative-ai"],
        "welcome_skills": ["llm"],
        "opened_days_ago": 5,
        "closes_in_days": 20,
    },
    {
        "slug": "layer2-bridge-frontend-react",
        "title": "レイヤー2ブリッジのフロントエンド刷新(React/TypeScript)",
        "summary": "資産をレイヤー2へ移すブリッジ画面を、初めての人にも分かる画面に作り直します。",
        "description": (
            "イーサリアムのレイヤー2へ資産を移すブリッジのWebアプリを刷新します。"
            "ウォレット接続、手数料と所要時間の表示、取引状況の追跡画面が対象です。\n\n"
            "デザイナーと二人三脚で進めます。英語のドキュメントを読むことに抵抗がない方が合います。"
        ),
        "field": "web3",
        "role": "frontend",
        "remote": "full",
        "days_per_week_min": 3,
        "days_per_week_max": 5,
        "rate_min": 70,
        "rate_max": 95,
        "duration": "4か月",
        "client_description": "海外にも拠点を持つレイヤー2開発チーム",
        "skills": ["typescript", "react", "layer2"],
        "welcome_skills": ["ethereum"],
        "opened_days_ago": 6,
        "closes_in_days": 18,
    },
    {
        "slug": "gpu-cluster-mlops-kubernetes",
        "title": "GPUクラスタの学習基盤構築(MLOps・SRE)",
        "summary": "研究チームが使う学習基盤を、Kubernetes上で安定して回る形に整えます。",
        "description": (
            "自社で基盤モデルを学習している研究チームの基盤整備です。GPUクラスタのジョブ管理、"
            "実験の記録、コスト監視の仕組みを作ります。\n\n"
            "月に数回、都内のデータセンターでの作業があります。"
        ),
        "field": "ai",
        "role": "infrastructure",
        "remote": "partial",
        "location": "東京都江東区",
        "days_per_week_min": 4,
        "days_per_week_max": 5,
        "rate_min": 90,
        "rate_max": 130,
        "duration": "6か月〜",
        "client_description": "基盤モデルを開発するAIスタートアップ",
        "skills": ["kubernetes", "mlops"],
        "welcome_skills": ["ai-infrastructure", "python"],
        "opened_days_ago": 7,
        "closes_in_days": 35,
    },
    {
        "slug": "ai-governance-research-policy",
        "title": "AIガバナンスの調査・社内ガイドライン策定支援",
        "summary": "国内外の規制動向を調べ、生成AIの社内利用ルールを一緒に作ります。",
        "description": (
            "生成AIの業務利用を広げたい事業会社で、社内ガイドラインを策定します。"
            "国内外の規制とガイドラインの調査、リスクの整理、研修資料の作成が主な業務です。\n\n"
            "法務・情報システム部門との打ち合わせがあり、月2回ほど大阪本社に伺います。"
        ),
        "field": "ai",
        "role": "research",
        "remote": "partial",
        "location": "大阪府大阪市",
        "days_per_week_min": 1,
        "days_per_week_max": 2,
        "rate_unit": "hourly",
        "rate_min": 6000,
        "rate_max": 9000,
        "duration": "3か月",
        "client_description": "関西の大手メーカー",
        "skills": ["ai-governance"],
        "welcome_skills": ["generative-ai"],
        "opened_days_ago": 8,
        "closes_in_days": 14,
    },
    {
        "slug": "nft-marketplace-solidity-foundry",
        "title": "ゲーム内アイテムのNFTマーケットプレイス開発(Solidity)",
        "summary": "ブロックチェーンゲームのアイテム売買機能を、コントラクトから設計します。",
        "description": (
            "ブロックチェーンゲームの中で使うアイテムの売買機能を開発します。"
            "コントラクトの設計と実装、テスト、監査会社とのやり取りを担当いただきます。\n\n"
            "ゲーム側のエンジニアとはSlackで日々やり取りします。"
        ),
        "field": "web3",
        "role": "smart_contract",
        "remote": "full",
        "days_per_week_min": 3,
        "days_per_week_max": 4,
        "rate_min": 80,
        "rate_max": 110,
        "duration": "4か月〜",
        "client_description": "国内のゲーム会社のWeb3事業部",
        "skills": ["solidity", "foundry"],
        "welcome_skills": ["ethereum", "security"],
        "opened_days_ago": 9,
        "closes_in_days": 22,
    },
    {
        "slug": "credit-scoring-data-scientist",
        "title": "与信審査の説明可能なモデル開発(データサイエンティスト)",
        "summary": "審査担当者が理由を説明できる与信モデルを、既存データから作ります。",
        "description": (
            "中小企業向け融資の与信審査で使うスコアリングモデルの開発です。"
            "精度だけでなく、審査担当者が結果の理由を説明できることを重視しています。\n\n"
            "週1回、丸の内のオフィスで審査部門と打ち合わせがあります。"
        ),
        "field": "ai",
        "role": "data_scientist",
        "remote": "partial",
        "location": "東京都千代田区",
        "days_per_week_min": 2,
        "days_per_week_max": 3,
        "rate_min": 65,
        "rate_max": 85,
        "duration": "6か月",
        "client_description": "オンライン融資のフィンテック企業",
        "skills": ["python", "data-analysis"],
        "welcome_skills": ["ai-governance"],
        "opened_days_ago": 10,
        "closes_in_days": 26,
    },
    {
        "slug": "web3-bizdev-enterprise-partnerships",
        "title": "企業向けブロックチェーン導入の事業開発",
        "summary": "事業会社へのブロックチェーン活用提案と、導入プロジェクトの立ち上げを担います。",
        "description": (
            "トークン発行やトレーサビリティなど、事業会社のブロックチェーン活用を支援する"
            "チームの事業開発です。提案書の作成、商談、PoCの計画づくりを担当いただきます。\n\n"
            "商談に同席いただくため、都内のオフィスに週1日ほど出社があります。"
        ),
        "field": "web3",
        "role": "bizdev",
        "remote": "partial",
        "location": "東京都渋谷区",
        "days_per_week_min": 2,
        "days_per_week_max": 3,
        "rate_min": 50,
        "rate_max": 70,
        "duration": "3か月〜",
        "client_description": "ブロックチェーン開発のスタートアップ",
        "skills": ["product-management"],
        "welcome_skills": ["stablecoin", "ethereum"],
        "opened_days_ago": 12,
        "closes_in_days": 16,
    },
    {
        "slug": "onchain-analytics-rust-indexer",
        "title": "オンチェーンデータ分析基盤のインデクサー開発(Rust)",
        "summary": "複数チェーンの取引データを集め、分析に使える形で保存する仕組みを作ります。",
        "description": (
            "AIでオンチェーンの不正取引を検知するサービスの、データ収集部分を開発します。"
            "複数のチェーンからブロックを取り込み、分析チームが使うデータベースへ整えて保存します。\n\n"
            "AIとWeb3の両方に関われる案件です。"
        ),
        "field": "both",
        "role": "backend",
        "remote": "full",
        "days_per_week_min": 4,
        "days_per_week_max": 5,
        "rate_min": 85,
        "rate_max": 115,
        "duration": "長期",
        "client_description": "ブロックチェーン分析のセキュリティ企業",
        "skills": ["rust", "data-analysis"],
        "welcome_skills": ["security", "ethereum"],
        "opened_days_ago": 14,
        "closes_in_days": 40,
    },
    {
        "slug": "llm-evaluation-researcher-closed",
        "title": "日本語LLMの評価データセット作成(リサーチ)",
        "summary": "日本語の業務文書で、LLMの回答品質を測る評価セットを作りました。",
        "description": (
            "日本語LLMの評価用データセットを作るプロジェクトでした。"
            "業務文書をもとに設問と模範解答を作り、評価の手順書をまとめました。"
        ),
        "field": "ai",
        "role": "research",
        "remote": "full",
        "days_per_week_min": 2,
        "days_per_week_max": 3,
        "rate_min": 60,
        "rate_max": 75,
        "duration": "2か月",
        "client_description": "AI研究開発のスタートアップ",
        "skills": ["llm", "generative-ai"],
        "welcome_skills": ["python"],
        "status": "filled",
        "opened_days_ago": 60,
        "closes_in_days": -30,
    },
    {
        "slug": "ethereum-node-operations-closed",
        "title": "イーサリアムのノード運用とバリデータ監視",
        "summary": "ステーキング事業のノード運用と、障害時の監視体制を整えました。",
        "description": (
            "ステーキング事業で運用するイーサリアムのノードとバリデータの監視体制を作る案件でした。"
        ),
        "field": "web3",
        "role": "infrastructure",
        "remote": "onsite",
        "location": "東京都中央区",
        "days_per_week_min": 5,
        "days_per_week_max": 5,
        "rate_min": 75,
        "rate_max": 95,
        "duration": "6か月",
        "client_description": "暗号資産交換業者",
        "skills": ["ethereum", "kubernetes"],
        "welcome_skills": ["security"],
        "status": "closed",
        "opened_days_ago": 90,
        "closes_in_days": -45,
    },
]
