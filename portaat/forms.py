"""Form fields shared by the apps' forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The range of a database id (a 64-bit integer).
_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """``ModelMultipleChoiceField`` that refuses an id no database column can hold before it
    asks the database: SQLite raises ``OverflowError`` on ``pk IN (99999999999999999999)``,
    which would be a 500 instead of "not one of the available choices"."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        if self.to_field_name not in (None, "pk", "id"):
            return super()._check_values(value)  # type: ignore[misc]
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number at all: the parent's "invalid_pk_value" error
            if not _ID_MIN <= number <= _ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


def int_or_none(raw: str | None) -> int | None:
    """A positive-or-zero id from a query parameter or cookie; None for anything else
    (including numbers no database id column can hold)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def style_widgets(form: forms.BaseForm) -> None:
    """Put the Helsinki Design System class on each input, so templates render ``{{ field }}``
    as it is (the shared ``includes/form_field.html`` does)."""
    for form_field in form.fields.values():
        widget = form_field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "hds-checkbox__input"
        elif isinstance(widget, forms.RadioSelect):
            css = "hds-radio-button__input"
        elif isinstance(widget, forms.Textarea):
            css = "hds-text-input__input hds-text-input__textarea"
        else:
            css = "hds-text-input__input"
        widget.attrs["class"] = css
