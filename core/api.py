import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`page_size` from 1 to 200; anything else (`null`, `0`, `2.5`, `500`) is refused with 400
    (attr `page_size`) instead of quietly becoming the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw.strip()) if raw.strip().lstrip("-").isdigit() else None
        except ValueError:
            size = None
        if size is None:
            self._refuse(_("A valid integer is required."), "invalid")
        if size < 1:
            self._refuse(_("Ensure this value is greater than or equal to 1."), "min_value")
        if size > self.max_page_size:
            self._refuse(
                _("Ensure this value is less than or equal to %(n)s.") % {"n": self.max_page_size},
                "max_value",
            )
        return size

    def _refuse(self, message, code):
        raise ValidationError({self.page_size_query_param: [ErrorDetail(str(message), code)]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 200}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """An id filter: a whole number (NumberFilter also takes `1.5`)."""

    field_class = forms.IntegerField


BOOLEANS = {"true", "false", "1", "0"}


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that values django-filter quietly ignores are refused
    with 400 like any other invalid value (the schema does not allow them): an empty value for
    a filter that is not free text (`?occurred_to=`, `?person=`), and a boolean filter's value
    other than true/false (`?open=null` or `?open=maybe` would list everything)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, filter_ in filterset.filters.items():
            values = request.query_params.getlist(name)
            if not values:
                continue
            if isinstance(filter_, django_filters.BooleanFilter):
                if any(v.strip().lower() not in BOOLEANS for v in values):
                    errors[name] = [ErrorDetail(str(_("Give true or false.")), "invalid")]
                continue
            if any(v.strip() for v in values):
                continue
            if isinstance(
                filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter
            ):
                message, code = _("Choose one of the listed values."), "invalid_choice"
            elif isinstance(filter_, django_filters.CharFilter):
                continue  # free text: empty is a value
            else:
                message, code = _("Enter a value."), "invalid"
            errors[name] = [ErrorDetail(str(message), code)]
        if errors:
            raise ValidationError(errors)
        return filterset
