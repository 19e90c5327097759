"""Public pages for memories: share, thank-you, the contributor's private page
(view, edit, withdraw, export), lost links and reporting.

Nothing here renders HTML from the public: every value goes through Django's
autoescaping, and memory text is shown with `linebreaks` (which escapes).
"""

import uuid

from csp.decorators import csp_update
from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from foundation.queueing import enqueue
from objects.models import CollectionObject, Production

from . import abuse, selectors, services
from .call_responses import call_from_query, call_subject, share_action
from .forms import ContributorEditForm, LostLinkForm, MemoryForm, ReportForm
from .links import thanks_token, thanks_token_public_id
from .models import Memory
from .tasks import send_private_links_task
from .uploads import UploadSizeLimitHandler


def memory_list(request):
    page = Paginator(selectors.memories_public(), 20).get_page(request.GET.get("page"))
    return render(request, "memories/memory_list.html", {"page": page, "memories": list(page)})


def memory_detail(request, public_id):
    memory = selectors.memory_public_get(public_id=public_id)
    if memory is None:
        raise Http404("No published memory has this address.")
    return render(request, "memories/memory_detail.html", {"memory": memory})


def _about(request) -> dict:
    """What the memory is about, from ?object=<slug> or ?production=<slug>, and
    the call for memories it answers, from ?call=<id> (calls/)."""
    about = {"object": None, "production": None, "call": call_from_query(request)}
    # Only well-formed slugs reach the database (PostgreSQL refuses a NUL byte in
    # text); anything else is treated like an unknown one: a general memory.
    if slug := _slug_or_empty(request.GET.get("object")):
        about["object"] = CollectionObject.objects.filter(slug=slug, live=True).first()
    elif slug := _slug_or_empty(request.GET.get("production")):
        about["production"] = Production.objects.filter(slug=slug).first()
    elif about["call"] is not None:
        about.update(call_subject(about["call"]))
    return about


def _slug_or_empty(value: str | None) -> str:
    return value if value and slug_re.fullmatch(value) else ""


def _form_page(request, form, about, *, status=200, limited=None, closed_call=None):
    response = render(
        request,
        "memories/share.html",
        {
            "form": form,
            "about": about["object"] or about["production"],
            "call": about["call"],
            "closed_call": closed_call,
            "action": share_action(request, closed_call=closed_call),
            "consent_wording": services.consent_wording_current(),
            "limited": limited,
            "text_max": settings.MEMORIES_TEXT_MAX_CHARS,
        },
        status=status,
    )
    if limited is not None:
        response["Retry-After"] = str(limited.retry_after)
    return response


