"""The Impact area in the admin (figures, CSV, the printable report) and the public
"The archive in numbers" page."""

import csv

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from wagtail.admin.auth import permission_required

from api.dumps import neutralise_formula

from .charts import chart_for
from .forms import PeriodForm
from .selectors import impact_public_numbers, impact_report, privacy_notice_describes_counting

PERMISSION = "impact.view_impact"


def _report(request):
    form = PeriodForm(request.GET or None)
    return form, impact_report(period=form.chosen_period())


@permission_required(PERMISSION)
def impact_index(request):
    form, report = _report(request)
    sections = [
        {
            "section": section,
            "figures": [{"table": table, "chart": chart_for(table)} for table in section.tables],
        }
        for section in report.sections
    ]
    return render(
        request,
        "impact/admin/index.html",
        {
            "page_title": "Impact",
            "header_title": "Impact",
            "header_icon": "table",
            "form": form,
            "report": report,
            "sections": sections,
            "query": request.GET.urlencode(),
            "counting": bool(settings.REDIS_URL),
            "privacy_notice_ok": privacy_notice_describes_counting(),
        },
    )


@permission_required(PERMISSION)
def impact_csv(request, slug: str):
    _, report = _report(request)
    table = report.table(slug)
    if table is None:
        raise Http404("No such table.")
    period = report.period
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="impact-{slug}-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(table.columns)
    # Search terms are typed by the public: none may run as a spreadsheet formula.
    writer.writerows([[neutralise_formula(value) for value in row] for row in table.rows])
    return response


@permission_required(PERMISSION)
def impact_print(request):
    _, report = _report(request)
    charts = [
        chart_for(report.table(slug))
        for slug in ("views-by-day", "views-by-kind", "memories-by-month", "reuse-by-source")
    ]
    return render(
        request,
        "impact/admin/report.html",
        {"report": report, "charts": [chart for chart in charts if chart]},
    )


def numbers(request):
    return render(request, "impact/numbers.html", {"numbers": impact_public_numbers()})
