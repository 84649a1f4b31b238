"""The RSS/Atom connector against recorded feeds replayed by a real local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from portaat.listening.connectors import connector_for
from portaat.listening.connectors.base import ConnectorError, Page, RemotePost, SourceSpec
from portaat.listening.connectors.http import Http
from portaat.listening.connectors.rss import FeedConnector
from tests.listening.replay import ReplayServer, replay

FIXTURES = Path(__file__).resolve().parents[3] / "portaat/listening/connectors/rss/fixtures"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"
BLOG = "/feeds/4417320978665213509/posts/default"
ETAG = 'W/"a1c3e0f57b9d2e1f"'
LAST_MODIFIED = "Tue, 03 Jun 2025 10:22:41 GMT"


@pytest.fixture
def http() -> Iterator[Http]:
    with Http(allow_private=True, sleep=lambda s: None) as client:
        yield client


def spec(target: str, **options: Any) -> SourceSpec:
    return SourceSpec(platform="rss", kind="feed", target=target, options=options)


def run(
    target: str, http: Http, cursor: dict[str, Any] | None = None, **options: Any
) -> list[Page]:
    return list(FeedConnector().pages(spec(target, **options), cursor or {}, http))


def posts_of(pages: list[Page]) -> list[RemotePost]:
    return [post for page in pages for post in page.posts]


def fixture(name: str, server: ReplayServer | None = None) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text.replace("{base}", server.url) if server else text


def serve_blog(server: ReplayServer) -> None:
    """The Blogger-style Atom feed: two pages linked by rel="next" (RFC 5005)."""
    server.add(path=BLOG, absent=["start-index"], body=fixture("atom_page1.xml", server),
               headers={"Content-Type": ATOM})  # fmt: skip
    server.add(path=BLOG, query={"start-index": "3"}, body=fixture("atom_page2.xml", server),
               headers={"Content-Type": ATOM})  # fmt: skip


# -- mapping -------------------------------------------------------------------------------------


def test_wordpress_rss2_maps_every_field(http: Http) -> None:
    routes = [{"path": "/feed/", "file": "wordpress_rss2.xml",
               "headers": {"Content-Type": RSS, "ETag": ETAG, "Last-Modified": LAST_MODIFIED}}]  # fmt: skip
    with replay(routes, FIXTURES) as server:
        pages = run(f"{server.url}/feed/", http)

    assert len(pages) == 1
    page = pages[0]
    assert page.more is False
    assert page.deleted == []
    assert [p.remote_id for p in page.posts] == [
        "https://toukola-seura.fi/?p=1482",  # a URL guid is unique on its own
        "https://toukola-seura.fi/?p=1467",
        "https://toukola-seura.fi/?p=1451",
    ]
    post = page.posts[0]
    assert post.title == "Talkoot Arabianrannan yhteisöpuutarhassa lauantaina 7.6."
    assert (
        post.url == "https://toukola-seura.fi/2025/06/03/talkoot-arabianrannan-yhteisopuutarhassa/"
    )
    assert post.author_handle == "Aino Virtanen"
    assert post.language == "fi"
    assert post.created_at == datetime(2025, 6, 3, 9, 15, 27, tzinfo=UTC)
    assert post.created_at.tzinfo is not None
    # content:encoded wins over description, as plain text with its paragraphs and list items
    assert post.text.startswith("Kevään viimeiset talkoot pidetään lauantaina 7.6. klo 10–14")
    assert "kahvit ja pullat klo 12 & palstajaon arvonta" in post.text
    assert "Raitiovaunut 6 ja 8" in post.text
    assert "<" not in post.text and "&amp;" not in post.text
    assert post.counts == {"replies": 3}
    assert post.media_urls == [
        "https://toukola-seura.fi/wp-content/uploads/2025/06/talkookutsu-kesakuu-2025.pdf"
    ]
    assert post.tags == ["tapahtumat", "yhteisöpuutarha", "arabianranta"]
    assert (post.reply_to, post.thread, post.mentions, post.groups) == ("", "", [], [])
    assert page.posts[1].counts == {"replies": 0}
    assert page.posts[1].author_handle == "Juha Nieminen"
    # categories first, then hashtags found in the text
    assert page.posts[2].tags == ["yleinen", "siististadi"]
    assert page.posts[2].media_urls == []
    assert page.cursor["etag"] == ETAG
    assert page.cursor["last_modified"] == LAST_MODIFIED
    assert page.cursor["newest"] == "2025-06-03T09:15:27+00:00"
    assert "next" not in page.cursor


def test_atom_maps_times_to_utc_and_counts_thr_total(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        pages = run(f"{server.url}{BLOG}", http)

    post = pages[0].posts[0]
    assert post.remote_id == (
        "tag:blogger.com,1999:blog-4417320978665213509.post-7730155102651139042"
    )
    assert post.created_at == datetime(2025, 5, 28, 15, 55, 0, tzinfo=UTC)  # +03:00 → UTC
    assert post.title == "Kevätkylvöt tehty & kastelulista auki"
    assert post.text == (
        "Perunat, sipulit ja herneet ovat maassa. Kiitos kaikille lauantain talkoolaisille!\n\n"
        "Kesän kastelulista on vajan ovessa – merkitse oma viikkosi. Vesipiste aukeaa 1.6."
    )
    assert post.url == "https://kumpulankylapuutarha.blogspot.com/2025/05/kevatkylvot-tehty.html"
    assert post.author_handle == "Liisa Korhonen"
    assert post.language == "fi"  # xml:lang of the feed
    assert post.counts == {"replies": 2}
    assert post.tags == ["kylvöt", "talkoot"]


def test_rdf_rss1_feed(http: Http) -> None:
    routes = [{"path": "/nyheter/feed.rdf", "file": "rdf_rss1.xml",
               "headers": {"Content-Type": "application/rdf+xml"}}]  # fmt: skip
    with replay(routes, FIXTURES) as server:
        pages = run(f"{server.url}/nyheter/feed.rdf", http)

    posts = posts_of(pages)
    assert [p.remote_id for p in posts] == [
        "https://hagnas-grannar.fi/nyheter/2025/05/staddag-i-tokoinranta",
        "https://hagnas-grannar.fi/nyheter/2025/05/reko-ring-hagnas",
    ]
    post = posts[0]
    assert post.title == "Städdag i Tokoinranta lördag 24.5"
    assert post.text == (
        "Vi träffas vid Tokoinranta-parkens lekplats kl. 11. Staden står för säckar och handskar."
    )
    assert post.created_at == datetime(2025, 5, 21, 4, 10, tzinfo=UTC)  # dc:date
    assert post.author_handle == "Anna Lindqvist"
    assert post.language == "sv"  # dc:language sv-FI → primary subtag
    assert post.tags == ["grannskap"]
    assert posts[1].tags == ["lokalmat"]


def test_remote_ids_are_scoped_to_the_feed_unless_globally_unique(http: Http) -> None:
    body = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kallion kirjaston tapahtumat</title>
<link>https://kallion-kirjasto.example/</link><description>Tapahtumat</description>
<item><title>Satutunti</title><guid isPermaLink="false">8841</guid>
<pubDate>Mon, 02 Jun 2025 07:00:00 +0000</pubDate><description>Lapsille.</description></item>
<item><title>Lukupiiri</title><link>https://kallion-kirjasto.example/tapahtumat/lukupiiri</link>
<pubDate>Sun, 01 Jun 2025 07:00:00 +0000</pubDate></item>
<item><title>Kielikahvila</title><guid>urn:uuid:5e0c5b4a-3d0b-4f39-9b8e-7c1a4d2f9e61</guid></item>
<item><title>Ilman tunnistetta</title><pubDate>Sat, 31 May 2025 07:00:00 +0000</pubDate></item>
</channel></rss>"""
    with replay([{"path": "/tapahtumat.rss", "body": body, "headers": {"Content-Type": RSS}}]) as s:
        target = f"{s.url}/tapahtumat.rss"
        posts = posts_of(run(target, http))

    ids = [p.remote_id for p in posts]
    assert ids[0] == f"{target}#8841"
    assert ids[1] == "https://kallion-kirjasto.example/tapahtumat/lukupiiri"
    assert ids[2] == "urn:uuid:5e0c5b4a-3d0b-4f39-9b8e-7c1a4d2f9e61"
    assert ids[3].startswith(f"{target}#sha256:")
    assert posts[3].url == ""
    assert posts[3].author_handle == ""
    # an undated entry gets the time it was collected, aware UTC
    assert abs(posts[2].created_at - datetime.now(UTC)) < timedelta(minutes=1)


