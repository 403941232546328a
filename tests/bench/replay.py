"""`python -m tests.bench.replay`: how long the replay takes at 10,000 leads, side by side.

The replay runs the same pure policy twice (published set, draft) with a simulated load
state. The reference is the built-in policy over the same history, also twice: the ratio
says what the rule evaluation and the report add to the bare decisions. No database.
Knobs: BENCH_REPLAY_LEADS (10000), BENCH_REPLAY_ADVISORS (20).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from careers.routing_replay import replay, simulate  # noqa: E402
from careers.routing_rules import ConditionFacts, RuleFacts, RuleSetFacts  # noqa: E402
from config.env import env_int  # noqa: E402
from tests.careers.replay_data import generated_history  # noqa: E402

LEADS = env_int("BENCH_REPLAY_LEADS", 10_000, minimum=1)
ADVISORS = env_int("BENCH_REPLAY_ADVISORS", 20, minimum=1)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
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
    bare = timed(lambda: (simulate(history, None), simulate(history, None)))
    full = timed(lambda: replay(history=history, published=None, draft=draft))
    print(
        f"{LEADS} leads, {ADVISORS} advisors, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(f"built-in policy, two passes: {bare:.2f} s")
    print(f"replay (built-in vs draft, with the report): {full:.2f} s = {full / bare:.2f} × bare")


if __name__ == "__main__":
    main()
