"""The dashboard's chart geometry (careers/admin/charts.py): what a manager sees drawn."""

from datetime import date, timedelta

from careers.admin.charts import interest_chart, leads_per_day_chart
from careers.dashboard import DayCount


def _days(*counts: int) -> list[DayCount]:
    first = date(2026, 6, 1)
    return [DayCount(day=first + timedelta(days=n), count=count) for n, count in enumerate(counts)]


def test_the_busiest_day_reaches_a_round_top_of_the_axis():
    """7 leads on the busiest day: the axis tops out at 8, so that bar is 7/8 of the plot."""
    chart = leads_per_day_chart(_days(0, 7, 3))
    assert [line["value"] for line in chart["grid"]] == [0, 4, 8]
    empty, busiest, _third = chart["bars"]
    assert empty.height == 0
    plot_height = chart["baseline"] - chart["grid"][-1]["y"]
    assert busiest.height == round(plot_height * 7 / 8, 2)
    assert busiest.y + busiest.height == chart["baseline"]


def test_a_long_period_labels_about_eight_days_not_every_one():
    chart = leads_per_day_chart(_days(*[1] * 30))
    labels = [bar.label for bar in chart["bars"] if bar.label]
    assert 7 <= len(labels) <= 10
    assert labels[0] == "6/1"


def test_a_period_without_leads_draws_flat_bars_on_a_small_axis():
    chart = leads_per_day_chart(_days(0, 0))
    assert all(bar.height == 0 for bar in chart["bars"])
    assert chart["grid"][-1]["value"] == 2


def test_interest_rows_are_as_long_as_their_share_of_the_largest():
    chart = interest_chart([("AI", 10), ("Web3", 5), ("両方", 0)])
    ai, web3, both = chart["rows"]
    assert web3["width"] == ai["width"] / 2
    assert both["width"] == 0
    assert chart["height"] == 3 * 28
