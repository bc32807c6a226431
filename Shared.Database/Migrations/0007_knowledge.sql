-- Knowledge bases: each tenant's documents, cut into chunks with an embedding (pgvector) and a full-text vector, so
-- replies can retrieve passages by meaning and by words in one query. All four tables are tenant-owned under RLS.

-- 0005 creates it too; saying it here keeps this migration whole on its own. Needs the owner (a superuser here).
CREATE EXTENSION IF NOT EXISTS vector;

-- embedding_model / embedding_dimensions record what the chunks were embedded with: when the configured model
-- differs, the knowledge base is re-embedded. content_version goes up on every change of its chunks: search caches
-- key on it, so a change invalidates them in every service at once.
CREATE TABLE knowledge_bases (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants(id),
    workspace_id          uuid NOT NULL REFERENCES workspaces(id),
    name                  text NOT NULL CHECK (name <> ''),
    description           text,
    embedding_model       text NOT NULL,
    embedding_dimensions  integer NOT NULL CHECK (embedding_dimensions = 384),
    content_version       bigint NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_knowledge_bases_name ON knowledge_bases (tenant_id, workspace_id, name);

-- Which knowledge bases an assistant answers from.
CREATE TABLE assistant_knowledge_bases (
    tenant_id          uuid NOT NULL REFERENCES tenants(id),
    assistant_id       uuid NOT NULL REFERENCES assistants(id) ON DELETE CASCADE,
    knowledge_base_id  uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, assistant_id, knowledge_base_id)
);
CREATE INDEX ix_assistant_knowledge_bases_kb ON assistant_knowledge_bases (tenant_id, knowledge_base_id);

-- One uploaded file (or fetched web page). content keeps the original bytes so the document can be indexed again
-- (a new embedding model, a better parser) without asking for it again. Progress is written as the index task runs,
-- so the CRM and the API show it live.
CREATE TABLE knowledge_documents (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants(id),
    knowledge_base_id  uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (name <> ''),
    format             text NOT NULL CHECK (format IN ('txt', 'md', 'html', 'pdf', 'docx')),
    source_url         text,
    size_bytes         bigint NOT NULL CHECK (size_bytes > 0),
    checksum           text NOT NULL,
    content            bytea NOT NULL,
    -- pt, en or null (not yet detected); decides the full-text configuration of its chunks.
    language           text CHECK (language IN ('pt', 'en')),
    status             text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'indexing', 'indexed', 'failed')),
    error              text,
    pages_total        integer,
    pages_done         integer NOT NULL DEFAULT 0,
    chunks_total       integer,
    chunks_done        integer NOT NULL DEFAULT 0,
    progress_percent   integer NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
    chunk_count        integer NOT NULL DEFAULT 0,
    index_task_id      uuid,
    indexed_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- The same bytes twice in one knowledge base is a duplicate upload.
CREATE UNIQUE INDEX ux_knowledge_documents_checksum ON knowledge_documents (tenant_id, knowledge_base_id, checksum);
CREATE INDEX ix_knowledge_documents_kb ON knowledge_documents (tenant_id, knowledge_base_id, created_at DESC);

-- A passage of a document. fts_config is the document's language as a text search configuration; the tsvector is
-- generated from it (the CASE keeps the expression immutable, which a cast of a column to regconfig is not).
CREATE TABLE knowledge_chunks (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants(id),
    knowledge_base_id  uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
    document_id        uuid NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
    ordinal            integer NOT NULL CHECK (ordinal >= 0),
    heading_path       text NOT NULL DEFAULT '',
    page               integer CHECK (page >= 1),
    content            text NOT NULL CHECK (content <> ''),
    token_count        integer NOT NULL CHECK (token_count > 0),
    fts_config         text NOT NULL CHECK (fts_config IN ('portuguese', 'english', 'simple')),
    search_vector      tsvector GENERATED ALWAYS AS (
                           CASE fts_config
                               WHEN 'portuguese' THEN to_tsvector('portuguese'::regconfig, heading_path || E'\n' || content)
                               WHEN 'english' THEN to_tsvector('english'::regconfig, heading_path || E'\n' || content)
                               ELSE to_tsvector('simple'::regconfig, heading_path || E'\n' || content)
                           END) STORED,
    embedding          vector(384) NOT NULL,
    embedding_model    text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_knowledge_chunks_document_ordinal ON knowledge_chunks (tenant_id, document_id, ordinal);
CREATE INDEX ix_knowledge_chunks_kb ON knowledge_chunks (tenant_id, knowledge_base_id);
-- Approximate nearest neighbours by cosine distance (<=>); the search filters by tenant and knowledge base with
-- pgvector's iterative scan, so a filter that removes most neighbours still returns enough.
CREATE INDEX ix_knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX ix_knowledge_chunks_search ON knowledge_chunks USING gin (search_vector);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['knowledge_bases', 'assistant_knowledge_bases', 'knowledge_documents', 'knowledge_chunks']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) '
                       'WITH CHECK (tenant_id = current_tenant_id())', t);
    END LOOP;
END $$;

-- A changed embedding model is noticed at start-up, across tenants: this lists the knowledge bases embedded with
-- another model (ids only), and the worker then re-embeds each one in its own tenant's scope.
CREATE FUNCTION knowledge_bases_to_reembed(p_model text)
RETURNS TABLE (tenant_id uuid, knowledge_base_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT kb.tenant_id, kb.id FROM knowledge_bases kb WHERE kb.embedding_model <> p_model
$$;
REVOKE EXECUTE ON FUNCTION knowledge_bases_to_reembed(text) FROM PUBLIC;

-- A question's words as a full-text query whose terms are OR-ed: plainto_tsquery ANDs them, and a question rarely has
-- all its words in one passage.
CREATE FUNCTION knowledge_or_query(p_config regconfig, p_text text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(plainto_tsquery(p_config, p_text)::text, ' & ', ' | ')::tsquery
$$;

-- The full-text half of the hybrid search. Under row level security PostgreSQL may not use an index for an operator
-- that is not leakproof, and @@ is not: the GIN index would be skipped for a scan of the whole table. This runs as the
-- owner and applies the tenant rule itself (the caller's app.tenant_id, exactly as the policy does), so the index
-- finds the candidates. Each chunk is matched and ranked in its own language's configuration.
CREATE FUNCTION knowledge_lexical_candidates(p_bases uuid[], p_text text, p_limit integer)
RETURNS TABLE (id uuid, rank real)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.id,
           ts_rank_cd(c.search_vector, CASE c.fts_config WHEN 'portuguese' THEN knowledge_or_query('portuguese', p_text)
                                                         WHEN 'english' THEN knowledge_or_query('english', p_text)
                                                         ELSE knowledge_or_query('simple', p_text) END) AS rank
    FROM knowledge_chunks c
    WHERE c.tenant_id = current_tenant_id() AND c.knowledge_base_id = ANY(p_bases)
      AND c.search_vector @@ (knowledge_or_query('portuguese', p_text) || knowledge_or_query('english', p_text)
                              || knowledge_or_query('simple', p_text))
      AND c.search_vector @@ CASE c.fts_config WHEN 'portuguese' THEN knowledge_or_query('portuguese', p_text)
                                               WHEN 'english' THEN knowledge_or_query('english', p_text)
                                               ELSE knowledge_or_query('simple', p_text) END
    ORDER BY rank DESC, c.id
    LIMIT p_limit
$$;
REVOKE EXECUTE ON FUNCTION knowledge_lexical_candidates(uuid[], text, integer) FROM PUBLIC;
