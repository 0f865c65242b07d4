"""Publication dates: tricky pages (zones, day-first, other numerals and calendars, relative, updated-not-published),
poison values, the choice across signals, and views that do not depend on the session's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from lxml.html import fromstring

from tasks.dates.choice import choose, in_range
from tasks.dates.page import extract_dates, page_dates
from tasks.dates.values import parse_value
from tasks.extract import extract_page, parse_datetime

FETCHED = datetime(2024, 6, 21, 12, 0, tzinfo=UTC)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><title>t</title>{head}</head><body><article><h1>Pact</h1>{body}'
        "<p>Putin and Kim signed the treaty in Pyongyang. " * 3 + "</p></article></body></html>"
    )


def chosen(html: str, url: str | None = None, **kw):
    tree = fromstring(html)
    return choose(page_dates(tree, html, url, reference=kw.pop("reference", FETCHED)), **kw)


# -- the page's own time -----------------------------------------------------------------------------------------
def test_local_day_kept_when_utc_day_differs():
    c = chosen(page('<meta property="article:published_time" content="2020-10-14T05:50:00+08:00">'))
    assert c.day == date(2020, 10, 14)  # the publisher's day, not the UTC day (10-13)
    assert c.published_at == datetime(2020, 10, 13, 21, 50, tzinfo=UTC)
    assert c.signal.local == datetime(2020, 10, 14, 5, 50)
    assert c.signal.offset_min == 480
    assert c.rule == "meta:article:published_time"


def test_compact_offset_without_colon():
    c = chosen(page('<meta property="article:published_time" content="2020-06-03T03:01+0400">'))
    assert (c.day, c.signal.offset_min) == (date(2020, 6, 3), 240)


def test_negative_offset_late_evening():
    c = chosen(
        page(
            '<script type="application/ld+json">{"@type":"NewsArticle",'
            '"datePublished":"2024-06-19T23:30:00-05:00"}</script>'
        )
    )
    assert c.day == date(2024, 6, 19)
    assert c.published_at == datetime(2024, 6, 20, 4, 30, tzinfo=UTC)


def test_utc_time_takes_the_url_day_when_adjacent():
    html = page('<meta property="article:published_time" content="2023-11-09T01:49:09Z">')
    c = chosen(html, "https://www.example.com/2023/11/08/a-story/")
    assert c.day == date(2023, 11, 8)
    assert c.rule.endswith("+url-day")
    assert c.published_at == datetime(2023, 11, 9, 1, 49, 9, tzinfo=UTC)  # the instant is untouched


def test_structured_data_before_visible_text_and_url():
    html = page(
        '<script type="application/ld+json">{"@graph":[{"@type":"WebSite"},{"@type":"NewsArticle",'
        '"datePublished":"2024-06-19T10:00:00+09:00","dateModified":"2024-06-20T08:00:00+09:00"}]}</script>',
        '<p class="date">1 January 2023</p>',
    )
    c = chosen(html, "https://news.example/2024/06/18/x")
    assert c.rule == "jsonld:datePublished" and c.day == date(2024, 6, 19)
    assert c.modified.day == date(2024, 6, 20)


# -- updated, not published -------------------------------------------------------------------------------------
def test_updated_never_becomes_published():
    html = page(
        '<meta property="article:modified_time" content="2024-07-02T10:00:00+03:00">',
        '<div class="article-meta"><span class="updated">Updated 2 July 2024</span>'
        '<span class="date">19 June 2024</span></div>',
    )
    c = chosen(html)
    assert c.day == date(2024, 6, 19)
    assert c.modified is not None and c.modified.day == date(2024, 7, 2)
    assert all(s.day != date(2024, 7, 2) for s in c.signals if s.role == "published")


def test_time_element_marked_modified_is_kept_apart():
    html = page(
        body='<p>Updated: <time datetime="2024-06-25T09:00:00+02:00">25.06.</time></p>'
        '<p><time itemprop="datePublished" datetime="2024-06-19T09:00:00+02:00">19.06.</time></p>'
    )
    c = chosen(html)
    assert c.day == date(2024, 6, 19) and c.modified.day == date(2024, 6, 25)


# -- day-first / month-first --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("de", "05.06.2024", date(2024, 6, 5)),  # day first outside the US
        ("en-US", "06/05/2024", date(2024, 6, 5)),  # month first in US English
        ("fr", "05/06/2024", date(2024, 6, 5)),
        ("en-US", "19/06/2024", date(2024, 6, 19)),  # unambiguous whatever the locale
        ("de", "19. Juni 2024", date(2024, 6, 19)),
        ("en", "June 19, 2024 10:00 AM", date(2024, 6, 19)),
        ("ru", "19 июня 2024, 14:05", date(2024, 6, 19)),
    ],
)
def test_day_and_month_order(lang, text, expected):
    c = chosen(page(body=f'<div class="post-date">{text}</div>', lang=lang))
    assert c.day == expected


# -- other numerals and calendars, relative dates -------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, expected, kind",
    [
        ("fa", "۳۰ خرداد ۱۴۰۳", date(2024, 6, 19), "byline:persian"),  # Persian digits, Solar Hijri
        ("fa", "۱۴۰۳/۰۳/۳۰ - ۱۰:۱۵", date(2024, 6, 19), "byline:persian"),
        ("th", "19 มิ.ย. 2567", date(2024, 6, 19), "byline:thai"),  # Buddhist era
        ("th", "๑๙ มิถุนายน ๒๕๖๗", date(2024, 6, 19), "byline:thai"),  # Thai digits
        ("ja", "令和6年6月19日 15時", date(2024, 6, 19), "byline:japanese-era"),
        ("zh", "2024年6月19日 08:30", date(2024, 6, 19), "byline:cjk"),
        ("ar", "٢٠٢٤-٠٦-١٩", date(2024, 6, 19), "byline"),  # Arabic-Indic digits, ISO order
        ("ko", "2024. 6. 19. 오후 3:10", date(2024, 6, 19), "byline:cjk"),
    ],
)
def test_calendars_and_numerals(lang, text, expected, kind):
    c = chosen(page(body=f'<span class="date">{text}</span>', lang=lang))
    assert c.day == expected
    assert c.rule.startswith("byline")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 hours ago", date(2024, 6, 21)),
        ("2 days ago", date(2024, 6, 19)),
        ("вчера, 18:40", date(2024, 6, 20)),
        ("2日前", date(2024, 6, 19)),
        ("Yesterday", date(2024, 6, 20)),
    ],
)
def test_relative_dates_read_against_the_fetch(text, expected):
    c = chosen(page(body=f'<span class="time">{text}</span>'))
    assert c.day == expected
    assert c.rule == "byline:relative"


# -- poison values: dropped with a reason, never raised ------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2024-13-45",
        "2024-06-19T25:61:00",
        "not a date",
        "2024-06-19T10:00:00+23:00",
    ],
)
def test_poison_page_dates_are_dropped_with_a_reason(value):
    html = page(
        f'<meta property="article:published_time" content="{value}">'
        f'<script type="application/ld+json">{{"datePublished": "{value}"}}</script>'
    )
    c = chosen(html, "https://x.example/story")
    assert c.signal is None or c.signal.kind != "meta:article:published_time"
    assert any(kind == "meta:article:published_time" and reason for kind, _, reason in c.dropped)
    extracted = extract_page(html, "https://x.example/story")  # the whole extraction survives too
    assert extracted.text


def test_parse_datetime_out_of_range_is_none():
    assert parse_datetime("0001-01-01T00:00:00+14:00") is None
    assert parse_datetime("9999-12-31T23:59:59-14:00") is None


def test_broken_json_ld_is_recorded():
    c = chosen(
        page(
            '<script type="application/ld+json">{"datePublished": </script>'
            '<meta name="date" content="2024-06-19">'
        )
    )
    assert c.day == date(2024, 6, 19)
    assert any(kind == "jsonld" for kind, _, _ in c.dropped)


# -- across sources: hints, captures, disagreements -----------------------------------------------------------------
def test_feed_date_when_page_has_none_and_before_url():
    html = "<html><body><p>No date anywhere on this page, only text.</p></body></html>"
    hint = datetime(2024, 6, 19, 7, 0, tzinfo=timezone(timedelta(hours=3)))
    c = chosen(html, "https://x.example/2024/06/18/s", hint=hint, hint_kind="source:feed-ru")
    assert c.rule == "source:feed-ru" and c.day == date(2024, 6, 19)
    assert date(2024, 6, 18) in c.days()


def test_never_later_than_the_first_capture():
    html = page('<meta property="article:published_time" content="2024-07-30T10:00:00+00:00">')
    archived = datetime(2024, 6, 20, 8, 0, tzinfo=UTC)
    c = chosen(html, archived_at=archived, fetched_at=FETCHED)
    assert c.published_at == archived and c.rule == "capped:meta:article:published_time"
    assert c.confidence <= 0.3
    assert c.disagrees  # the page said 07-30, the archive saw it on 06-20


def test_disagreement_flag_and_confidence():
    agree = chosen(
        page('<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">'),
        "https://x.example/2024/06/19/s",
        hint=datetime(2024, 6, 19, 9, tzinfo=UTC),
    )
    apart = chosen(
        page('<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">'),
        "https://x.example/2024/06/12/s",
        hint=datetime(2024, 6, 25, 9, tzinfo=UTC),
    )
    assert not agree.disagrees and apart.disagrees and apart.disagreement_days == 13
    assert agree.confidence > apart.confidence
    assert apart.day == date(2024, 6, 19)  # placed by the chosen date


def test_backfill_finds_an_article_by_any_day_its_signals_name():
    c = chosen(
        page('<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">'),
        "https://x.example/2024/06/12/s",
    )

    def window(d):
        return (
            datetime.combine(d, datetime.min.time(), UTC),
            datetime.combine(d + timedelta(days=1), datetime.min.time(), UTC),
        )

    assert in_range(c, c.published_at, window(date(2024, 6, 19)))
    assert in_range(c, c.published_at, window(date(2024, 6, 12)))
    assert not in_range(c, c.published_at, window(date(2024, 6, 15)))


def test_parse_value_keeps_wall_clock_and_offset():
    s = parse_value("2024-06-19T23:15:00-03:00")
    assert (s.day, s.local, s.offset_min) == (date(2024, 6, 19), datetime(2024, 6, 19, 23, 15), -180)
    assert s.at == datetime(2024, 6, 20, 2, 15, tzinfo=UTC)


def test_htmldate_fallback_and_url_last():
    html = "<html><body><p>2024-06-19, by the desk.</p><p>text</p></body></html>"
    d = extract_dates(html, "https://x.example/2024/06/17/s")
    kinds = [s.kind for s in d.signals if s.role == "published"]
    assert kinds[0] == "htmldate" and kinds[-1] == "url"


def test_labelled_date_beats_generic_meta_and_htmldate():
    # `<meta name="date">` is often the page's cache or edit time; a date the text labels as published wins over it
    html = page(
        '<meta name="date" content="2022-02-04">',
        '<div class="info"><h5>Datum:</h5>03.02.2022</div><p>Letzte Änderung: 05.02.2022 - 14:49</p>',
        lang="de",
    )
    c = chosen(html)
    assert (c.day, c.rule) == (date(2022, 2, 3), "byline:labelled")
    assert c.modified is not None and c.modified.day == date(2022, 2, 5)
    # the first label of each kind counts; a later "Published" in the comments does not
    html = page(
        body="<p>Erschienen am: 01.11.2023</p><p>Lesungen: 61</p><div>Kommentar, veröffentlicht am 04.11.2023</div>",
        lang="de",
    )
    assert chosen(html).day == date(2023, 11, 1)
    # a generic label ("Datum", "Date") needs a colon or the date right after it
    html = page(body="<ul><li><strong>Datum</strong> 28.04.2023</li></ul>", lang="de")
    assert (chosen(html).day, chosen(html).rule) == (date(2023, 4, 28), "byline:labelled")
    assert chosen(page(body="<p>Up to date with 12.05.2023 figures</p>")).rule != "byline:labelled"


def test_labelled_date_does_not_beat_structured_data():
    html = page(
        '<meta property="article:published_time" content="2024-06-19T10:00:00+09:00">',
        "<p>Published: 21 June 2024</p>",
    )
    assert chosen(html).rule == "meta:article:published_time"


def test_utc_time_takes_the_publishers_offset_the_page_shows():
    # the meta gives the instant in UTC (the next day there); the page's <time> gives the same instant in the
    # publisher's own offset: the local day is the publisher's
    html = page(
        '<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">',
        '<time class="published" datetime="2023-11-08T21:11:03-05:00">Nov 8</time>',
    )
    c = chosen(html)
    assert (c.day, c.rule) == (date(2023, 11, 8), "meta:article:published_time+page-offset")
    assert c.published_at == datetime(2023, 11, 9, 2, 11, 3, tzinfo=UTC)
    # a zoneless wall-clock copy of the same time, shifted by a whole offset, shows it too
    html = page(
        '<meta property="article:published_time" content="2023-11-09T06:35:29+00:00">'
        '<meta name="sailthru.date" content="2023-11-08 22:35:29">'
    )
    assert chosen(html).day == date(2023, 11, 8)
    # a time elsewhere on the page in another offset but at another instant says nothing
    html = page(
        '<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">',
        '<time datetime="2023-11-08T20:00:00-05:00">Nov 8</time>',
    )
    assert chosen(html).day == date(2023, 11, 9)


def test_time_text_microdata_and_one_digit_seconds():
    # <time> without a datetime: its text, read day-first on a German page; a bare clock time is no date
    c = chosen(page(body='<span class="date"><time>29.04.2020, 12:01 Uhr</time></span>', lang="de"))
    assert (c.day, c.rule) == (date(2020, 4, 29), "time")
    c = chosen(page(body="<time>12:30</time>"))
    assert c.rule != "time"
    # microdata on an element other than <meta>
    c = chosen(
        page(body='<p itemprop="datePublished" content="2022-01-14 10:31:00">Januar 2022</p>', lang="de")
    )
    assert (c.day, c.rule) == (date(2022, 1, 14), "meta:datepublished")
    # "23:15:0Z" is UTC, not a zoneless time
    assert parse_value("2020-12-05T23:15:0Z").offset_min == 0


def test_url_day_not_taken_beyond_the_zones_publishers_use():
    # 10:04 UTC is the URL's previous day only at UTC-11 or UTC-12, where no news is published
    html = page(
        '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-07-09T10:04:04Z"}</script>'
    )
    assert chosen(html, "https://news.example/politics/2020/07/08/story.html").day == date(2020, 7, 9)
    html = page(
        '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-07-09T03:04:04Z"}</script>'
    )
    assert chosen(html, "https://news.example/politics/2020/07/08/story.html").day == date(2020, 7, 8)


def test_generic_date_meta_yields_to_the_articles_time_and_byline():
    # <meta name="date"> is often the page's build time: the article's own <time> or dated byline goes first
    html = page(
        '<meta name="date" content="2020-04-30">',
        '<li class="Date"><time>29.04.2020, 12:01 Uhr</time></li>',
        "de",
    )
    assert chosen(html).day == date(2020, 4, 29)
    html = page(
        '<meta name="date" content="2021-12-20T11:02:44+01:00">', '<span class="date">27.01.2022</span>', "de"
    )
    assert (chosen(html).day, chosen(html).rule) == (date(2022, 1, 27), "byline")
    # alone, it is still the date
    assert chosen(page('<meta name="date" content="2020-04-30">', lang="de")).day == date(2020, 4, 30)


def test_todays_date_in_the_site_header_is_no_byline():
    html = (
        '<html lang="de"><head><meta name="date" content="2017-05-01T17:05:00+0200"></head><body>'
        '<header><a class="logo">Radio</a><span class="dlf-date">Mittwoch, 26.02.2020</span></header>'
        "<article><h1>Pact</h1><p>Putin and Kim signed the treaty in Pyongyang.</p></article></body></html>"
    )
    assert chosen(html).day == date(2017, 5, 1)
    # a <header> inside the article is the article's own
    html = html.replace("<header>", "<article><header>").replace("</header>", "</header></article>")
    assert chosen(html).day == date(2020, 2, 26)


def test_dated_byline_before_htmldates_search():
    # htmldate's search by position would take the date of another article listed on the page
    html = page(
        body='<p class="byline">Par Loïc Le Clerc | 30 septembre 2018</p>'
        "<ul><li>Autres articles</li><li><a>11 septembre 2018: Macron</a></li></ul>",
        lang="fr",
    )
    assert (chosen(html).day, chosen(html).rule) == (date(2018, 9, 30), "byline")


def test_a_year_alone_is_not_a_publication_day():
    # htmldate reads "© 2016" as 1 January 2016: no day is better than a wrong one (the feed's date or the
    # fetch then places the article); a page that writes 1 January keeps it
    footer = "<footer>Copyright © 2016 Example News. All rights reserved.</footer>"
    html = page().replace("</body>", footer + "</body>")
    d = extract_dates(html)
    assert not [s for s in d.signals if s.role == "published"]
    assert ("htmldate", "2016-01-01", "a year alone, not a day") in d.dropped
    html = page(body="<p>01/01/2016</p>").replace("</body>", footer + "</body>")
    assert choose(extract_dates(html)).day == date(2016, 1, 1)
