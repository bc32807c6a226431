-- The full-text half of the hybrid search, made fast on large knowledge bases (bench/KnowledgeSearch: 100,000 chunks).
--
-- 0007 ranked every chunk holding ANY of the question's words. On a large base a few common words match thousands of
-- chunks, and each one was fetched, rechecked and ranked (ts_rank_cd) before the 40 best were kept: about 0.7 s on
-- 100,000 chunks, EXPLAIN ANALYZE spent almost all of it there. The question's terms were also rebuilt for every row:
-- in a SQL function the text is a parameter, so the IMMUTABLE knowledge_or_query(...) calls inside CASE were not
-- folded into constants but evaluated per row.
--
-- Now the candidates come in two tiers, best first (what older search engines called coordination):
--   1. chunks holding at least TWO of the question's terms: the GIN index answers "a & b", "a & c"... from its
--      posting lists, so only a few hundred rows are fetched and ranked;
--   2. only when tier 1 has fewer than p_limit chunks (a one-word question, rare words, a small base): chunks holding
--      any term, ranked among at most p_scan of them.
-- Every tsquery is computed once per call (scalar subqueries are evaluated once, as init plans). Measured against the
-- exhaustive ranking in bench/KnowledgeSearch (recall of the fused top 10 is printed there).

-- Every pair of the question's distinct terms (at most 12 terms: 66 pairs), each an AND query ('a' & 'b'); empty when
-- the question has fewer than two terms in this configuration. An array rather than one OR-ed query: the GIN index
-- answers "@@ ANY(array)" one small AND at a time (a few ms on 100,000 chunks), where one big OR-ed query is checked
-- against every chunk holding any of the words (about 25 ms in the same bench).
CREATE FUNCTION knowledge_pair_queries(p_config regconfig, p_text text) RETURNS tsquery[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH terms AS (
        SELECT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' AS term
        FROM unnest(tsvector_to_array(to_tsvector(p_config, p_text))) AS lexeme
        -- Longer words first when a long question has to be cut: they carry more meaning than short ones.
        ORDER BY length(lexeme) DESC, lexeme
        LIMIT 12)
    SELECT coalesce(array_agg((a.term || ' & ' || b.term)::tsquery ORDER BY a.term, b.term), '{}')
    FROM terms a JOIN terms b ON a.term < b.term
$$;

-- Same signature and contract as 0007's (the caller's tenant, its bases, best first, at most p_limit), so the search
-- statement in HybridKnowledgeSearch is unchanged. Still SECURITY DEFINER for the reason 0007 gives: under row level
-- security the GIN index cannot serve @@, which is not leakproof; the tenant rule is applied here instead.
CREATE OR REPLACE FUNCTION knowledge_lexical_candidates(p_bases uuid[], p_text text, p_limit integer)
RETURNS TABLE (id uuid, rank real)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH pairs AS MATERIALIZED (
        SELECT c.id,
               ts_rank_cd(c.search_vector, CASE c.fts_config WHEN 'portuguese' THEN (SELECT knowledge_or_query('portuguese', p_text))
                                                             WHEN 'english' THEN (SELECT knowledge_or_query('english', p_text))
                                                             ELSE (SELECT knowledge_or_query('simple', p_text)) END) AS rank
        FROM knowledge_chunks c
        -- The tenant and base are compared as text on purpose: as plain columns the planner would AND the GIN result
        -- with the (tenant, base) btree index, reading the id of every chunk of the base (80,000 in the bench, 40 ms)
        -- to drop a few hundred rows that are cheaper to filter one by one.
        WHERE c.tenant_id::text = current_tenant_id()::text AND c.knowledge_base_id::text = ANY(p_bases::text[])
          AND c.search_vector @@ ANY(ARRAY(SELECT DISTINCT q FROM unnest(knowledge_pair_queries('portuguese', p_text)
                                                                          || knowledge_pair_queries('english', p_text)
                                                                          || knowledge_pair_queries('simple', p_text)) AS q))
          AND c.search_vector @@ ANY(CASE c.fts_config WHEN 'portuguese' THEN (SELECT knowledge_pair_queries('portuguese', p_text))
                                                       WHEN 'english' THEN (SELECT knowledge_pair_queries('english', p_text))
                                                       ELSE (SELECT knowledge_pair_queries('simple', p_text)) END)
        ORDER BY rank DESC, c.id
        LIMIT p_limit
    ),
    singles AS (
        SELECT s.id,
               ts_rank_cd(s.search_vector, CASE s.fts_config WHEN 'portuguese' THEN (SELECT knowledge_or_query('portuguese', p_text))
                                                             WHEN 'english' THEN (SELECT knowledge_or_query('english', p_text))
                                                             ELSE (SELECT knowledge_or_query('simple', p_text)) END) AS rank
        FROM (
            SELECT c.id, c.search_vector, c.fts_config
            FROM knowledge_chunks c
            WHERE c.tenant_id::text = current_tenant_id()::text AND c.knowledge_base_id::text = ANY(p_bases::text[])
              AND c.search_vector @@ (SELECT knowledge_or_query('portuguese', p_text) || knowledge_or_query('english', p_text)
                                             || knowledge_or_query('simple', p_text))
              AND c.search_vector @@ CASE c.fts_config WHEN 'portuguese' THEN (SELECT knowledge_or_query('portuguese', p_text))
                                                       WHEN 'english' THEN (SELECT knowledge_or_query('english', p_text))
                                                       ELSE (SELECT knowledge_or_query('simple', p_text)) END
            -- A bound on the work when one common word is all that matches; such chunks differ little in rank anyway.
            LIMIT 2000
        ) s
        WHERE (SELECT count(*) FROM pairs) < p_limit AND s.id NOT IN (SELECT p.id FROM pairs p)
        ORDER BY rank DESC, s.id
        LIMIT p_limit
    )
    -- Tier 1 before tier 2 whatever their ranks (ts_rank_cd can rank one word said twice above two different words).
    SELECT id, rank FROM (
        SELECT id, rank, 1 AS tier FROM pairs
        UNION ALL
        SELECT id, rank, 2 AS tier FROM singles
    ) candidates
    ORDER BY tier, rank DESC, id
    LIMIT p_limit
$$;
REVOKE EXECUTE ON FUNCTION knowledge_lexical_candidates(uuid[], text, integer) FROM PUBLIC;
