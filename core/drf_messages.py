"""Django REST framework's own error messages, for the Welsh catalogue (issue 23).

DRF ships no Welsh. Its messages are translated through Django's catalogues, of which Harbour's
(`locale/`) comes first: marking them here puts them in `locale/cy/LC_MESSAGES/django.po`, so an
API caller who sends `Accept-Language: cy` reads them in Welsh (the codes stay as they are).
Nothing imports this module; makemessages reads it. The text must be DRF's exactly.
"""

from django.utils.translation import gettext_noop

DRF_MESSAGES = (
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    gettext_noop("This field may not be null."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("This field may not be blank."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("A valid number is required."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Time has wrong format. Use one of these formats instead: {format}."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("This list may not be empty."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Value must be valid JSON."),
)
