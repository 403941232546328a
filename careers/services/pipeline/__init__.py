"""The lead pipeline, one module per seam; import from here (HackSoft's re-exporting package).

- rules: who may go where, the refusal (PipelineError) and the event details;
- transitions: a person moves a lead along (lead_transition);
- routing: who holds a lead, under the team's pool lock (lead_route, lead_reassign…);
- assignment: writing routing's decision on the locked lead, its event and its email;
- advisors: availability and its effect on leads (advisor_create, advisor_pause…);
- sweep: catching up on what routing missed (routing_sweep).
"""

from careers.services.pipeline.advisors import (
    Release,
    advisor_absence_create,
    advisor_absence_end,
    advisor_activate,
    advisor_capacity_set,
    advisor_create,
    advisor_deactivate,
    advisor_leads_release,
    advisor_pause,
    advisor_resume,
    advisor_update,
)
from careers.services.pipeline.routing import (
    ROUTE_LEAD_TASK,
    lead_reassign,
    lead_reroute,
    lead_route,
    lead_route_dry_run,
    lead_route_enqueue,
    routing_pool_lock,
    waiting_leads_flow,
)
from careers.services.pipeline.rules import (
    ALLOWED_TRANSITIONS,
    REASSIGNABLE_STATUSES,
    ROUTABLE_STATUSES,
    ROUTING_ONLY_STATUSES,
    PipelineError,
    lead_manual_transitions,
    lead_transition_allowed,
    leads_common_transitions,
)
from careers.services.pipeline.sweep import SweepResult, routing_sweep
from careers.services.pipeline.transitions import lead_transition

__all__ = [
    "ALLOWED_TRANSITIONS",
    "REASSIGNABLE_STATUSES",
    "ROUTABLE_STATUSES",
    "ROUTE_LEAD_TASK",
    "ROUTING_ONLY_STATUSES",
    "PipelineError",
    "Release",
    "SweepResult",
    "advisor_absence_create",
    "advisor_absence_end",
    "advisor_activate",
    "advisor_capacity_set",
    "advisor_create",
    "advisor_deactivate",
    "advisor_leads_release",
    "advisor_pause",
    "advisor_resume",
    "advisor_update",
    "lead_manual_transitions",
    "lead_reassign",
    "lead_reroute",
    "lead_route",
    "lead_route_dry_run",
    "lead_route_enqueue",
    "lead_transition",
    "lead_transition_allowed",
    "leads_common_transitions",
    "routing_pool_lock",
    "routing_sweep",
    "waiting_leads_flow",
]
