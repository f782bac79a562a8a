"""Importing actuals in the browser (upload, preview, confirm) and exporting them, in the
format that priorities/indicators/imports.py reads and writes for both this and
``manage.py import_actuals``."""

from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from delivery_unit.access import get_for_user, require_perm
from delivery_unit.http import HtmxHttpRequest
from delivery_unit.tables import table_response
from delivery_unit.uploads import accepts_uploads
from delivery_unit.versioning import Stale
from priorities.indicators import imports
from priorities.indicators.models import ActualImport
from priorities.models import Priority

# A preview shows at most this many rows in its table; the counts cover them all.
PREVIEW_ROWS = 1000
# And at most this many problems: a file that is wrong throughout needs fixing at its source.
PREVIEW_PROBLEMS = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV or Excel (XLSX) file, smaller than {imports.MAX_SIZE_LABEL}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Excel file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file", context={"label_size": Size.for_label(Size.MEDIUM), "label_tag": "h2"}),
            Submit("upload", "Upload and preview"),
        )

    def clean(self) -> dict:
        """Read the file into rows; a file that cannot be read is this field's error."""
        super().clean()
        cleaned = self.cleaned_data
        file = cleaned.get("file")
        if file is None:
            return cleaned
        if file.size > imports.MAX_BYTES:
            self.add_error(
                "file", f"The selected file must be smaller than {imports.MAX_SIZE_LABEL}"
            )
            return cleaned
        try:
            cleaned["upload"] = imports.read_file(file.read())
        except imports.ImportFileError as error:
            self.add_error("file", str(error))
        return cleaned


class ConfirmForm(forms.Form):
    # What the preview showed: confirming applies only that, never a plan that has changed.
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # When it was shown, to say which values changed since (only ever used for that message).
    shown_at = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("digest", "shown_at", Submit("confirm", "Confirm and import"))

    def shown_since(self) -> datetime | None:
        try:
            shown = datetime.fromisoformat(self.data.get("shown_at", ""))
        except ValueError:
            return None
        return shown if timezone.is_aware(shown) else None


def _get_import_for_user(request: HtmxHttpRequest, pk: int) -> ActualImport:
    """An import is seen only by whoever uploaded it: to anyone else it does not exist."""
    found = ActualImport.objects.filter(pk=pk, created_by=request.user).first()
    if found is None:
        raise Http404("No import matches the given query.")
    return found


# The size limit (delivery_unit/uploads.py) is in place before anything reads the request body;
# CSRF is checked after the permission (csrf_protect on _upload below), so that someone who may
# not import is refused before a byte of the body is read.
@accepts_uploads(lambda: imports.MAX_BYTES)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_data(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "priorities.import_data")
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "priorities/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "priorities/import.html", {"form": form}, status=422)
    actual_import = imports.stage_import(
        form.cleaned_data["upload"], filename=form.cleaned_data["file"].name, by=request.user
    )
    return redirect(actual_import)


def _render_preview(
    request: HttpRequest,
    actual_import: ActualImport,
    *,
    status: int = 200,
    stale: bool = False,
    shown_at: datetime | None = None,
) -> HttpResponse:
    """The preview as things are now (or, once applied, what was imported). ``stale``: a
    confirmation was refused because the data changed after the preview shown at ``shown_at``."""
    plan = None
    if actual_import.status == ActualImport.Status.PENDING:
        plan = imports.preview_import(actual_import, request.user)
    changed_since = []
    if plan and stale and shown_at:
        changed_since = [
            row for row in plan.rows if row.current and row.current.entered_at > shown_at
        ]
    context = {
        "actual_import": actual_import,
        "plan": plan,
        "rows": plan.rows[:PREVIEW_ROWS] if plan else [],
        "problems": plan.problems[:PREVIEW_PROBLEMS] if plan else [],
        "confirm": (
            ConfirmForm(initial={"digest": plan.digest, "shown_at": timezone.now().isoformat()})
            if plan and not plan.problems and plan.has_changes
            else None
        ),
        "stale": stale,
        "changed_since": changed_since,
        "upload_form": ImportForm() if plan and plan.problems else None,
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "priorities/import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actual_import = _get_import_for_user(request, pk)
    if request.method == "GET":
        return _render_preview(request, actual_import)
    form = ConfirmForm(request.POST)
    try:
        plan = imports.confirm_import(
            actual_import,
            by=request.user,
            expected=form.cleaned_data["digest"] if form.is_valid() else "",
        )
    except imports.AlreadyApplied:
        messages.info(request, "This file has already been imported.")
        return redirect(actual_import)
    except imports.ImportRefused:
        return _render_preview(request, actual_import, status=422)
    except Stale:
        return _render_preview(
            request, actual_import, status=409, stale=True, shown_at=form.shown_since()
        )
    counts = plan.counts
    messages.success(
        request,
        f"Imported {actual_import.filename}: {counts['new']} new, {counts['revised']} revised, "
        f"{counts['unchanged']} unchanged.",
    )
    return redirect(actual_import)


def _export(request: HttpRequest, priority: Priority | None) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in {"csv", "xlsx"}:
        raise Http404("Choose format=csv or format=xlsx.")
    return table_response(
        imports.COLUMNS,
        imports.export_rows(imports.actuals_for_export(priority), xlsx=file_format == "xlsx"),
        filename=imports.export_filename(priority),
        file_format=file_format,
    )


@require_GET
def export_data(request: HttpRequest, slug: str) -> HttpResponse:
    """A priority's actuals, in the import's format."""
    priority = get_for_user(
        request.user, Priority.objects.all(), "priorities.view_priority", slug=slug
    )
    return _export(request, priority)


@require_GET
def export_all_data(request: HttpRequest) -> HttpResponse:
    """Every priority's actuals, in the import's format."""
    return _export(request, None)
