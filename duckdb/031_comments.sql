-- Every table, view and column documented in the database itself (`newsmon schema` prints them; the README's
-- data dictionary is generated from them). New tables comment themselves in their own migration.


COMMENT ON TABLE schema_version IS 'Migrations applied to this database, one row each.';
COMMENT ON COLUMN schema_version.version IS 'Migration number (duckdb/NNN_name.sql).';
COMMENT ON COLUMN schema_version.applied_at IS 'When it was applied.';

COMMENT ON TABLE runs IS 'One row per flow run (nightly, backfill, reprocess, demo).';
COMMENT ON COLUMN runs.run_id IS 'Prefect flow run id.';
COMMENT ON COLUMN runs.flow IS 'Flow name: nightly, backfill, reprocess.';
COMMENT ON COLUMN runs.params IS 'Parameters the run was started with (JSON).';
COMMENT ON COLUMN runs.started_at IS 'Start time (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'End time (UTC); NULL while running.';
COMMENT ON COLUMN runs.status IS 'running, completed or failed.';
COMMENT ON COLUMN runs.counts IS 'Counts per stage (JSON object).';
COMMENT ON COLUMN runs.drops IS 'Dropped or failed items per reason (JSON object).';
COMMENT ON COLUMN runs.error IS 'Why the run failed, when it did.';

COMMENT ON TABLE sources IS 'One row per configured source, with its feed state.';
COMMENT ON COLUMN sources.name IS 'Source name (config/sources.toml).';
COMMENT ON COLUMN sources.kind IS 'rss, sitemap, gnews, gdelt, gkg or cdx.';
COMMENT ON COLUMN sources.url IS 'Feed, sitemap or service URL.';
COMMENT ON COLUMN sources.language IS 'Language code of the source''s articles.';
COMMENT ON COLUMN sources.delay IS 'Seconds between requests to its host.';
COMMENT ON COLUMN sources.etag IS 'ETag of the last feed or sitemap response (conditional GET).';
COMMENT ON COLUMN sources.last_modified IS 'Last-Modified of the last feed or sitemap response.';
COMMENT ON COLUMN sources.last_checked_at IS 'When it was last asked (UTC).';
COMMENT ON COLUMN sources.last_status IS 'HTTP status of that request.';
COMMENT ON COLUMN sources.last_error IS 'Error of that request, if any.';
COMMENT ON COLUMN sources.failures IS 'Consecutive failed checks.';
COMMENT ON COLUMN sources.items_seen IS 'Links it has listed, in total.';

COMMENT ON TABLE urls IS 'The frontier: one row per canonical URL ever discovered, with its status.';
COMMENT ON COLUMN urls.url IS 'Canonical (cleaned) URL.';
COMMENT ON COLUMN urls.first_seen IS 'When it was first discovered (UTC).';
COMMENT ON COLUMN urls.discovered_by IS 'Name of the source that found it first.';
COMMENT ON COLUMN urls.first_run_id IS 'Run that found it first.';
COMMENT ON COLUMN urls.title_hint IS 'Title the feed or search result gave.';
COMMENT ON COLUMN urls.published_hint IS 'Publication time the feed or search result gave.';
COMMENT ON COLUMN urls.language_hint IS 'Language the source gave.';
COMMENT ON COLUMN urls.status IS 'new, fetched, failed, loaded, duplicate, irrelevant, failed_permanent or no_text.';
COMMENT ON COLUMN urls.reason IS 'Why the status: error code, duplicate kind, relevance reason.';
COMMENT ON COLUMN urls.attempts IS 'Fetches tried across runs.';
COMMENT ON COLUMN urls.last_fetch_at IS 'Last fetch attempt (UTC).';
COMMENT ON COLUMN urls.relevance IS 'Relevance score of the fetched page.';
COMMENT ON COLUMN urls.article_id IS 'The article this URL loaded as, or duplicates.';
COMMENT ON COLUMN urls.updated_run_id IS 'Run that last changed the row.';
COMMENT ON COLUMN urls.fetch_url IS 'Where to fetch the page when not from its URL (a raw archive copy).';
COMMENT ON COLUMN urls.archived_at IS 'The archive''s capture time of that copy.';

