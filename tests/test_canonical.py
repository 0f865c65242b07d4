from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.canonical import (
    UrlConfigError,
    article_id,
    canonical_url,
    is_amp_url,
    load_rules,
    non_amp_url,
    resolve_canonical,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://example.com/a/b.html", "https://example.com/a/b.html"),
        ("HTTPS://Example.COM/a/b.html", "https://example.com/a/b.html"),
        (
            "https://example.com/a.html?utm_source=rss&utm_medium=feed&fbclid=abc",
            "https://example.com/a.html",
        ),
        ("https://example.com/a.html?id=3&utm_campaign=x#comments", "https://example.com/a.html?id=3"),
        (
            "http://127.0.0.11:4000/x/2024/06/19/a.html?utm_source=rss",
            "http://127.0.0.11:4000/x/2024/06/19/a.html",
        ),
        ("  https://example.com/a.html  ", "https://example.com/a.html"),
        ("ftp://example.com/a", None),
        ("mailto:desk@example.com", None),
        ("javascript:void(0)", None),
        ("", None),
        ("http:///nohost", None),
        ("http://h:99999/a", None),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


# Real-world shapes of article URLs whose query string is the article's identity.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Korean CMSs (ndsoft and alike)
        (
            "https://www.nocutnews.co.kr/news/articleView.html?idxno=6160001&utm_source=naver",
            "https://www.nocutnews.co.kr/news/articleView.html?idxno=6160001",
        ),
        # Naver news: oid (outlet) + aid (article); sorted, the mode/section parameters kept
        (
            "https://news.naver.com/main/read.naver?mode=LSD&mid=sec&sid1=100&oid=001&aid=0014735216",
            "https://news.naver.com/main/read.naver?aid=0014735216&mid=sec&mode=LSD&oid=001&sid1=100",
        ),
        ("https://site.kr/board/view.php?no=1234&fbclid=Iw", "https://site.kr/board/view.php?no=1234"),
        ("https://site.ru/read.php?id=55", "https://site.ru/read.php?id=55"),
        ("https://blog.example.org/?p=1024", "https://blog.example.org/?p=1024"),
        (
            "http://www.xinhuanet.com/detail.htm?articleId=77",
            "http://www.xinhuanet.com/detail.htm?articleId=77",
        ),
        ("https://tass.example/news.asp?newsid=9&gclid=x", "https://tass.example/news.asp?newsid=9"),
        ("https://x.jp/view?idx=3&mc_cid=a&mc_eid=b", "https://x.jp/view?idx=3"),
        ("https://www.abc.net.au/news/index.php?story=12", "https://www.abc.net.au/news/index.php?story=12"),
        # Uppercase tracking names are tracking too; parameter value case is kept
        ("https://a.com/x?UTM_Source=t&Id=AbC", "https://a.com/x?Id=AbC"),
        # Paths keep their characters: escapes stay escapes, spaces become escapes, nothing is joined
        ("https://a.com/sp%20ace.html", "https://a.com/sp%20ace.html"),
        ("https://a.com/sp ace.html", "https://a.com/sp%20ace.html"),
        ("https://a.com/A/B%2Fc;v=1", "https://a.com/A/B%2Fc;v=1"),
        (
            "https://ru.example/новости/2024",
            "https://ru.example/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/2024",
        ),
        ("https://a.com/a/./b/../c", "https://a.com/a/./b/../c"),
        # Userinfo dropped, default ports dropped, other ports kept
        ("https://user:pass@a.com/x", "https://a.com/x"),
        ("http://a.com:80/x", "http://a.com/x"),
        ("https://a.com:443/x", "https://a.com/x"),
        ("https://a.com:8443/x", "https://a.com:8443/x"),
        # Site roots: one spelling, stable
        ("http://h", "http://h/"),
        ("http://h/", "http://h/"),
        ("http://h/?amp=1", "http://h/?amp=1"),
        ("http://h/?utm_source=x", "http://h/"),
        # Internationalised host to punycode
        ("https://Bücher.example/a", "https://xn--bcher-kva.example/a"),
        # IPv6 literal
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
        # Empty query pieces dropped, valueless parameters kept
        ("https://a.com/x?&id=1&&print", "https://a.com/x?id=1&print"),
    ],
)
def test_identifying_parameters_and_paths_are_kept(raw, expected):
    assert canonical_url(raw) == expected
    assert canonical_url(expected) == expected


def test_distinct_articles_keep_distinct_urls():
    urls = [f"http://www.xinhuanet.com/detail.htm?articleId={n}&utm_source=rss" for n in (77, 78)]
    assert len({canonical_url(u) for u in urls}) == 2


