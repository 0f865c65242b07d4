import pytest

from tasks.canonical import article_id, canonical_url, is_amp_url, non_amp_url, resolve_canonical


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
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


@pytest.mark.parametrize(
    ("url", "amp", "plain"),
    [
        ("http://h:1/amp/world/2024/06/19/a.html", True, "http://h:1/world/2024/06/19/a.html"),
        ("https://amp.example.com/a/b", True, "https://example.com/a/b"),
        ("https://example.com/a/b.amp.html", True, "https://example.com/a/b.html"),
        ("https://example.com/a?amp=1&id=2", True, "https://example.com/a?id=2"),
        ("https://example.com/sample/amplifier.html", False, "https://example.com/sample/amplifier.html"),
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


def test_article_id_is_stable_and_short():
    assert article_id("https://a.com/x.html") == article_id("https://a.com/x.html")
    assert article_id("https://a.com/x.html") != article_id("https://a.com/y.html")
    assert len(article_id("https://a.com/x.html")) == 16