# -- paging and the cursor rule ------------------------------------------------------------------


def test_atom_rel_next_is_followed_across_two_pages(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        pages = run(f"{server.url}{BLOG}", http)

    assert [p.more for p in pages] == [True, False]
    assert [len(p.posts) for p in pages] == [2, 2]
    assert [p.title for p in posts_of(pages)] == [
        "Kevätkylvöt tehty & kastelulista auki",
        "Kompostikurssi Kumpulan kartanolla",
        "Palstojen jako 2025",
        "Siemenvaihtopäivä Kumpulan kirjastossa",
    ]
    assert pages[0].cursor["next"].endswith(f"{BLOG}?start-index=3&max-results=2")
    assert "next" not in pages[1].cursor
    assert len(pages[1].cursor["seen"]) == 4


def test_rss_atom_link_next_is_followed(http: Http) -> None:
    with replay([]) as server:
        head = fixture("wordpress_rss2.xml").replace(
            '<atom:link href="https://toukola-seura.fi/feed/" rel="self" type="application/rss+xml" />',
            f'<atom:link href="{server.url}/feed/?paged=2" rel="next" />',
        )
        older = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Toukola-Seura ry</title><link>https://toukola-seura.fi</link><description>d</description>
<item><title>Vuosikokous 2025</title><link>https://toukola-seura.fi/2025/03/20/vuosikokous/</link>
<pubDate>Thu, 20 Mar 2025 16:00:00 +0000</pubDate><guid isPermaLink="false">https://toukola-seura.fi/?p=1390</guid>
<description>Vuosikokous pidettiin Arabian kirjastossa.</description></item></channel></rss>"""
        server.add(path="/feed/", absent=["paged"], body=head, headers={"Content-Type": RSS})
        server.add(path="/feed/", query={"paged": "2"}, body=older, headers={"Content-Type": RSS})
        pages = run(f"{server.url}/feed/", http)

    assert [len(p.posts) for p in pages] == [3, 1]
    assert pages[1].posts[0].remote_id == "https://toukola-seura.fi/?p=1390"


def test_cursor_rule_resume_after_page_one_equals_uninterrupted_run(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        target = f"{server.url}{BLOG}"
        uninterrupted = posts_of(run(target, http))

        first = next(iter(FeedConnector().pages(spec(target), {}, http)))  # killed after page 1
        server.requests.clear()
        rest = run(target, http, first.cursor)

    assert first.more is True
    resumed = first.posts + posts_of(rest)
    assert {p.remote_id for p in resumed} == {p.remote_id for p in uninterrupted}
    assert len(resumed) == len(uninterrupted)
    # the resumed run goes straight to page 2, it does not start over at the head
    assert [r.query.get("start-index") for r in server.requests] == ["3"]
    assert rest[-1].more is False and "next" not in rest[-1].cursor


def test_incremental_run_stops_paging_at_known_entries(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        target = f"{server.url}{BLOG}"
        cursor = run(target, http)[-1].cursor

        server.requests.clear()
        again = run(target, http, cursor)  # nothing new, and no ETag to make it a 304
        assert posts_of(again) == []
        assert len(server.requests) == 1  # page 1 had known entries: page 2 was not fetched

        new_entry = """<entry><id>tag:blogger.com,1999:blog-4417320978665213509.post-9001</id>
<published>2025-06-02T08:00:00.000+03:00</published><updated>2025-06-02T08:00:00.000+03:00</updated>
<title type='text'>Vesipiste on auki</title><content type='html'>Vesi tulee taas hanasta.</content>
<link rel='alternate' type='text/html' href='https://kumpulankylapuutarha.blogspot.com/2025/06/vesipiste.html'/>
<author><name>Liisa Korhonen</name></author></entry>"""
        newer = fixture("atom_page1.xml", server).replace("<entry>", new_entry + "<entry>", 1)
        server.routes.clear()
        server.add(path=BLOG, absent=["start-index"], body=newer, headers={"Content-Type": ATOM})
        server.requests.clear()
        third = run(target, http, again[-1].cursor)

    assert [p.title for p in posts_of(third)] == ["Vesipiste on auki"]
    assert len(server.requests) == 1
    assert third[-1].more is False


def test_max_pages_bounds_a_run(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        pages = run(f"{server.url}{BLOG}", http, max_pages=1)

    assert len(pages) == 1
    assert pages[0].more is False
    assert "next" not in pages[0].cursor


def test_a_vanished_next_page_ends_the_run(http: Http) -> None:
    with replay([]) as server:
        serve_blog(server)
        target = f"{server.url}{BLOG}"
        first = next(iter(FeedConnector().pages(spec(target), {}, http)))
        server.routes.pop()  # page 2 is gone (404)
        rest = run(target, http, first.cursor)

    assert len(rest) == 1
    assert rest[0].posts == [] and rest[0].more is False
    assert "next" not in rest[0].cursor
    assert len(rest[0].cursor["seen"]) == 2  # page 1's entries count as seen


# -- conditional GET -----------------------------------------------------------------------------


def test_conditional_get_304_yields_an_empty_page_with_the_same_cursor(http: Http) -> None:
    headers = {"Content-Type": RSS, "ETag": ETAG, "Last-Modified": LAST_MODIFIED}
    routes = [
        {"path": "/feed/", "file": "wordpress_rss2.xml", "headers": headers},
        {"path": "/feed/", "when": {"If-None-Match": ETAG}, "status": 304, "body": b"",
         "headers": {"ETag": ETAG}},
    ]  # fmt: skip
    with replay(routes, FIXTURES) as server:
        target = f"{server.url}/feed/"
        first = run(target, http)
        assert "if-none-match" not in server.requests[0].headers
        second = run(target, http, first[-1].cursor)

    sent = server.requests[-1].headers
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == LAST_MODIFIED
    assert len(second) == 1
    assert second[0].posts == []
    assert second[0].more is False
    assert second[0].cursor == first[-1].cursor


def test_a_feed_without_etag_yields_only_new_entries(http: Http) -> None:
    original = fixture("wordpress_rss2.xml")
    with replay([{"path": "/feed/", "body": original, "headers": {"Content-Type": RSS}}]) as server:
        target = f"{server.url}/feed/"
        cursor = run(target, http)[-1].cursor
        assert cursor["etag"] is None
        assert posts_of(run(target, http, cursor)) == []

        item = """<item><title>Kesäkahvila avautuu Toukolan rantapuistossa</title>
<link>https://toukola-seura.fi/2025/06/05/kesakahvila/</link>
<dc:creator><![CDATA[Juha Nieminen]]></dc:creator><pubDate>Thu, 05 Jun 2025 08:00:00 +0000</pubDate>
<guid isPermaLink="false">https://toukola-seura.fi/?p=1490</guid>
<description><![CDATA[<p>Kahvila on auki joka päivä klo 10–18.</p>]]></description></item>
<item>"""
        server.routes[0]["body"] = original.replace("<item>", item, 1)
        newer = run(target, http, cursor)

    assert [p.remote_id for p in posts_of(newer)] == ["https://toukola-seura.fi/?p=1490"]
    assert newer[-1].cursor["newest"] == "2025-06-05T08:00:00+00:00"


# -- errors --------------------------------------------------------------------------------------


def test_a_web_page_is_malformed(http: Http) -> None:
    routes = [{"path": "/", "file": "not_a_feed.html",
               "headers": {"Content-Type": "text/html; charset=UTF-8"}}]  # fmt: skip
    with replay(routes, FIXTURES) as server, pytest.raises(ConnectorError) as caught:
        run(f"{server.url}/", http)
    assert caught.value.code == "malformed"


def test_broken_xml_without_entries_is_malformed(http: Http) -> None:
    broken = fixture("wordpress_rss2.xml").split("<item>")[0][:-40]
    with (
        replay([{"path": "/feed/", "body": broken, "headers": {"Content-Type": RSS}}]) as server,
        pytest.raises(ConnectorError) as caught,
    ):
        run(f"{server.url}/feed/", http)
    assert caught.value.code == "malformed"


def test_json_is_malformed(http: Http) -> None:
    body = {"version": "https://jsonfeed.org/version/1.1", "items": []}
    with (
        replay([{"path": "/feed.json", "body": body}]) as server,
        pytest.raises(ConnectorError) as caught,
    ):
        run(f"{server.url}/feed.json", http)
    assert caught.value.code == "malformed"


def test_an_item_with_nothing_in_it_makes_the_page_malformed(http: Http) -> None:
    body = """<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<link>https://toukola-seura.fi</link><description>d</description>
<item><title>Hyvä</title><link>https://toukola-seura.fi/a/</link></item>
<item><pubDate>Tue, 03 Jun 2025 09:15:27 +0000</pubDate></item></channel></rss>"""
    with (
        replay([{"path": "/feed/", "body": body, "headers": {"Content-Type": RSS}}]) as server,
        pytest.raises(ConnectorError) as caught,
    ):
        run(f"{server.url}/feed/", http)
    assert caught.value.code == "malformed"


def test_an_empty_but_valid_feed_is_not_an_error(http: Http) -> None:
    body = """<?xml version="1.0"?><rss version="2.0"><channel><title>Uusi yhdistys</title>
<link>https://uusi.example/</link><description>Ei vielä uutisia</description></channel></rss>"""
    with replay([{"path": "/feed/", "body": body, "headers": {"Content-Type": RSS}}]) as server:
        pages = run(f"{server.url}/feed/", http)
    assert len(pages) == 1 and pages[0].posts == [] and pages[0].more is False


def test_429_with_retry_after_is_rate_limited(http: Http) -> None:
    routes = [{"path": "/feed/", "status": 429, "body": "Too Many Requests",
               "headers": {"Content-Type": "text/plain", "Retry-After": "120"}}]  # fmt: skip
    with replay(routes) as server, pytest.raises(ConnectorError) as caught:
        run(f"{server.url}/feed/", http)
    assert caught.value.code == "rate_limited"
    assert caught.value.retry_after == 120.0


@pytest.mark.parametrize(
    "bad",
    [
        SourceSpec(platform="rss", kind="account", target="https://toukola-seura.fi/feed/"),
        SourceSpec(platform="rss", kind="feed", target="ftp://toukola-seura.fi/feed.xml"),
        SourceSpec(platform="rss", kind="feed", target="toukola-seura.fi/feed/"),
        SourceSpec(platform="rss", kind="feed", target="file:///etc/passwd"),
        SourceSpec(platform="rss", kind="feed", target=""),
        SourceSpec(
            platform="rss", kind="feed", target="https://t.fi/feed/", options={"max_pages": 0}
        ),
        SourceSpec(
            platform="rss", kind="feed", target="https://t.fi/feed/", options={"max_pages": "5"}
        ),
    ],
)
def test_check_rejects_bad_specs(bad: SourceSpec, http: Http) -> None:
    with pytest.raises(ConnectorError) as caught:
        FeedConnector().check(bad)
    assert caught.value.code == "invalid_source"
    with pytest.raises(ConnectorError) as caught:
        list(FeedConnector().pages(bad, {}, http))
    assert caught.value.code == "invalid_source"


def test_registry_loads_the_connector() -> None:
    connector = connector_for("rss")
    assert isinstance(connector, FeedConnector)
    assert connector.kinds == ("feed",)
    connector.check(spec("https://toukola-seura.fi/feed/"))
