-- story_timeline cut hours and days in the session's time zone (date_trunc and CAST of a TIMESTAMPTZ): its rows
-- changed with the analyst's `SET TimeZone` (an hour bucket at +05:45 is not a UTC hour). Both are cut in UTC now,
-- as its comments say, so every view gives the same rows whatever the session's zone.

CREATE OR REPLACE VIEW story_timeline AS
    WITH first AS (SELECT story_id, min(published_at) AS first_at FROM story_articles GROUP BY story_id)
    SELECT sa.story_id,
           timezone('UTC', date_trunc('hour', timezone('UTC', sa.published_at))) AS hour,
           CAST(timezone('UTC', sa.published_at) AS DATE) AS day,
           sa.language, sa.site AS outlet, count(*) AS pages,
           string_agg(DISTINCT sa.relation, ',' ORDER BY sa.relation) AS relations,
           min(sa.published_at) AS first_at,
           round(date_diff('minute', f.first_at, min(sa.published_at)) / 60.0, 1) AS hours_after_first_report,
           round(date_diff('minute', f.first_at,
                 min(min(sa.published_at)) OVER (PARTITION BY sa.story_id, sa.language)) / 60.0, 1)
               AS language_hours_after_first_report
    FROM story_articles sa JOIN first f USING (story_id)
    GROUP BY sa.story_id, hour, day, sa.language, sa.site, f.first_at
    ORDER BY sa.story_id, first_at;
COMMENT ON VIEW story_timeline IS 'Story x hour x language x outlet: pages, and hours from the first report to this outlet and to this language';
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
