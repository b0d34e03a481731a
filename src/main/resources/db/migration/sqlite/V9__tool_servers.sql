-- MCP tool servers. An HTTP server has url, transport (auto, streamable-http, sse) and headers; a local program has
-- command (a JSON list: the program, then its arguments), transport 'stdio' and env. headers and env hold JSON
-- objects, encrypted ("enc:v1:...") when CHATAI_SECRET_KEY is set. disabled_tools is a JSON list of the server's
-- tools the admin turned off. The live state (connected or not, the tools listed) is each instance's own.
CREATE TABLE tool_servers (
    id             TEXT PRIMARY KEY,
    name           TEXT    NOT NULL,
    transport      TEXT    NOT NULL,
    url            TEXT,
    headers        TEXT    NOT NULL,
    command        TEXT,
    env            TEXT    NOT NULL,
    enabled        INTEGER NOT NULL,
    timeout_ms     INTEGER NOT NULL,
    disabled_tools TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- The name prefixes every tool of the server, so two servers never share one.
CREATE UNIQUE INDEX tool_servers_by_name ON tool_servers (name);
