"""Who may see training records: the organisation of the officer trained."""

from core.policy import organisation_visible, register

from .models import TrainingRecord

visible_training = organisation_visible(lambda: TrainingRecord.objects.all())

register("training.trainingrecord", visible_training)
