"""A paginator for admin lists of huge tables: the planner's estimate instead of COUNT(*)."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact COUNT(*) is cheap, and a list that small should be exact.
ESTIMATE_ABOVE = 100_000


def planner_row_estimate(queryset) -> int | None:
    """PostgreSQL's estimate of the rows `queryset` returns (from pg_class.reltuples and the
    column statistics, through EXPLAIN), or None on another database."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to ESTIMATE_ABOVE rows and estimates beyond: an exact COUNT(*) reads
    every matching row (0.4–0.7 s at 1,000,000 leads), an estimate reads none. Page links
    past the real end of an estimated list show an empty page, never an error. `estimated`
    says which it is, so a page can say 「約」 rather than pass an estimate off as a count."""

    estimated = False

    @cached_property
    def count(self) -> int:
        estimate = planner_row_estimate(self.object_list)
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            self.estimated = True
            return estimate
        return super().count
