"""Public pages of "Help us identify": the form on an object, the thank-you page
and the contributor's private page (what staff decided, and why).

Nothing here renders HTML from the public: every value is autoescaped."""

from csp.decorators import csp_update
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from memories import abuse
from memories.form_defences import submitted_before
from memories.views import ALTCHA_WORKERS
from objects.models import CollectionObject

from . import selectors, services
from .forms import IdentificationForm
from .links import thanks_token, thanks_token_public_id
from .models import Identification


def _live_object(slug: str) -> CollectionObject:
    obj = CollectionObject.objects.filter(slug=slug, live=True).first()
    if obj is None:
        raise Http404("No published object has this address.")
    return obj


def _form_page(request, form, obj, *, status=200, limited=None):
    response = render(
        request,
        "identifications/identify.html",
        {"form": form, "object": obj, "limited": limited},
        status=status,
    )
    if limited is not None:
        response["Retry-After"] = str(limited.retry_after)
    return response


@never_cache
@csp_update(ALTCHA_WORKERS)
def identify(request, slug):
    obj = _live_object(slug)
    if request.method != "POST":
        return _form_page(request, IdentificationForm(request=request), obj)

    # A second click, or the same form sent again: the first one's thanks.
    existing = submitted_before(request, Identification)
    if existing is not None:
        return redirect("identifications:thanks", token=thanks_token(existing.public_id))

    form = IdentificationForm(request.POST, request=request)
    if not form.is_valid():
        form.refresh_spam_fields()
        return _form_page(request, form, obj, status=400)
    data = form.cleaned_data
    limited = abuse.submission_rate_limited(request, email=data["email"], kind="identifications")
    if limited is not None:
        form.refresh_spam_fields()
        return _form_page(request, form, obj, status=429, limited=limited)

    identification, _created = services.identification_submit(
        suggestion=services.Suggestion(
            object_id=obj.pk,
            kind=data["kind"],
            value=data["value"],
            details=data["details"],
            source=data["source"],
            email=data["email"],
            verified=form.altcha_verified,
            idempotency_key=data["idempotency_key"],
        )
    )
    return redirect("identifications:thanks", token=thanks_token(identification.public_id))


@never_cache
def thanks(request, token):
    public_id = thanks_token_public_id(token)
    identification = (
        Identification.objects.select_related("object").filter(public_id=public_id).first()
        if public_id
        else None
    )
    return render(request, "identifications/thanks.html", {"identification": identification})


@never_cache
def private(request, token):
    identification = selectors.identification_for_token(token)
    if identification is None:
        return render(request, "identifications/link_problem.html", status=404)
    return render(request, "identifications/private.html", {"identification": identification})
