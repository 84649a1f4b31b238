"""The ``category`` kind: the category's topics with new activity, and their new posts.

Topics come from ``GET /c/{slug}/{id}.json?page=N`` (latest activity first, pinned topics on
top); a topic's posts from ``GET /t/{id}.json`` (its first 20 posts and ``post_stream.stream``,
the ids of all its visible posts in order) and ``GET /t/{id}/posts.json?post_ids[]=…`` for the
newest ones the first chunk does not hold, read from the end back, 20 at a time.

Cursor — ``{"since": bumped_at, "done": {topic id: bumped_at}}``:

* ``since`` is the newest ``bumped_at`` the last *completed* run saw. A run lists topics down
  to the first unpinned one not bumped after ``since`` and takes, from each topic bumped after
  it, the posts created after it. (A post's topic is bumped when it is created, so a post created
  after ``since`` is in a topic bumped after it.) When the listing took several pages, page 0
  is read once more at the end: a topic bumped while the run listed has jumped above what was
  already read, and would otherwise be missed together with its earlier new posts.
* Topics are taken oldest-bumped first, one page each; ``done`` records each finished topic
  with the ``bumped_at`` it had. A run killed after any page lists again, skips the topics in
  ``done`` that have not been bumped since, and takes the rest: the same posts as an
  uninterrupted run. Only when every topic is done does ``since`` move on (and ``done`` empty).
* Bounds per run: ``max_pages`` listing pages (default 5), ``max_topics`` topics (default 20;
  the rest wait for the next run, ``done`` keeps the place), ``topic_posts`` newest posts per
  topic (default 60). A first run (no ``since``) lists ``backfill_pages`` pages (default 1,
  about 30 topics) and takes up to ``topic_posts`` posts of each. More topic bumps between two
  runs than the listing bound holds are not seen; schedule busy categories more often.

A topic that is gone when fetched (404) is reported by its first post in ``Page.deleted``; one
that became invisible (403) is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portaat.listening.connectors.base import ConnectorError, Page, parse_time
from portaat.listening.connectors.discourse import posts as dp
from portaat.listening.connectors.discourse.settings import Context

CHUNK = 20  # Discourse's post-stream chunk size


@dataclass(frozen=True)
class Listed:
    id: int
    bumped: datetime
    bumped_raw: str
    pinned: bool


def _listing(ctx: Context, page: int) -> tuple[list[Listed], bool]:
    params = {"page": page} if page else None
    data = dp.need_dict(ctx.get(f"/c/{ctx.settings.category}.json", params), "a topic list")
    topic_list = dp.need_dict(data.get("topic_list"), "topic_list")
    rows = []
    for item in dp.need_list(topic_list.get("topics"), "topic_list.topics"):
        topic = dp.need_dict(item, "a topic")
        raw = dp.need_str(topic.get("bumped_at"), "topic.bumped_at")
        rows.append(
            Listed(
                id=dp.need_int(topic.get("id"), "topic.id"),
                bumped=parse_time(raw),
                bumped_raw=raw,
                pinned=topic.get("pinned") is True,
            )
        )
    return rows, bool(topic_list.get("more_topics_url")) and bool(rows)


def _list_topics(ctx: Context, since: datetime | None) -> list[Listed]:
    limit = ctx.option("backfill_pages") if since is None else ctx.option("max_pages")
    found: dict[int, Listed] = {}

    def keep(rows: list[Listed]) -> None:
        for row in rows:
            if row.id not in found or row.bumped > found[row.id].bumped:
                found[row.id] = row

    pages = 0
    while pages < limit:
        rows, more = _listing(ctx, pages)
        pages += 1
        keep(rows)
        reached = since is not None and any(r.bumped <= since and not r.pinned for r in rows)
        if reached or not more:
            break
    if pages > 1:
        keep(_listing(ctx, 0)[0])
    return [row for row in found.values() if since is None or row.bumped > since]


def _topic(ctx: Context, row: Listed, since: datetime | None) -> tuple[list[Any], list[str]]:
    """The topic's new posts (mapped) and the remote ids of its posts marked deleted."""
    try:
        data = dp.need_dict(ctx.get(f"/t/{row.id}.json"), "a topic")
    except ConnectorError as exc:
        if exc.code == "not_found":
            return [], [ctx.forum.remote_id(row.id, 1)]
        if exc.code == "unauthorised":
            return [], []
        raise
    stream_data = dp.need_dict(data.get("post_stream"), "post_stream")
    by_id: dict[int, dict[str, Any]] = {}
    for item in dp.need_list(stream_data.get("posts"), "post_stream.posts"):
        post = dp.need_dict(item, "a post")
        by_id[dp.need_int(post.get("id"), "post.id")] = post
    stream = [
        dp.need_int(i, "a stream id") for i in dp.need_list(stream_data.get("stream"), "stream")
    ]
    tail = stream[-ctx.option("topic_posts") :]
    taken: list[dict[str, Any]] = []
    end = len(tail)
    while end > 0:
        chunk = tail[max(0, end - CHUNK) : end]
        end -= CHUNK
        missing = [i for i in chunk if i not in by_id]
        if missing:
            more = dp.need_dict(
                ctx.get(f"/t/{row.id}/posts.json", {"post_ids[]": missing}), "posts"
            )
            found = dp.need_dict(more.get("post_stream"), "post_stream")
            for item in dp.need_list(found.get("posts"), "post_stream.posts"):
                post = dp.need_dict(item, "a post")
                by_id[dp.need_int(post.get("id"), "post.id")] = post
        got = [by_id[i] for i in chunk if i in by_id]
        taken = got + taken
        if since is not None and any(dp.created_at(p) <= since for p in got):
            break  # the rest of the stream is older still
    topic = dp.Topic(
        title=data["title"] if isinstance(data.get("title"), str) else "",
        slug=data["slug"] if isinstance(data.get("slug"), str) else "",
        tags=dp.topic_tags(data.get("tags")),
        category_id=data.get("category_id") if isinstance(data.get("category_id"), int) else None,
    )
    groups = ctx.groups(topic.category_id)
    posts = [
        dp.to_post(p, ctx.forum, topic, groups)
        for p in taken
        if dp.is_regular(p) and not dp.is_deleted(p) and (since is None or dp.created_at(p) > since)
    ]
    return posts, [dp.remote_id_of(p, ctx.forum) for p in taken if dp.is_deleted(p)]


def category_pages(ctx: Context, cursor: dict[str, Any]) -> Iterator[Page]:
    since_raw = cursor.get("since") if isinstance(cursor.get("since"), str) else None
    since = parse_time(since_raw) if since_raw else None
    base: dict[str, Any] = {"since": since_raw} if since_raw else {}
    done_in = cursor.get("done")
    done = {str(k): v for k, v in done_in.items()} if isinstance(done_in, dict) else {}
    listed = _list_topics(ctx, since)
    finished: dict[str, Any] = dict(base)
    if listed:
        newest = max(listed, key=lambda r: r.bumped)
        finished = {"since": newest.bumped_raw}
    todo = sorted(
        (r for r in listed if done.get(str(r.id)) != r.bumped_raw), key=lambda r: (r.bumped, r.id)
    )
    if not todo:
        yield Page([], finished, more=False)
        return
    batch = todo[: ctx.option("max_topics")]
    complete = len(batch) == len(todo)
    for number, row in enumerate(batch, start=1):
        posts, deleted = _topic(ctx, row, since)
        done[str(row.id)] = row.bumped_raw
        last = number == len(batch)
        next_cursor = finished if last and complete else {**base, "done": dict(done)}
        yield Page(posts, next_cursor, deleted, more=not last)
