package io.chatai.channel;

import io.chatai.store.SecretBox;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Update;
import io.chatai.core.Json;
import io.chatai.provider.TypeFields;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores channels, keeping keys and header values sealed by the {@link SecretBox}. Thread-safe. */
public final class ChannelRepository {
    private static final String COLUMNS = "id, name, type, base_url, api_keys, models, model_mapping, priority, weight, "
            + "enabled, timeout_ms, total_timeout_ms, headers, proxy, model_path, options, revision, created_at, updated_at, text_only_models";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };

    private final Database database;
    private final SecretBox secrets;

    public ChannelRepository(Database database, SecretBox secrets) {
        this.database = database;
        this.secrets = secrets;
    }

    public List<Channel> list() {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM channels ORDER BY priority DESC, created_at, id")
                .list(this::map));
    }

    public Optional<Channel> find(String id) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM channels WHERE id = :id")
                .bind("id", id)
                .findOne(this::map));
    }

    public void insert(Channel channel) {
        database.updateConfig(sql -> bind(sql.update("INSERT INTO channels (" + COLUMNS + ") VALUES (:id, :name, "
                + ":type, :baseUrl, :apiKeys, :models, :modelMapping, :priority, :weight, :enabled, :timeoutMs, "
                + ":totalTimeoutMs, :headers, :proxy, :modelPath, :options, :revision, :createdAt, :updatedAt, :textOnlyModels)"), channel).execute());
    }

    /** Replaces a channel; false when it no longer exists. */
    public boolean update(Channel channel) {
        return database.writeConfig(sql -> bind(sql.update("UPDATE channels SET name = :name, type = :type, "
                + "base_url = :baseUrl, api_keys = :apiKeys, models = :models, model_mapping = :modelMapping, "
                + "priority = :priority, weight = :weight, enabled = :enabled, timeout_ms = :timeoutMs, "
                + "total_timeout_ms = :totalTimeoutMs, headers = :headers, proxy = :proxy, model_path = :modelPath, options = :options, "
                + "revision = :revision, updated_at = :updatedAt, text_only_models = :textOnlyModels WHERE id = :id"), channel).execute() == 1);
    }

    /**
     * Rewrites the channels stored before {@code CHATAI_SECRET_KEY} was set, so that introducing a secret
     * on an existing database leaves no key in plain text. Returns how many were sealed.
     */
    public int sealPlaintext() {
        if (!secrets.seals()) {
            return 0;
        }
        List<String> plain = database.read(sql -> sql.query("SELECT id FROM channels "
                        + "WHERE api_keys NOT LIKE 'enc:v1:%' OR headers NOT LIKE 'enc:v1:%'")
                .list(RowMapper.STRING));
        plain.forEach(id -> find(id).ifPresent(this::update));
        return plain.size();
    }

    public boolean delete(String id) {
        return database.writeConfig(sql -> sql.update("DELETE FROM channels WHERE id = :id").bind("id", id).execute() == 1);
    }

    /** Binds the channel's plain fields by name, then the columns stored as (sealed) JSON over them. */
    private Update bind(Update statement, Channel c) {
        return statement.bindFields(c)
                .bind("baseUrl", c.typeFields().baseUrl())
                .bind("modelPath", c.typeFields().modelPath())
                .bind("apiKeys", secrets.seal(Json.writeString(c.typeFields().apiKeys())))
                .bind("models", Json.writeString(c.models()))
                .bind("modelMapping", Json.writeString(c.modelMapping()))
                .bind("headers", secrets.seal(Json.writeString(c.headers())))
                .bind("options", Json.writeString(c.typeFields().options()))
                .bind("textOnlyModels", c.textOnlyModels().isEmpty() ? null : Json.writeString(c.textOnlyModels()));
    }

    private Channel map(ResultSet rs) throws SQLException {
        TypeFields typeFields = TypeFields.NONE
                .withBaseUrl(rs.getString("base_url"))
                .withApiKeys(read(secrets.open(rs.getString("api_keys")), STRINGS))
                .withModelPath(rs.getString("model_path"))
                .withOptions(read(rs.getString("options"), OBJECT_MAP));
        return Channel.defaults(rs.getString("id"), rs.getString("name"), rs.getString("type"), rs.getLong("created_at"))
                .typeFields(typeFields)
                .models(read(rs.getString("models"), STRINGS))
                .modelMapping(read(rs.getString("model_mapping"), STRING_MAP))
                .priority(rs.getInt("priority"))
                .weight(rs.getInt("weight"))
                .enabled(rs.getBoolean("enabled"))
                .timeoutMs(rs.getInt("timeout_ms"))
                .totalTimeoutMs(rs.getInt("total_timeout_ms"))
                .headers(read(secrets.open(rs.getString("headers")), STRING_MAP))
                .proxy(rs.getString("proxy"))
                .revision(rs.getLong("revision"))
                .updatedAt(rs.getLong("updated_at"))
                .textOnlyModels(rs.getString("text_only_models") == null ? List.of() : read(rs.getString("text_only_models"), STRINGS))
                .build();
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored channel column is not valid JSON", e);
        }
    }
}
