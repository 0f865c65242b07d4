-- Comments on the view columns added by the dates and stories migrations (views recreated after 031).

COMMENT ON COLUMN articles_clean.published_day IS 'Publication day in the publisher''s own time when the page gives an offset, else the UTC day';
COMMENT ON COLUMN articles_clean.published_local IS 'Publication wall-clock time as the page gives it (no zone)';
COMMENT ON COLUMN articles_clean.utc_offset_min IS 'UTC offset of that wall-clock time, in minutes (NULL: none given)';
COMMENT ON COLUMN articles_clean.date_rule IS 'The rule that chose the publication date (page_dates.rule)';
COMMENT ON COLUMN articles_clean.date_confidence IS 'Confidence of the chosen publication date, 0..1';
COMMENT ON COLUMN articles_clean.date_flagged IS 'True when the page''s date signals disagree by more than a day';

COMMENT ON VIEW date_disagreements IS 'Articles whose date signals disagree by more than a day, with every signal';
COMMENT ON COLUMN date_disagreements.url IS 'The page';
COMMENT ON COLUMN date_disagreements.article_id IS 'Its article';
COMMENT ON COLUMN date_disagreements.published_day IS 'The chosen publication day (publisher''s local day)';
COMMENT ON COLUMN date_disagreements.rule IS 'The rule that chose it';
COMMENT ON COLUMN date_disagreements.confidence IS 'Confidence of the choice, 0..1';
COMMENT ON COLUMN date_disagreements.disagreement_days IS 'Days between the earliest and latest day the signals name';
COMMENT ON COLUMN date_disagreements.signals IS 'Every date signal of the page: kind, role and day';

COMMENT ON COLUMN story_timeline.story_id IS 'The story';
COMMENT ON COLUMN story_timeline.hour IS 'Hour (UTC) of publication';
COMMENT ON COLUMN story_timeline.day IS 'Day (UTC) of publication';
COMMENT ON COLUMN story_timeline.language IS 'Language of the pages';
COMMENT ON COLUMN story_timeline.outlet IS 'Outlet (site) of the pages';
COMMENT ON COLUMN story_timeline.pages IS 'Pages of the story in that hour, language and outlet';
COMMENT ON COLUMN story_timeline.relations IS 'Their relations to the story (original, copy, translation, report)';
COMMENT ON COLUMN story_timeline.first_at IS 'Earliest publication time among them';
COMMENT ON COLUMN story_timeline.hours_after_first_report IS 'Hours from the story''s first report to this outlet''s first page';
COMMENT ON COLUMN story_timeline.language_hours_after_first_report IS 'Hours from the story''s first report to the first page in this language';