def _too_many(request, limited: abuse.Limited):
    response = render(request, "memories/too_many.html", status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


def _existing_for_key(request) -> Memory | None:
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None
    return Memory.objects.filter(idempotency_key=key).first()


# The ALTCHA widget solves its proof of work in Web Workers it builds from blob:
# URLs; this page alone allows that (scripts themselves stay 'self' only).
ALTCHA_WORKERS = {"worker-src": ["'self'", "blob:"]}


@never_cache
@csp_update(ALTCHA_WORKERS)
@csrf_exempt  # only so the handler goes in before the CSRF check reads the upload
def memory_share(request):
    largest = max(settings.MEMORIES_PHOTO_MAX_BYTES, settings.MEMORIES_AUDIO_MAX_BYTES)
    request.upload_handlers.insert(0, UploadSizeLimitHandler(request, max_bytes=largest))
    return _memory_share(request)


@csrf_protect
def _memory_share(request):
    about = _about(request)
    if request.method != "POST":
        closed = about["call"] if about["call"] and not about["call"].is_open() else None
        return _form_page(request, MemoryForm(request=request), about, closed_call=closed)

    # A second click, or the same form sent again: show the first one's thanks.
    existing = _existing_for_key(request)
    if existing is not None:
        return redirect("memories:thanks", token=thanks_token(existing.public_id))

    form = MemoryForm(request.POST, request.FILES, request=request)
    if about["call"] is not None and not about["call"].is_open():
        # Closed while they were writing: say so, keep every word, and let them
        # send it as a memory of the same object without the call.
        form.is_valid()
        form.refresh_spam_fields()
        return _form_page(request, form, about, status=409, closed_call=about["call"])
    if not form.is_valid():
        form.refresh_spam_fields()
        return _form_page(request, form, about, status=400)
    data = form.cleaned_data
    limited = abuse.submission_rate_limited(request, email=data["email"])
    if limited is not None:
        form.refresh_spam_fields()
        return _form_page(request, form, about, status=429, limited=limited)

    memory, _created = services.memory_submit(
        submission=services.Submission.from_answers(
            data,
            object_id=about["object"].pk if about["object"] else None,
            production_id=about["production"].pk if about["production"] else None,
            call_id=about["call"].pk if about["call"] else None,
            photo_upload=data["photo"],
            audio=form.clean_audio_result,
            verified=form.altcha_verified,
            idempotency_key=data["idempotency_key"],
        )
    )
    return redirect("memories:thanks", token=thanks_token(memory.public_id))


@never_cache
def memory_thanks(request, token):
    public_id = thanks_token_public_id(token)
    memory = Memory.objects.filter(public_id=public_id).first() if public_id else None
    return render(request, "memories/thanks.html", {"memory": memory})


def _private_or_refusal(request, token):
    link = selectors.PrivateLink(token)
    if link.memory is not None:
        return link, None
    if link.withdrawal is not None:
        return link, render(
            request, "memories/link_problem.html", {"withdrawal": link.withdrawal}, status=410
        )
    return link, render(
        request, "memories/link_problem.html", {"tampered": link.tampered}, status=404
    )


@never_cache
def memory_private(request, token):
    link, refusal = _private_or_refusal(request, token)
    if refusal:
        return refusal
    memory = link.memory
    saved = False
    if request.method == "POST":
        form = ContributorEditForm.for_memory(memory, data=request.POST)
        if form.is_valid():
            services.memory_contributor_edit(memory=memory, changes=form.cleaned_data)
            saved = True
            form = ContributorEditForm.for_memory(memory)
    else:
        form = ContributorEditForm.for_memory(memory)
    return render(
        request,
        "memories/private.html",
        {
            "memory": memory,
            "photo": link.photo,
            "form": form,
            "saved": saved,
            "token": token,
            "text_max": settings.MEMORIES_TEXT_MAX_CHARS,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
def memory_withdraw(request, token):
    link, refusal = _private_or_refusal(request, token)
    if refusal:
        return refusal
    if request.method == "POST":
        withdrawal = services.memory_withdraw(memory=link.memory)
        return render(request, "memories/withdrawn.html", {"withdrawal": withdrawal})
    return render(
        request, "memories/withdraw_confirm.html", {"memory": link.memory, "token": token}
    )


@never_cache
def memory_export(request, token):
    link, refusal = _private_or_refusal(request, token)
    if refusal:
        return refusal
    response = JsonResponse(
        services.memory_export(memory=link.memory), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-bac-memory.json"'
    return response


def _audio_response(memory: Memory) -> FileResponse:
    if not memory.audio:
        raise Http404("This memory has no recording.")
    return FileResponse(memory.audio.open("rb"), content_type=memory.audio_content_type)


@never_cache
def memory_private_audio(request, token):
    link, refusal = _private_or_refusal(request, token)
    if refusal:
        return refusal
    return _audio_response(link.memory)


@never_cache
def memory_private_photo(request, token):
    """The contributor's photo on their private page: /media/ shows it to the
    public only once the memory is approved."""
    link, refusal = _private_or_refusal(request, token)
    if refusal:
        return refusal
    if link.photo is None:
        raise Http404("This memory has no photo to show.")
    return FileResponse(link.photo.file.open("rb"), content_type="image/jpeg")


def memory_audio(request, public_id):
    memory = get_object_or_404(Memory, public_id=public_id, status=Memory.Status.APPROVED)
    return _audio_response(memory)


@never_cache
def lost_link(request):
    form = LostLinkForm(request.POST or None)
    sent = False
    status = 200
    if request.method == "POST":
        if limited := abuse.lookup_rate_limited(request, group="memories.lost-link"):
            return _too_many(request, limited)
        if form.is_valid():
            enqueue(send_private_links_task, form.cleaned_data["email"])
            sent = True
        else:
            status = 400
    return render(request, "memories/lost_link.html", {"form": form, "sent": sent}, status=status)


@never_cache
def memory_report(request, public_id):
    memory = selectors.memory_public_get(public_id=public_id)
    if memory is None:
        raise Http404("This memory is not published.")
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if limited := abuse.lookup_rate_limited(request, group="memories.report"):
            return _too_many(request, limited)
        if form.is_valid():
            services.memory_report(
                memory=memory,
                reporter=abuse.visitor_key(request),
                reason=form.cleaned_data["reason"],
            )
            return render(request, "memories/reported.html", {"memory": memory})
    return render(request, "memories/report.html", {"memory": memory, "form": form})
