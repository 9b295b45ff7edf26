"""Who may see joint protocols: the force that keeps one and the partner it was agreed with."""

from core.policy import organisation_visible, register

from .models import Protocol

visible_protocols = organisation_visible(lambda: Protocol.objects.all())

register("protocols.protocol", visible_protocols)
