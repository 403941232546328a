"""The dashboard's SVG charts as numbers: coordinates the template draws, no inline style.

Presentation attributes only (x, y, width, height), because the strict CSP forbids style.
"""

from dataclasses import dataclass

from careers.dashboard import DayCount

CHART_WIDTH = 720
CHART_HEIGHT = 220
CHART_LEFT = 36
CHART_BOTTOM = 28
CHART_TOP = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    count: int
    label: str


def _nice_maximum(value: int) -> int:
    """A round top for the axis (8, 10, 20, 40, 50, ...) so the grid lines read easily."""
    if value <= 1:
        return 2
    magnitude = 10 ** (len(str(value)) - 1)
    return next(step * magnitude for step in (1, 2, 4, 5, 6, 8, 10) if step * magnitude >= value)


def leads_per_day_chart(per_day: list[DayCount]) -> dict:
    """Coordinates for an SVG bar chart; drawn with presentation attributes, no inline style."""
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    maximum = _nice_maximum(max((row.count for row in per_day), default=0))
    slot = plot_width / max(len(per_day), 1)
    gap = min(2.0, slot / 4)
    # About eight date labels whatever the period.
    label_every = max(1, round(len(per_day) / 8))
    bars = []
    for index, row in enumerate(per_day):
        height = plot_height * row.count / maximum
        bars.append(
            Bar(
                x=round(CHART_LEFT + index * slot + gap / 2, 2),
                y=round(CHART_TOP + plot_height - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                day=row.day,
                count=row.count,
                label=f"{row.day.month}/{row.day.day}" if index % label_every == 0 else "",
            )
        )
    grid = [
        {"y": round(CHART_TOP + plot_height - plot_height * value / maximum, 2), "value": value}
        for value in (0, maximum // 2, maximum)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - 8,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 8,
        "bars": bars,
        "grid": grid,
    }


def interest_chart(by_interest: list[tuple[str, int]]) -> dict:
    width, row_height, label_width = 480, 28, 170
    maximum = max((count for _label, count in by_interest), default=0) or 1
    rows = [
        {
            "label": label,
            "count": count,
            "y": index * row_height,
            "text_y": index * row_height + 18,
            "width": round((width - label_width - 50) * count / maximum, 2),
            "count_x": label_width + round((width - label_width - 50) * count / maximum, 2) + 6,
        }
        for index, (label, count) in enumerate(by_interest)
    ]
    return {
        "width": width,
        "height": row_height * len(rows),
        "label_width": label_width,
        "rows": rows,
    }
