"""Publication dates: every signal a page and its sources give, and the one chosen, in the publisher's own time.

Order of trust for the page itself: structured data (JSON-LD `datePublished`, Open Graph / `article:*` and other
date meta, microdata, `<time datetime>` marked as the publication time), then a date the text labels as published
("Veröffentlicht am", "Published:", "Datum:"), other `<time>` elements, a dated byline of the article (any calendar
or script, relative dates such as "3 hours ago"), a generic `<meta name="date">`, then htmldate's extensive search,
then a date in the URL path. Modified dates (`dateModified`, `article:modified_time`, "Updated ...") are kept as
signals of their own and never become the publication date.

Values keep the wall-clock time and UTC offset the page gives; the day a page counts for is the publisher's local
day (the date as written, in the page's own offset). A value that cannot be read or is out of range is dropped with
a recorded reason, never raised. Sources outside the page (feed / sitemap dates, GDELT's seen time, the first
archive capture, newsmon's own first fetch) are signals too; no publication date is later than the first capture.

The package, by idea:
  signal.py     what a signal is (`Signal`, `PageDates`) and the years a news date may fall in
  languages.py  how dates are written per language and calendar (months, eras, Thai, Persian, relative dates)
  values.py     reading one value into a Signal (`parse_value`), or recording why not (`add_value`)
  markup.py     signals of the page's structured data: JSON-LD, meta, microdata, `<time>`, the URL path
  text.py       signals of the page's text: labelled dates and the article's dated byline
  page.py       every signal of one page in order of trust (`page_dates`, `extract_dates`)
  choice.py     the date chosen from the page's and its sources' signals (`choose`), and `in_range`
"""
