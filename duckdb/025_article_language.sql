-- Language identified from the article's text (tasks/langid.py), how sure, and what the page claimed;
-- and why the relevance score accepted the article (subject, not an aside).
ALTER TABLE articles ADD COLUMN language_confidence DOUBLE;
ALTER TABLE articles ADD COLUMN language_method VARCHAR;
ALTER TABLE articles ADD COLUMN language_claimed VARCHAR;
ALTER TABLE articles ADD COLUMN relevance_reason VARCHAR;

COMMENT ON COLUMN articles.language IS 'ISO 639-1 base code identified from the text; markup and feed hints only break ties';
COMMENT ON COLUMN articles.language_confidence IS 'detector probability of articles.language (1.0 when the script decides, 0 when only a hint did)';
COMMENT ON COLUMN articles.language_method IS 'how the language was decided: script | text | text+hint | hint | none';
COMMENT ON COLUMN articles.language_claimed IS 'language the page markup (<html lang>, og:locale) or, without markup, the feed claimed, as given';
COMMENT ON COLUMN articles.relevance_reason IS 'why the article counts as on the story: where the topic was found (title, lead, body share)';
