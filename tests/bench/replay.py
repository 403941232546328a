"""How long the routing replay takes at 10,000 leads, side by side; part of `make bench`.

The replay runs the same pure policy twice (published set, draft) with a simulated load
state. The reference is the built-in policy over the same history, also twice: the ratio
says what the rule evaluation and the report add to the bare decisions. No database.
`python -m tests.bench.replay` prints the report's section alone.
Knobs: BENCH_REPLAY_LEADS (10000), BENCH_REPLAY_ADVISORS (20).
"""

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from config.env import env_int

LEADS = env_int("BENCH_REPLAY_LEADS", 10_000, minimum=1)
ADVISORS = env_int("BENCH_REPLAY_ADVISORS", 20, minimum=1)
# Best of a few rounds: the machine is shared, and the fastest round is the one least disturbed.
ROUNDS = 3


@dataclass(frozen=True)
class ReplayResult:
    leads: int
    advisors: int
    bare: float
    full: float


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure() -> ReplayResult:
    """Time the replay of a generated history against the bare policy (Django set up)."""
    from careers.routing_replay import replay, simulate
    from careers.routing_rules import ConditionFacts, RuleFacts, RuleSetFacts
    from tests.careers.replay_data import generated_history

    history = generated_history(leads=LEADS, advisors=ADVISORS, seed=1)
    senior = RuleFacts(
        id=1,
        position=1,
        name="Web3 で転職時期が3ヶ月以内 → シニアチーム",
        conditions=(
            ConditionFacts("interest", "is", frozenset({"web3"})),
            ConditionFacts("timing", "is_one_of", frozenset({"now", "3_months"})),
        ),
        advisor_ids=(1, 2, 3),
    )
    draft = RuleSetFacts(id=2, version=None, name="下書き", rules=(senior, RuleFacts(2, 2, "全員")))
    bare, full = [], []
    for _ in range(ROUNDS):
        bare.append(timed(lambda: (simulate(history, None), simulate(history, None))))
        full.append(timed(lambda: replay(history=history, published=None, draft=draft)))
    return ReplayResult(leads=LEADS, advisors=ADVISORS, bare=min(bare), full=min(full))


def report_lines(result: ReplayResult) -> list[str]:
    """The benchmarks.md section."""
    return [
        "## 7. Routing replay (in process, no database)",
        "",
        f"A generated history of {result.leads:,} leads and {result.advisors} advisors,",
        "replayed under the built-in policy and a draft rule set with the change report",
        "(`manage.py routing_replay` and the admin's replay page do this over real leads),",
        f"beside the bare policy deciding the same leads twice. Best of {ROUNDS} rounds each.",
        "",
        "| | time | ratio |",
        "| --- | --- | --- |",
        f"| bare policy, two passes | {result.bare:.2f} s | 1.00 × |",
        f"| replay with the report | {result.full:.2f} s | {result.full / result.bare:.2f} × |",
        "",
        "Reading the history from PostgreSQL (`careers/replay_selectors.py`, eight queries) is",
        "not included.",
        "",
    ]


def main() -> None:
    # config/__init__ (the Celery app) already defaulted it to the production settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()
    print("\n".join(report_lines(measure())))


if __name__ == "__main__":
    main()
