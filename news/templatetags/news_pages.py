from django import template

register = template.Library()


@register.filter
def page_links(page_obj):
    """The page numbers a pager shows: both ends and two on each side of this page, with
    Paginator.ELLIPSIS between, as WordPress does; a list of 800 pages is not 800 links."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
