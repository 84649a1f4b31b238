from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

_NUMBER = re.compile(r"-?[0-9]+")


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``, with ``limit`` capped: an unbounded one (``limit=99999999999999999999``)
    reached the database as an out-of-range LIMIT and came back as a 500.

    A ``limit`` below 1 or an ``offset`` below 0, or one that is not a whole number
    (``limit=abc``), is a 400, as the schema says (DRF quietly gave the first page of the default
    size instead, so a typo went unnoticed)."""

    max_limit = 1000

    def _number(self, request: Request, name: str, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if not raw:  # an empty parameter is the same as none
            return None
        # Django's own messages, translated in its catalogue
        if not _NUMBER.fullmatch(raw):
            raise ValidationError({name: [_("Enter a whole number.")]})
        # a number too long for int() (over 4,300 digits) is simply very large
        digits = raw.lstrip("-").lstrip("0") or "0"
        value = (10**18 if len(digits) > 18 else int(digits)) * (-1 if raw[0] == "-" else 1)
        if value < minimum:
            message = _("Ensure this value is greater than or equal to %(limit_value)s.")
            raise ValidationError({name: [message % {"limit_value": minimum}]})
        return value

    def get_limit(self, request: Request) -> int | None:
        limit = self._number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, minimum=0) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"]["minimum"] = 1
        limit["description"] += f" At most {self.max_limit}: a larger limit gives {self.max_limit}."
        offset["schema"]["minimum"] = 0
        return [limit, offset]