COMMENT ON TABLE fetches IS 'One row per HTTP attempt; retries and redirect hops each have their own row.';
COMMENT ON COLUMN fetches.url IS 'Canonical URL asked for.';
COMMENT ON COLUMN fetches.run_id IS 'Run that fetched.';
COMMENT ON COLUMN fetches.attempt IS 'Attempt number within the fetch, from 1.';
COMMENT ON COLUMN fetches.request_url IS 'URL requested (a redirect hop has its own).';
COMMENT ON COLUMN fetches.status IS 'HTTP status; NULL when no response.';
COMMENT ON COLUMN fetches.bytes IS 'Body bytes received.';
COMMENT ON COLUMN fetches.elapsed_ms IS 'Time to the response, milliseconds.';
COMMENT ON COLUMN fetches.error IS 'Network or policy error.';
COMMENT ON COLUMN fetches.etag IS 'ETag of the response.';
COMMENT ON COLUMN fetches.last_modified IS 'Last-Modified of the response.';
COMMENT ON COLUMN fetches.fetched_at IS 'When (UTC).';

COMMENT ON TABLE raw_pages IS 'One row per fetched page: the decoded HTML, source of truth for re-extraction.';
COMMENT ON COLUMN raw_pages.url IS 'Canonical URL asked for.';
COMMENT ON COLUMN raw_pages.final_url IS 'URL after redirects.';
COMMENT ON COLUMN raw_pages.status IS 'HTTP status.';
COMMENT ON COLUMN raw_pages.content_type IS 'Content-Type header.';
COMMENT ON COLUMN raw_pages.encoding IS 'Character encoding used to decode the body.';
COMMENT ON COLUMN raw_pages.content_hash IS 'sha256 of the body bytes.';
COMMENT ON COLUMN raw_pages.fetched_at IS 'When (UTC).';
COMMENT ON COLUMN raw_pages.run_id IS 'Run that fetched it.';
COMMENT ON COLUMN raw_pages.html_zlib IS 'Decoded HTML, UTF-8, zlib-compressed.';

COMMENT ON TABLE articles IS 'One row per clean, relevant, deduplicated article.';
COMMENT ON COLUMN articles.article_id IS 'sha256(canonical_url)[:16].';
COMMENT ON COLUMN articles.url IS 'URL it was fetched from.';
COMMENT ON COLUMN articles.canonical_url IS 'Canonical URL.';
COMMENT ON COLUMN articles.title IS 'Title.';
COMMENT ON COLUMN articles.authors IS 'Authors, as the page names them.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN articles.language IS 'Language code.';
COMMENT ON COLUMN articles.site IS 'Site: host[:port] of the canonical URL.';
COMMENT ON COLUMN articles.source IS 'Source that discovered it.';
COMMENT ON COLUMN articles.text IS 'Clean text, boilerplate removed.';
COMMENT ON COLUMN articles.text_hash IS 'sha256 of the normalised text (exact-duplicate key).';
COMMENT ON COLUMN articles.relevance IS 'Relevance score (config/topics.toml).';
COMMENT ON COLUMN articles.matched_terms IS 'Topic terms found, per group (JSON).';
COMMENT ON COLUMN articles.story_id IS 'Story the article belongs to.';
COMMENT ON COLUMN articles.extraction_method IS 'trafilatura or soup.';
COMMENT ON COLUMN articles.extractor_version IS 'Versions of the extractor and rules that made the text.';
COMMENT ON COLUMN articles.first_run_id IS 'Run that loaded it first.';
COMMENT ON COLUMN articles.last_run_id IS 'Run that last rewrote it.';
COMMENT ON COLUMN articles.loaded_at IS 'When it was last written (UTC).';
COMMENT ON COLUMN articles.template_version IS 'Site-template version that cleaned it (0: none).';

COMMENT ON TABLE sightings IS 'One row per duplicate copy of an article (syndication, AMP, canonical variants).';
COMMENT ON COLUMN sightings.url IS 'URL of the copy.';
COMMENT ON COLUMN sightings.article_id IS 'Article it copies (the first one loaded).';
COMMENT ON COLUMN sightings.kind IS 'exact, amp, canonical, near or translation.';
COMMENT ON COLUMN sightings.similarity IS 'Similarity to the article (near duplicates).';
COMMENT ON COLUMN sightings.site IS 'Site of the copy.';
COMMENT ON COLUMN sightings.published_at IS 'Publication time of the copy (UTC).';
COMMENT ON COLUMN sightings.run_id IS 'Run that saw it.';
COMMENT ON COLUMN sightings.seen_at IS 'When (UTC).';

COMMENT ON TABLE boilerplate_removed IS 'One row per snippet removed from an article''s text.';
COMMENT ON COLUMN boilerplate_removed.article_id IS 'The article.';
COMMENT ON COLUMN boilerplate_removed.position IS 'Line index in the extracted text.';
COMMENT ON COLUMN boilerplate_removed.rule IS 'Rule id, or site-template:vN for a learned line.';
COMMENT ON COLUMN boilerplate_removed.snippet IS 'Text removed.';

