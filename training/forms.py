from django import forms
from django.utils.translation import gettext_lazy as _

from protocols.forms import DateField

from .courses import Course


class RecordForm(forms.Form):
    course = forms.ChoiceField(
        label=_("Course"),
        choices=[("", "")] + list(Course.choices),
        error_messages={"required": _("Choose a course")},
    )
    completed_on = DateField(label=_("Date completed"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].error_messages["required"] = _("Enter the date completed")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file from the learning system"),
        help_text=_(
            "Columns collar_number, course_code and completed_on (YYYY-MM-DD or DD/MM/YYYY), "
            "with a header row. At most 5 MB."
        ),
        error_messages={"required": _("Select the CSV file")},
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The selected file must be smaller than 5 MB"))
        return f
