package io.chatai.preset;

import io.chatai.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/** Stores presets. Thread-safe. */
public final class PresetRepository {
    private static final String COLUMNS = "id, name, description, system_prompt, model, temperature, top_p, max_tokens, "
            + "max_context_messages, max_context_tokens, created_at, updated_at";
    private static final String INSERT = "INSERT INTO presets (" + COLUMNS + ") VALUES (:id, :name, :description, "
            + ":systemPrompt, :model, :temperature, :topP, :maxTokens, :maxContextMessages, :maxContextTokens, "
            + ":createdAt, :updatedAt)";

    private final Database database;
    /** Bounded by the ids clients ask for: unknown ids are cached as empty, so it is cleared past a limit. */
    private final java.util.Map<String, Optional<Preset>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    public PresetRepository(Database database) {
        this.database = database;
    }

    private <R> R changing(R result) {
        cache.clear();
        return result;
    }

    /**
     * The preset, from a cache: every turn reads its preset, and presets change rarely. Writes through
     * this repository clear it at once, other instances' writes within a configuration poll.
     */
    public Optional<Preset> find(String id) {
        if (cache.size() > 1_000) {
            cache.clear();
        }
        return cache.computeIfAbsent(id, key -> database.read(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM presets WHERE id = :id")
                .bind("id", key)
                .map((rs, ctx) -> map(rs))
                .findOne()));
    }

    /** Forgets cached presets (another instance changed them). */
    public void forgetCache() {
        cache.clear();
    }

    public List<Preset> list() {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM presets ORDER BY id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** Inserts a new preset; false when the id is taken. */
    public boolean insert(Preset preset) {
        return changing(database.writeConfig(handle -> {
            boolean taken = handle.createQuery("SELECT COUNT(*) FROM presets WHERE id = :id")
                    .bind("id", preset.id()).mapTo(Integer.class).one() > 0;
            if (taken) {
                return false;
            }
            bind(handle.createUpdate(INSERT), preset).execute();
            return true;
        }));
    }

    /** Replaces a stored preset's fields; false when it does not exist. */
    public boolean update(Preset preset) {
        return changing(database.writeConfig(handle -> updateIn(handle, preset)));
    }

    public boolean delete(String id) {
        return changing(database.writeConfig(handle -> handle.createUpdate("DELETE FROM presets WHERE id = :id")
                .bind("id", id).execute() == 1));
    }

    /** Upserts (for presets declared in CHATAI_CONFIG). */
    public void save(Preset preset) {
        database.updateConfig(handle -> {
            if (!updateIn(handle, preset)) {
                bind(handle.createUpdate(INSERT), preset).execute();
            }
        });
        cache.clear();
    }

    private static boolean updateIn(Handle handle, Preset preset) {
        return bind(handle.createUpdate("UPDATE presets SET name = :name, description = :description, "
                + "system_prompt = :systemPrompt, model = :model, temperature = :temperature, top_p = :topP, "
                + "max_tokens = :maxTokens, max_context_messages = :maxContextMessages, "
                + "max_context_tokens = :maxContextTokens, updated_at = :updatedAt WHERE id = :id"), preset).execute() == 1;
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Preset p) {
        return statement.bind("id", p.id())
                .bind("name", p.name())
                .bind("description", p.description())
                .bind("systemPrompt", p.systemPrompt())
                .bind("model", p.model())
                .bind("temperature", p.temperature())
                .bind("topP", p.topP())
                .bind("maxTokens", p.maxTokens())
                .bind("maxContextMessages", p.maxContextMessages())
                .bind("maxContextTokens", p.maxContextTokens())
                .bind("createdAt", p.createdAt())
                .bind("updatedAt", p.updatedAt());
    }

    private static Preset map(ResultSet rs) throws SQLException {
        return new Preset(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("system_prompt"), rs.getString("model"), nullableDouble(rs, "temperature"),
                nullableDouble(rs, "top_p"), nullableInt(rs, "max_tokens"), rs.getInt("max_context_messages"),
                rs.getInt("max_context_tokens"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
