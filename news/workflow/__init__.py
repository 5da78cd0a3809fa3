"""The editorial workflow: who may move an article from which state to which, and the one way
content reaches the public.

States (``ArticleStatus``): 草稿 → 待审核 (waiting for level 1) → 审核中 (waiting for level k of N)
→ 已通过 (passed the final level) → 已发布; 退回 (with a required comment, back to the author,
who edits and submits again) and 已撤稿 (with a required reason). N, the number of review levels,
comes from ``SiteSettings.review_levels`` and is copied onto the article when it is submitted, so
changing the setting never strands an article half-way.

The article keeps its state (``status``, ``review_level``, ``review_levels``, ``review_round``);
every step is an ``ArticleTransition`` row (流转记录 on the admin page) and an audit log entry.

The modules:

* ``guards``: who may do what now (the action checks, and the same rules as the 待我审核 query);
* ``steps``: the steps themselves (送审, 审核通过, 退回, 发布, 撤稿), each re-checking its guards
  on a locked row;
* ``changes``: a change to a published article waiting for review (``PendingChange``);
* ``public``: ``go_public``, the one function every path to the public goes through, with the
  publication gate's checks (``portal.gate``);
* ``history``: the timeline and the audit log.
"""

from .changes import (
    content_values_of,
    pending_change,
    propose_change,
    record_direct_change,
)
from .guards import (
    BUTTON_ACTIONS,
    SUBMITTABLE,
    allowed_actions,
    awaiting_review,
    can_see,
    configured_levels,
    edit_refusal,
    is_final_reviewer,
    level_name,
    refusal,
    review_queue,
    review_subject,
    reviewer_levels,
    reviewer_note,
)
from .history import (
    article_state_label,
    record_publish_time_change,
    standing_rejection,
    state_label,
)
from .public import (
    CONFIRM_PERMISSION,
    GateRefusal,
    findings_of,
    gate_refusal,
    go_public,
    public_refusal,
    submit_refusal,
)
from .steps import (
    COMMENT_REQUIRED,
    TransitionError,
    approve_each,
    button_action,
    missing_comment,
    perform,
)

__all__ = [
    "BUTTON_ACTIONS",
    "COMMENT_REQUIRED",
    "CONFIRM_PERMISSION",
    "SUBMITTABLE",
    "GateRefusal",
    "TransitionError",
    "allowed_actions",
    "approve_each",
    "article_state_label",
    "awaiting_review",
    "button_action",
    "can_see",
    "configured_levels",
    "content_values_of",
    "edit_refusal",
    "findings_of",
    "gate_refusal",
    "go_public",
    "is_final_reviewer",
    "level_name",
    "missing_comment",
    "pending_change",
    "perform",
    "propose_change",
    "public_refusal",
    "record_direct_change",
    "record_publish_time_change",
    "refusal",
    "review_queue",
    "review_subject",
    "reviewer_levels",
    "reviewer_note",
    "standing_rejection",
    "state_label",
    "submit_refusal",
]
