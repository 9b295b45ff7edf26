"""Who may see and record force, search and restraint: exactly as the detention's other
sub-resources (incidents/api/detentions.py), in one place so the policy can move with them.

- See: the detention is visible to the caller's organisation (`visible_detentions`), else 404;
  users need VIEW_DETENTIONS, keys `detentions:read`.
- Record: users need RECORD_DETENTIONS, keys `detentions:write`, and the organisation must be
  one that may write on the detention (`may_write`: the recording force, or the operator of the
  place where the person is or is going), else 403.
- Review (pages): REVIEW_FORCE (the force mental health lead), on records of detentions the
  lead's organisation may write on.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.permissions import Perm, has_perm
from incidents.api.detentions import DetentionPermission, may_write, visible_detentions

__all__ = [
    "READ",
    "RECORD",
    "REVIEW",
    "DetentionPermission",
    "detention_for",
    "may_write",
    "organisation_id_of",
    "visible_detentions",
]

READ = Perm.VIEW_DETENTIONS
RECORD = Perm.RECORD_DETENTIONS
REVIEW = Perm.REVIEW_FORCE


def organisation_id_of(user):
    org_id = getattr(user, "organisation_id", None)  # an API key principal
    if org_id is None:
        membership = getattr(user, "membership", None)
        org_id = membership.organisation_id if membership else None
    return org_id


def detention_for(user, pk, *, write: bool, organisation_id=None):
    """The detention `pk` if the caller's organisation may see it (else 404) and, for a
    write, may record on it (else 403)."""
    org_id = organisation_id if organisation_id is not None else organisation_id_of(user)
    detention = get_object_or_404(
        visible_detentions(org_id).select_related("current_place_of_safety", "in_transfer_to"),
        pk=pk,
    )
    if write and not may_write(detention, org_id):
        raise PermissionDenied(
            "Only the force that recorded this detention, or the operator of the place of "
            "safety where the person is (or is being moved to), may record on it."
        )
    return detention


def may_review(user) -> bool:
    return has_perm(user, REVIEW)
