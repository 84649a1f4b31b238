from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``, with ``limit`` capped: an unbounded one (``limit=99999999999999999999``)
    reached the database as an out-of-range LIMIT and came back as a 500."""

    max_limit = 1000
