package io.chatai.preset;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatai.core.Json;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** Stores presets, and keeps the ones turns ask for in a cache. Thread-safe. */
public final class PresetRepository {
    private static final String COLUMNS = "id, name, description, system_prompt, model, temperature, top_p, max_tokens, "
            + "max_context_messages, max_context_tokens, created_at, updated_at, reasoning_effort, image_mode, caption_model, "
            + "tools, max_tool_rounds, tool_choice";
    private static final String INSERT = "INSERT INTO presets (" + COLUMNS + ") VALUES (:id, :name, :description, "
            + ":systemPrompt, :model, :temperature, :topP, :maxTokens, :maxContextMessages, :maxContextTokens, "
            + ":createdAt, :updatedAt, :reasoningEffort, :imageMode, :captionModel, :toolsJson, :maxToolRounds, :toolChoice)";
    /** Unknown ids are cached too (as empty), so the ids clients ask for bound it. */
    private static final int MAX_CACHED = 1_000;
    /** Writes clear the cache at once; this only bounds how long an entry can outlive a missed change. */
    private static final Duration CACHE_TTL = Duration.ofMinutes(1);

    private final Database database;
    /**
     * Loads on a virtual thread of its own, outside the cache's lock, so a slow read never blocks
     * lookups of other ids; a change that clears the cache while a load runs drops that load's result.
     */
    private final AsyncLoadingCache<String, Optional<Preset>> cache;

    public PresetRepository(Database database) {
        this.database = database;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .expireAfterWrite(CACHE_TTL)
                .executor(task -> Thread.ofVirtual().name("preset-load").start(task))
                .buildAsync(this::load);
    }

    private <R> R changing(R result) {
        cache.synchronous().invalidateAll();
        return result;
    }

    /**
     * The preset, from the cache: every turn reads its preset, and presets change rarely. Writes through
     * this repository clear it at once, other instances' writes within a configuration poll.
     */
    public Optional<Preset> find(String id) {
        try {
            return cache.get(id).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private Optional<Preset> load(String id) {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM presets WHERE id = :id")
                .bind("id", id)
                .findOne(PresetRepository::map));
    }

    /** Forgets cached presets (another instance changed them). */
    public void forgetCache() {
        cache.synchronous().invalidateAll();
    }

    public List<Preset> list() {
        return database.read(sql -> sql.query("SELECT " + COLUMNS + " FROM presets ORDER BY id")
                .list(PresetRepository::map));
    }

    /** Inserts a new preset; false when the id is taken. */
    public boolean insert(Preset preset) {
        return changing(database.writeConfig(sql -> {
            boolean taken = sql.query("SELECT COUNT(*) FROM presets WHERE id = :id")
                    .bind("id", preset.id()).one(RowMapper.INT) > 0;
            if (taken) {
                return false;
            }
            insertIn(sql, preset);
            return true;
        }));
    }

    /** Replaces a stored preset's fields; false when it does not exist. */
    public boolean update(Preset preset) {
        return changing(database.writeConfig(sql -> updateIn(sql, preset)));
    }

    public boolean delete(String id) {
        return changing(database.writeConfig(sql -> sql.update("DELETE FROM presets WHERE id = :id")
                .bind("id", id).execute() == 1));
    }

    /** Upserts (for presets declared in CHATAI_CONFIG). */
    public void save(Preset preset) {
        database.updateConfig(sql -> {
            if (!updateIn(sql, preset)) {
                insertIn(sql, preset);
            }
        });
        changing(null);
    }

    private static void insertIn(Sql sql, Preset preset) {
        sql.update(INSERT).bindFields(preset).bind("toolsJson", toolsJson(preset)).execute();
    }

    /** The tool patterns as a JSON list; null for a preset without tools. */
    private static String toolsJson(Preset preset) {
        return preset.tools() == null ? null : Json.writeString(preset.tools());
    }

    private static List<String> tools(String json) {
        if (json == null) {
            return null;
        }
        try {
            return List.of(Json.MAPPER.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored preset's tools column is not a JSON list of strings", e);
        }
    }

    private static boolean updateIn(Sql sql, Preset preset) {
        return sql.update("UPDATE presets SET name = :name, description = :description, "
                + "system_prompt = :systemPrompt, model = :model, temperature = :temperature, top_p = :topP, "
                + "max_tokens = :maxTokens, max_context_messages = :maxContextMessages, "
                + "max_context_tokens = :maxContextTokens, updated_at = :updatedAt, reasoning_effort = :reasoningEffort, "
                + "image_mode = :imageMode, caption_model = :captionModel, tools = :toolsJson, "
                + "max_tool_rounds = :maxToolRounds, tool_choice = :toolChoice WHERE id = :id")
                .bindFields(preset).bind("toolsJson", toolsJson(preset)).execute() == 1;
    }

    private static Preset map(ResultSet rs) throws SQLException {
        return new Preset(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("system_prompt"), rs.getString("model"), RowMapper.nullableDouble(rs, "temperature"),
                RowMapper.nullableDouble(rs, "top_p"), RowMapper.nullableInt(rs, "max_tokens"), rs.getInt("max_context_messages"),
                rs.getInt("max_context_tokens"), rs.getLong("created_at"), rs.getLong("updated_at"),
                rs.getString("reasoning_effort"), rs.getString("image_mode"), rs.getString("caption_model"),
                tools(rs.getString("tools")), rs.getInt("max_tool_rounds"), rs.getString("tool_choice"));
    }
}
