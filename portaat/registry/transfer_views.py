"""Import activisms from a spreadsheet (upload → preview → import) and export data files."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portaat import access
from portaat.cases.models import Assessment, Case
from portaat.registry import transfer

PREVIEW_MAX_AGE = 24 * 3600
FORMATS = ("csv", "xlsx", "json")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "At most 5 MB and 5,000 rows. The first row holds the column names."
        ),
    )


def _preview_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old_previews() -> None:
    cutoff = time.time() - PREVIEW_MAX_AGE
    for stale in _preview_dir().glob("*.json"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


def _load_preview(token: str, user: Any) -> dict[str, Any]:
    try:
        key = uuid.UUID(token)
    except (ValueError, TypeError):
        raise Http404 from None
    path = _preview_dir() / f"{key}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404 from None
    if data.get("user") != user.pk:
        raise Http404
    data["path"] = path
    return data


@require_http_methods(["GET", "POST"])
@access.require(access.can_import_activisms)
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. A readable file leads to the row-by-row preview; nothing is written."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > transfer.MAX_BYTES:
                raise transfer.FileProblem(_("The file is larger than 5 MB."))
            rows, unknown = transfer.parse_file(upload.name, upload.read())
        except transfer.FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            _forget_old_previews()
            token = str(uuid.uuid4())
            (_preview_dir() / f"{token}.json").write_text(
                json.dumps(
                    {
                        "user": request.user.pk,
                        "name": upload.name,
                        "rows": rows,
                        "unknown": unknown,
                    },
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
            return redirect("transfer:import_preview", token=token)
    return render(
        request,
        "transfer/import_upload.html",
        {"form": form, "headers": transfer.HEADERS},
        status=400 if form.errors else 200,
    )


@require_GET
@access.require(access.can_import_activisms)
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: every row with its problems, named by row number and column."""
    data = _load_preview(token, request.user)
    report = transfer.validate_rows(data["rows"], data["unknown"])
    return render(
        request,
        "transfer/import_preview.html",
        {"report": report, "token": token, "file_name": data["name"]},
    )


@require_POST
@access.require(access.can_import_activisms)
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3: import all rows, or — when the user ticks it — only the valid ones."""
    data = _load_preview(token, request.user)
    report = transfer.validate_rows(data["rows"], data["unknown"])  # the registry may have changed
    only_valid = request.POST.get("only_valid") == "1"
    try:
        created = transfer.import_rows(report, by=request.user, only_valid=only_valid)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request,
            "transfer/import_preview.html",
            {"report": report, "token": token, "file_name": data["name"]},
            status=400,
        )
    data["path"].unlink(missing_ok=True)
    messages.success(request, _("Imported %(count)d activisms.") % {"count": len(created)})
    return redirect("registry:list")


def _download(rows: Any, columns: list[str], fmt: str, stem: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    body, content_type = transfer.render(rows, columns, fmt)
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="portaat-{stem}-{stamp}.{fmt}"'
    return response


@require_GET
def export_activisms(request: HttpRequest, fmt: str) -> HttpResponse:
    """Activisms the reader may see; contact details only for the administration."""
    with_contacts = access.is_administration(request.user)
    columns = transfer.ACTIVISM_COLUMNS + (transfer.CONTACT_COLUMNS if with_contacts else [])
    rows = transfer.activism_rows(
        transfer.visible_activisms_for(request.user), with_contacts=with_contacts
    )
    return _download(rows, columns, fmt, "activisms")


def _visible_cases(request: HttpRequest) -> QuerySet[Case]:
    return Case.objects.filter(access.visible_cases(request.user)).distinct().order_by("pk")


@require_GET
@access.require(access.is_administration)
def export_cases(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(
        transfer.case_rows(_visible_cases(request)), transfer.CASE_COLUMNS, fmt, "cases"
    )


@require_GET
@access.require(access.is_administration)
def export_assessments(request: HttpRequest, fmt: str) -> HttpResponse:
    assessments = Assessment.objects.filter(case__in=_visible_cases(request).values("pk")).order_by(
        "case_id", "assessed_on", "pk"
    )
    return _download(
        transfer.assessment_rows(assessments), transfer.ASSESSMENT_COLUMNS, fmt, "assessments"
    )


@require_GET
def data_index(request: HttpRequest) -> HttpResponse:
    """What can be downloaded (and, for officials, imported)."""
    return render(
        request,
        "transfer/data.html",
        {
            "formats": FORMATS,
            "can_import": access.can_import_activisms(request.user),
            "is_administration": access.is_administration(request.user),
        },
    )
