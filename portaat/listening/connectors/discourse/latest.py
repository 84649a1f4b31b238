"""The ``forum`` kind: the forum's latest posts from ``GET /posts.json``, newest first.

``/posts.json`` only pages *down*: ``before=<post id>`` gives the 50 posts below that id. A run
therefore walks from the newest post down to what earlier runs covered.

Cursor — ``{"high": newest post id covered, "walk": {"top", "before", "left"}}``:

* ``high`` is only raised when a walk is complete, to the walk's ``top`` (the newest post it
  saw). While a walk is under way the cursor keeps the old ``high`` and ``walk.before`` (the
  lowest id read), so a run killed after any page resumes the walk below what it committed and
  still stops at the old ``high``: no post between is lost, posts newer than ``top`` are left
  for the next run, which walks down to ``top``.
* The first run (no ``high``) reads at most ``backfill_pages`` pages (default 2, i.e. 100
  posts): ``walk.left`` counts them down across a kill.
* A run reads at most ``max_pages`` pages (default 10); a walk cut short there is resumed by the
  next run before anything newer is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from portaat.listening.connectors.base import Page
from portaat.listening.connectors.discourse import posts as dp
from portaat.listening.connectors.discourse.settings import Context


def _valid_walk(walk: Any) -> dict[str, Any] | None:
    if not isinstance(walk, dict):
        return None
    top, before, left = walk.get("top"), walk.get("before"), walk.get("left")
    if not isinstance(top, int) or not isinstance(before, int):
        return None
    if left is not None and (not isinstance(left, int) or left < 1):
        return None
    return {"top": top, "before": before, "left": left}


def _batch(ctx: Context, before: int | None) -> list[dict[str, Any]]:
    data = ctx.get("/posts.json", {"before": before} if before else None)
    items = dp.need_list(dp.need_dict(data, "posts.json").get("latest_posts"), "latest_posts")
    posts = [dp.need_dict(item, "a post") for item in items]
    for post in posts:
        dp.need_int(post.get("id"), "post.id")
    # "posts with an id lower than" before: drop an overlap should a server include it
    return [p for p in posts if before is None or p["id"] < before]


def _page(
    ctx: Context, posts: list[dict[str, Any]], high: int | None, cursor: dict[str, Any], more: bool
) -> Page:
    fresh = [p for p in posts if high is None or p["id"] > high]
    return Page(
        posts=[
            dp.to_post(p, ctx.forum, dp.Topic(), ctx.groups(p.get("category_id")))
            for p in fresh
            if dp.is_regular(p) and not dp.is_deleted(p)
        ],
        cursor=cursor,
        deleted=[dp.remote_id_of(p, ctx.forum) for p in posts if dp.is_deleted(p)],
        more=more,
    )


def latest_pages(ctx: Context, cursor: dict[str, Any]) -> Iterator[Page]:
    high = cursor.get("high") if isinstance(cursor.get("high"), int) else None
    base: dict[str, Any] = {} if high is None else {"high": high}
    walk = _valid_walk(cursor.get("walk"))
    max_pages = ctx.option("max_pages")
    read = 0
    if walk is None:
        posts = _batch(ctx, None)
        read = 1
        fresh = [p["id"] for p in posts if high is None or p["id"] > high]
        if not fresh:
            yield _page(ctx, posts, high, dict(base), more=False)
            return
        lowest = min(p["id"] for p in posts)
        left = None if high is not None else ctx.option("backfill_pages") - 1
        if (high is not None and lowest <= high) or left == 0:
            next_cursor: dict[str, Any] = {"high": max(fresh)}
        else:
            next_cursor = {**base, "walk": {"top": max(fresh), "before": lowest, "left": left}}
        walk = next_cursor.get("walk")
        yield _page(ctx, posts, high, next_cursor, more=walk is not None and read < max_pages)
    while walk is not None and read < max_pages:
        posts = _batch(ctx, walk["before"])
        read += 1
        left = None if walk["left"] is None else walk["left"] - 1
        ids = [p["id"] for p in posts]
        if not ids or (high is not None and min(ids) <= high) or left == 0:
            next_cursor = {"high": walk["top"]}
        else:
            next_cursor = {**base, "walk": {**walk, "before": min(ids), "left": left}}
        walk = next_cursor.get("walk")
        yield _page(ctx, posts, high, next_cursor, more=walk is not None and read < max_pages)
