from tasks.dedupe import DedupeIndex, KnownArticle, normalise_text, text_hash


def test_normalisation_ignores_case_width_punctuation_and_spacing():
    assert text_hash("Putin and Kim signed a pact.\n") == text_hash("putin  AND kim signed a pact")
    assert text_hash("ＰＵＴＩＮ，Ｋｉｍ") == text_hash("putin, kim")
    assert text_hash("Putin signed") != text_hash("Kim signed")
    assert normalise_text("Россия — КНДР!") == "россия кндр"


def test_index_decides_duplicates_by_url_and_text():
    index = DedupeIndex([KnownArticle("a1", "https://a.example/x.html", "h1")])
    # the article itself seen again: not a duplicate
    assert index.check("https://a.example/x.html", "h1", "https://a.example/x.html", is_amp=False) is None
    # its AMP variant, and another URL declaring it canonical
    assert (
        index.check("https://a.example/x.html", "h2", "https://a.example/amp/x.html", is_amp=True).kind
        == "amp"
    )
    assert (
        index.check("https://a.example/x.html", "h2", "https://a.example/x?p=1", is_amp=False).kind
        == "canonical"
    )
    # the same text elsewhere: a syndicated copy
    dup = index.check("https://b.example/y.html", "h1", "https://b.example/y.html", is_amp=False)
    assert (dup.article_id, dup.kind) == ("a1", "exact")
    # new, then known within the same batch
    assert index.check("https://c.example/z.html", "h3", "https://c.example/z.html", is_amp=False) is None
    index.add("c1", "https://c.example/z.html", "h3")
    assert (
        index.check("https://d.example/w.html", "h3", "https://d.example/w.html", is_amp=False).article_id
        == "c1"
    )


def test_shingles_ignore_house_style_that_changes_no_word():
    from tasks.dedupe import containment, shingles

    a = "Пхеньян передал 170mm самоходные орудия, четвёртой статье договора о партнёрстве двух стран"
    b = "Пхеньян передал 170 mm самоходные орудия, четвертой статье договора о партнерстве двух стран"
    assert containment(shingles(a), shingles(b)) == 1.0
    assert containment(shingles(a), shingles("Совсем другой текст о другом событии в другой день недели")) == 0.0