COMMENT ON TABLE page_lines IS 'One row per decided page: its extracted lines, from which site templates are learned.';
COMMENT ON COLUMN page_lines.url IS 'Canonical URL the page was fetched under.';
COMMENT ON COLUMN page_lines.site IS 'host[:port] of the page''s canonical URL.';
COMMENT ON COLUMN page_lines.day IS 'UTC publication day.';
COMMENT ON COLUMN page_lines.relevant IS 'On topic (decided before templates were applied).';
COMMENT ON COLUMN page_lines.title IS 'Title.';
COMMENT ON COLUMN page_lines.lines IS 'Extracted text lines after the rules, before templates.';

COMMENT ON TABLE template_versions IS 'One row per learned version of the site templates.';
COMMENT ON COLUMN template_versions.version IS '1, 2, ...; version 0 means no templates.';
COMMENT ON COLUMN template_versions.created_at IS 'When it was learned (UTC).';
COMMENT ON COLUMN template_versions.run_id IS 'Run that learned it.';
COMMENT ON COLUMN template_versions.settings IS 'Learning thresholds used (JSON).';
COMMENT ON COLUMN template_versions.sites IS 'Sites with learned lines.';
COMMENT ON COLUMN template_versions.lines IS 'Learned lines, in total.';
COMMENT ON COLUMN template_versions.digest IS 'Digest of the learned set, to tell whether learning changed anything.';

COMMENT ON TABLE site_templates IS 'One row per learned boilerplate line of a site in a template version.';
COMMENT ON COLUMN site_templates.version IS 'Template version.';
COMMENT ON COLUMN site_templates.site IS 'Site (host[:port]).';
COMMENT ON COLUMN site_templates.line_key IS 'Normalised line, the match key.';
COMMENT ON COLUMN site_templates.example IS 'The line as seen.';

COMMENT ON TABLE backfill_windows IS 'One row per finished backfill window: what a restarted backfill skips.';
COMMENT ON COLUMN backfill_windows.backfill_key IS 'Digest of what was asked (sources, languages, refetch, window size).';
COMMENT ON COLUMN backfill_windows.window_start IS 'Window start (UTC, included).';
COMMENT ON COLUMN backfill_windows.window_end IS 'Window end (UTC, excluded).';
COMMENT ON COLUMN backfill_windows.finished_at IS 'When the window finished (UTC).';
COMMENT ON COLUMN backfill_windows.run_id IS 'Run that finished it.';
COMMENT ON COLUMN backfill_windows.counts IS 'Counts of the window (JSON).';

COMMENT ON TABLE gkg_files IS 'One row per GDELT GKG 15-minute file read to the end.';
COMMENT ON COLUMN gkg_files.file IS 'File name or URL.';
COMMENT ON COLUMN gkg_files.source IS 'Source that read it.';
COMMENT ON COLUMN gkg_files.finished_at IS 'When (UTC).';
COMMENT ON COLUMN gkg_files.run_id IS 'Run that read it.';

COMMENT ON TABLE unresolved_links IS 'One row per search-result link no decoder resolved to a publisher URL.';
COMMENT ON COLUMN unresolved_links.url IS 'The link (e.g. an opaque news.google.com/rss/articles/... URL).';
COMMENT ON COLUMN unresolved_links.source IS 'Source that listed it.';
COMMENT ON COLUMN unresolved_links.title IS 'Title given with it.';
COMMENT ON COLUMN unresolved_links.outlet IS 'Outlet given with it.';
COMMENT ON COLUMN unresolved_links.language IS 'Language given with it.';
COMMENT ON COLUMN unresolved_links.published IS 'Publication time given with it.';
COMMENT ON COLUMN unresolved_links.why IS 'Why it was not resolved.';
COMMENT ON COLUMN unresolved_links.run_id IS 'Run that saw it.';
COMMENT ON COLUMN unresolved_links.seen_at IS 'When (UTC).';

COMMENT ON TABLE url_sources IS 'One row per (URL, source): every source that found a URL, not only the first.';
COMMENT ON COLUMN url_sources.url IS 'Canonical URL.';
COMMENT ON COLUMN url_sources.source IS 'Source name.';
COMMENT ON COLUMN url_sources.first_seen IS 'When that source first listed it (UTC).';

COMMENT ON TABLE article_minhash IS 'One row per article: its MinHash signature for near-duplicate detection.';
COMMENT ON COLUMN article_minhash.article_id IS 'The article.';
COMMENT ON COLUMN article_minhash.signature IS 'datasketch MinHash hash values (uint32 x num_perm).';

