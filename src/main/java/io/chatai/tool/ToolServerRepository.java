package io.chatai.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.chatai.core.Json;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.SecretBox;
import io.chatai.store.Update;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stores tool servers, keeping header and environment values sealed by the {@link SecretBox}. Every write bumps
 * the configuration version, so the other instances connect, reconnect or let go too. Thread-safe.
 */
public final class ToolServerRepository {
    private static final String COLUMNS = "id, name, transport, url, headers, command, env, enabled, timeout_ms, "
            + "disabled_tools, created_at, updated_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final Database database;
    private final SecretBox secrets;

    public ToolServerRepository(Database database, SecretBox secrets) {
        this.database = database;
        this.secrets = secrets;
    }

    public List<ToolServer> list() {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM tool_servers ORDER BY name").list(this::map));
    }

    public Optional<ToolServer> find(String id) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM tool_servers WHERE id = :id").bind("id", id).findOne(this::map));
    }

    public Optional<ToolServer> findByName(String name) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM tool_servers WHERE name = :name")
                .bind("name", name).findOne(this::map));
    }

    public void insert(ToolServer server) {
        database.updateConfig(sql -> bind(sql.update("INSERT INTO tool_servers (" + COLUMNS + ") VALUES (:id, :name, :transport, "
                + ":url, :headers, :command, :env, :enabled, :timeoutMs, :disabledTools, :createdAt, :updatedAt)"), server).execute());
    }

    /** Replaces a server; false when it no longer exists. */
    public boolean update(ToolServer server) {
        return database.writeConfig(sql -> bind(sql.update("UPDATE tool_servers SET name = :name, transport = :transport, url = :url, "
                + "headers = :headers, command = :command, env = :env, enabled = :enabled, timeout_ms = :timeoutMs, "
                + "disabled_tools = :disabledTools, updated_at = :updatedAt WHERE id = :id"), server).execute() == 1);
    }

    public boolean delete(String id) {
        return database.writeConfig(sql -> sql.update("DELETE FROM tool_servers WHERE id = :id").bind("id", id).execute() == 1);
    }

    /**
     * Rewrites the servers stored before {@code CHATAI_SECRET_KEY} was set, so that introducing a secret on an
     * existing database leaves no header or environment value in plain text. Returns how many were sealed.
     */
    public int sealPlaintext() {
        if (!secrets.seals()) {
            return 0;
        }
        List<String> plain = database.read(sql -> sql.query("SELECT id FROM tool_servers "
                + "WHERE headers NOT LIKE 'enc:v1:%' OR env NOT LIKE 'enc:v1:%'").list(RowMapper.STRING));
        plain.forEach(id -> find(id).ifPresent(this::update));
        return plain.size();
    }

    private Update bind(Update statement, ToolServer server) {
        statement.bindFields(server)
                .bind("transport", server.endpoint().transportName())
                .bind("disabledTools", Json.writeString(new TreeSet<>(server.disabledTools())));
        return switch (server.endpoint()) {
            case ToolEndpoint.Http http -> statement.bind("url", http.url()).bind("command", null)
                    .bind("headers", secrets.seal(Json.writeString(http.headers()))).bind("env", secrets.seal("{}"));
            case ToolEndpoint.Stdio stdio -> statement.bind("url", null).bind("command", Json.writeString(stdio.command()))
                    .bind("headers", secrets.seal("{}")).bind("env", secrets.seal(Json.writeString(stdio.env())));
        };
    }

    private ToolServer map(ResultSet rs) throws SQLException {
        String transport = rs.getString("transport");
        ToolEndpoint endpoint = transport.equals("stdio")
                ? new ToolEndpoint.Stdio(read(rs.getString("command"), STRINGS), read(secrets.open(rs.getString("env")), STRING_MAP))
                : new ToolEndpoint.Http(rs.getString("url"), ToolEndpoint.HttpTransport.of(transport)
                        .orElseThrow(() -> new IllegalStateException("Unknown tool server transport " + transport)),
                        read(secrets.open(rs.getString("headers")), STRING_MAP));
        return new ToolServer(rs.getString("id"), rs.getString("name"), endpoint, rs.getBoolean("enabled"), rs.getInt("timeout_ms"),
                Set.copyOf(read(rs.getString("disabled_tools"), STRINGS)), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored tool server column is not valid JSON", e);
        }
    }
}
