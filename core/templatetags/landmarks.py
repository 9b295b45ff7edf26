"""`{% landmark "nav" _("Back") %}...{% endlandmark %}`: wraps what is inside in a landmark
element (`<nav aria-label="Back">`) only when there is something inside, so that every piece of
a page sits in a landmark (axe's `region` rule) and an empty block leaves no empty landmark.
Content that is already a landmark of its own (breadcrumbs in a `<nav>`) is left as it is.
base.html wraps the `beforecontent` block (the back links) with it."""

from django import template
from django.utils.html import format_html

register = template.Library()

ELEMENTS = {"nav", "section", "aside"}


class LandmarkNode(template.Node):
    def __init__(self, element, label, nodelist):
        self.element, self.label, self.nodelist = element, label, nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        if not inner.strip():
            return ""
        if inner.lstrip().startswith(("<nav", "<section", "<aside")):
            return inner  # already a landmark of its own (breadcrumbs): not nested in another
        element = self.element.resolve(context)
        if element not in ELEMENTS:
            raise template.TemplateSyntaxError(f"landmark: {element!r} is not one of {ELEMENTS}")
        return format_html(
            '<{0} aria-label="{1}" class="app-landmark">{2}</{0}>',
            element,
            self.label.resolve(context),
            inner,
        )


@register.tag
def landmark(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('Use {% landmark "nav" _("Label") %}')
    nodelist = parser.parse(("endlandmark",))
    parser.delete_first_token()
    return LandmarkNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), nodelist)