COMMENT ON VIEW articles_clean IS 'Articles with the columns analysts read most, and how many copies each has.';
COMMENT ON COLUMN articles_clean.article_id IS 'The article.';
COMMENT ON COLUMN articles_clean.canonical_url IS 'Canonical URL.';
COMMENT ON COLUMN articles_clean.title IS 'Title.';
COMMENT ON COLUMN articles_clean.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN articles_clean.language IS 'Language code.';
COMMENT ON COLUMN articles_clean.site IS 'Site.';
COMMENT ON COLUMN articles_clean.source IS 'Source that discovered it.';
COMMENT ON COLUMN articles_clean.relevance IS 'Relevance score.';
COMMENT ON COLUMN articles_clean.story_id IS 'Story.';
COMMENT ON COLUMN articles_clean.text IS 'Clean text.';
COMMENT ON COLUMN articles_clean.copies IS 'Duplicate copies seen (sightings).';

COMMENT ON VIEW daily_coverage IS 'Articles per publication day, language and site.';
COMMENT ON COLUMN daily_coverage.day IS 'Publication day.';
COMMENT ON COLUMN daily_coverage.language IS 'Language code.';
COMMENT ON COLUMN daily_coverage.site IS 'Site.';
COMMENT ON COLUMN daily_coverage.articles IS 'Articles.';

COMMENT ON VIEW run_health IS 'Runs, newest first, with their duration.';
COMMENT ON COLUMN run_health.run_id IS 'Prefect flow run id.';
COMMENT ON COLUMN run_health.flow IS 'Flow name.';
COMMENT ON COLUMN run_health.status IS 'running, completed or failed.';
COMMENT ON COLUMN run_health.started_at IS 'Start (UTC).';
COMMENT ON COLUMN run_health.finished_at IS 'End (UTC).';
COMMENT ON COLUMN run_health.seconds IS 'Duration in seconds.';
COMMENT ON COLUMN run_health.counts IS 'Counts per stage (JSON).';
COMMENT ON COLUMN run_health.drops IS 'Drops per reason (JSON).';
COMMENT ON COLUMN run_health.error IS 'Why it failed.';

COMMENT ON VIEW source_health IS 'Sources, most consecutive failures first.';
COMMENT ON COLUMN source_health.name IS 'Source name.';
COMMENT ON COLUMN source_health.kind IS 'Source kind.';
COMMENT ON COLUMN source_health.language IS 'Language code.';
COMMENT ON COLUMN source_health.last_checked_at IS 'Last check (UTC).';
COMMENT ON COLUMN source_health.last_status IS 'HTTP status of the last check.';
COMMENT ON COLUMN source_health.last_error IS 'Error of the last check.';
COMMENT ON COLUMN source_health.failures IS 'Consecutive failed checks.';
COMMENT ON COLUMN source_health.items_seen IS 'Links listed, in total.';

COMMENT ON COLUMN template_page_lines.url IS 'A decided page (as in page_lines).';
COMMENT ON COLUMN template_page_lines.site IS 'Site (host[:port]).';
COMMENT ON COLUMN template_page_lines.day IS 'Publication day; 0001-01-01 for a page without one.';
COMMENT ON COLUMN template_page_lines.relevant IS 'The page is on topic.';
COMMENT ON COLUMN template_page_lines.line_key IS 'tasks.templates.line_key of a line the page counts.';
COMMENT ON COLUMN template_page_lines.spelling IS 'The line as seen on this page.';
COMMENT ON COLUMN template_line_counts.site IS 'Site (host[:port]).';
COMMENT ON COLUMN template_line_counts.line_key IS 'Normalised line.';
COMMENT ON COLUMN template_line_counts.pages IS 'Decided pages of the site that count the line.';
COMMENT ON COLUMN template_line_counts.on_pages IS 'Of them, pages on topic.';
COMMENT ON COLUMN template_line_days.site IS 'Site (host[:port]).';
COMMENT ON COLUMN template_line_days.line_key IS 'Normalised line.';
COMMENT ON COLUMN template_line_days.day IS 'Publication day.';
COMMENT ON COLUMN template_line_days.pages IS 'Decided pages of that day that count the line.';
COMMENT ON COLUMN template_sites.site IS 'Site (host[:port]).';
COMMENT ON COLUMN template_sites.pages IS 'Decided pages of the site.';
COMMENT ON COLUMN template_sites.dirty IS 'Pages changed since its templates were last learned.';
COMMENT ON COLUMN template_sites.applied_version IS 'Template version its decided pages were (re)done with.';
COMMENT ON COLUMN template_state.id IS 'Always 1.';
COMMENT ON COLUMN template_state.settings IS 'Thresholds the counts were made with; other thresholds mean a recount.';
