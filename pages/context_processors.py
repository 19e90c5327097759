from django.http import HttpRequest


def canonical_url(request: HttpRequest) -> dict:
    """The page's own address without tracking or filter parameters (only ?page=
    is kept, so each page of a list stays its own canonical page)."""
    url = request.build_absolute_uri(request.path)
    page_number = request.GET.get("page", "")
    if page_number.isdigit() and page_number != "1":
        url = f"{url}?page={page_number}"
    return {"canonical_url": url}