@pytest.mark.parametrize(
    ("url", "amp", "plain"),
    [
        ("http://h:1/amp/world/2024/06/19/a.html", True, "http://h:1/world/2024/06/19/a.html"),
        ("https://amp.example.com/a/b", True, "https://example.com/a/b"),
        ("https://example.com/a/b.amp.html", True, "https://example.com/a/b.html"),
        ("https://example.com/a?amp=1&id=2", True, "https://example.com/a?id=2"),
        ("https://example.com/sample/amplifier.html", False, "https://example.com/sample/amplifier.html"),
        ("https://example.com/a?camp=1", False, "https://example.com/a?camp=1"),
    ],
)
def test_amp_variants(url, amp, plain):
    assert is_amp_url(url) is amp
    assert non_amp_url(url) == plain


def test_resolve_canonical_prefers_declared_but_not_site_root():
    assert (
        resolve_canonical("https://a.com/amp/x.html", "https://a.com/x.html?utm_source=t")
        == "https://a.com/x.html"
    )
    assert resolve_canonical("https://a.com/x.html", "https://a.com/") == "https://a.com/x.html"
    assert resolve_canonical("https://a.com/x.html", None) == "https://a.com/x.html"
    assert resolve_canonical("https://a.com/x.html", "javascript:alert(1)") == "https://a.com/x.html"


def test_resolve_canonical_distrusts_a_declared_url_that_drops_the_article_id():
    fetched = "https://n.kr/news/articleView.html?idxno=6160001"
    assert resolve_canonical(fetched, "https://n.kr/news/articleView.html") == fetched
    assert resolve_canonical(fetched, "https://n.kr/news/articleView.html?idxno=1") == fetched
    # the same id (tracking removed, order changed) is trusted
    naver = "https://n.naver.com/read?oid=001&aid=5&utm_source=x"
    assert (
        resolve_canonical(naver, "https://n.naver.com/read?aid=5&oid=001")
        == "https://n.naver.com/read?aid=5&oid=001"
    )
    # an AMP variant's amp=1 is not identifying
    assert resolve_canonical("https://a.com/v?id=2&amp=1", "https://a.com/v?id=2") == "https://a.com/v?id=2"
    # a pretty URL on another path or host is the site's choice
    assert resolve_canonical(fetched, "https://n.kr/2024/06/19/pact") == "https://n.kr/2024/06/19/pact"
    assert resolve_canonical(fetched, "https://wire.example/a/1") == "https://wire.example/a/1"


def test_article_id_is_stable_and_short():
    assert article_id("https://a.com/x.html") == article_id("https://a.com/x.html")
    assert article_id("https://a.com/x.html") != article_id("https://a.com/y.html")
    assert len(article_id("https://a.com/x.html")) == 16


def test_tracking_config_errors_name_file_and_field(tmp_path: Path):
    bad = tmp_path / "urls.toml"
    bad.write_text('[tracking]\nparams = ["utm_*", "bad name"]\n')
    with pytest.raises(UrlConfigError, match=r"urls.toml: tracking.params.1"):
        load_rules(bad)
    bad.write_text("[tracking]\nparams = []\n")
    with pytest.raises(UrlConfigError, match=r"urls.toml: tracking.params"):
        load_rules(bad)
    bad.write_text('[tracking]\nparams = ["a"]\nextra = 1\n')
    with pytest.raises(UrlConfigError, match=r"tracking.extra"):
        load_rules(bad)


# --- property: canonical(canonical(u)) == canonical(u) ---------------------------------------------------

_hosts = st.sampled_from(
    ["example.com", "EXAMPLE.com", "news.naver.com", "127.0.0.1", "[::1]", "bücher.de", "h", "a.b.c.d.e"]
)
_ports = st.sampled_from(["", ":80", ":443", ":8080", ":0"])
_userinfo = st.sampled_from(["", "user@", "user:pass@", "%40:x@"])
_segment = st.lists(
    st.sampled_from(
        list("abcXYZ019-._~!$&'()*+,;=:@% /?#[]\\\"<>^`{|}") + ["é", "н", "한", "%20", "%2F", "%zz"]
    ),
    max_size=8,
).map("".join)
_param = st.sampled_from(
    [
        "id",
        "idxno",
        "no",
        "p",
        "articleId",
        "oid",
        "aid",
        "utm_source",
        "UTM_Medium",
        "fbclid",
        "amp",
        "a b",
        "é",
        "",
    ]
)
_value = st.lists(st.sampled_from(list("09az=&?%+/ #") + ["é", "%20"]), max_size=6).map("".join)


@st.composite
def _urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    path = "/".join(draw(st.lists(_segment, max_size=4)))
    pairs = draw(st.lists(st.tuples(_param, _value), max_size=4))
    query = "&".join(f"{n}={v}" if v else n for n, v in pairs)
    url = f"{scheme}://{draw(_userinfo)}{draw(_hosts)}{draw(_ports)}"
    if path or draw(st.booleans()):
        url += "/" + path
    if query:
        url += "?" + query
    if draw(st.booleans()):
        url += "#" + draw(_segment)
    return url


@settings(max_examples=400, deadline=None)
@given(_urls())
def test_canonical_is_idempotent_on_generated_urls(url):
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once
        assert resolve_canonical(once, None) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40).map(lambda s: "http://" + s))
def test_canonical_is_idempotent_on_arbitrary_text(url):
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once
