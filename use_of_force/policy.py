"""Who may see and record force, search and restraint: the detention's policy
(`incidents/policy.py`, actions `view`, `use_of_force` and `review_force`), so every door
answers as it does for the detention's other records.

- See: the detention is visible to the caller (else 404); users need VIEW_DETENTIONS, keys
  `detentions:read`.
- Record: users need RECORD_DETENTIONS, keys `detentions:write`, and the organisation must be
  one that may write on the detention (the recording force, or the operator of the place where
  the person is or is going), else 403.
- Review (pages): REVIEW_FORCE (the force mental health lead), on records of detentions the
  lead's organisation may write on.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.permissions import Perm
from accounts.principal import principal_of, resolve
from detentions import policy as detention_policy

READ = Perm.VIEW_DETENTIONS
RECORD = Perm.RECORD_DETENTIONS
REVIEW = Perm.REVIEW_FORCE


class UseOfForcePermission(BasePermission):
    """The role or scope part, before the detention is looked up."""

    def has_permission(self, request, view):
        actor = principal_of(request)
        action = "view" if request.method in SAFE_METHODS else "use_of_force"
        return actor.is_authenticated and bool(detention_policy.permitted(actor, action))


def detention_for(user, pk, *, write: bool):
    """The detention `pk` if the caller may see it (else 404) and, for a write, may record on
    it (else 403)."""
    actor = resolve(user)
    action = "use_of_force" if write else "view"
    detention_policy.permitted(actor, action).enforce()  # the role first (403), then 404
    detention = get_object_or_404(
        detention_policy.visible_detentions(actor).select_related(
            "current_place_of_safety", "in_transfer_to"
        ),
        pk=pk,
    )
    detention_policy.may(actor, action, detention, visible=True).enforce()
    return detention


def reviewable_detentions(user):
    return detention_policy.visible_detentions(resolve(user))


def may_review(user, detention) -> bool:
    return bool(detention_policy.may(resolve(user), "review_force", detention))
