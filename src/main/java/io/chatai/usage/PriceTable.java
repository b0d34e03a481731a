package io.chatai.usage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatai.channel.CallReport;
import io.chatai.core.message.TokenUsage;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator's price table: glob patterns in order, the first that matches a model gives its price.
 * Stored in the database and held in memory, since every upstream call is priced; a change through
 * this instance applies at once, another instance's at the next configuration poll ({@link #refresh}).
 * A model's lookup is cached per snapshot, so a new table never answers with an old price. Thread-safe.
 */
public final class PriceTable {
    /** Enough for every model of every provider, with room to spare; a bound on each lookup's work. */
    public static final int MAX_PRICES = 1_000;
    /** Model names clients send are theirs to choose: the cache forgets the least used beyond this. */
    private static final int MAX_CACHED_MODELS = 10_000;

    private record Entry(Price price, Pattern pattern) { }

    /** One table as read, with the answers found in it so far. */
    private record Snapshot(List<Entry> entries, Cache<String, Optional<Price>> found) {
        static Snapshot of(List<Price> prices) {
            return new Snapshot(prices.stream().map(p -> new Entry(p, p.pattern())).toList(),
                    Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_CACHED_MODELS).build());
        }

        Optional<Price> find(String model) {
            return found.get(model, name -> entries.stream().filter(e -> e.pattern().matcher(name).matches())
                    .map(Entry::price).findFirst());
        }
    }

    private final Database database;
    private volatile Snapshot snapshot;

    public PriceTable(Database database) {
        this.database = database;
        this.snapshot = Snapshot.of(load());
    }

    /** The table in matching order. */
    public List<Price> all() {
        return snapshot.entries().stream().map(Entry::price).toList();
    }

    /** The price of a model: the first pattern that matches it, or empty. */
    public Optional<Price> find(String model) {
        return snapshot.find(model);
    }

    /** What a call of this model cost in nano-units ({@link Cost}), or null when no price matches it. */
    public Long costNanos(String model, long promptTokens, long cachedPromptTokens, long completionTokens) {
        return find(model).map(p -> p.costNanos(promptTokens, cachedPromptTokens, completionTokens)).orElse(null);
    }

    /**
     * What a reported call cost at the current prices, or null when no price matches its model: the one
     * place a call is priced, so usage records and budgets agree.
     */
    public Long costNanos(CallReport report) {
        TokenUsage usage = report.usage();
        // Prompt tokens the provider read from its cache are charged at the cached price when the table has one.
        return costNanos(report.model(), usage.promptTokens(), usage.cachedPromptTokens(), usage.completionTokens());
    }

    /** Replaces the whole table (one transaction), for every instance. */
    public void replace(List<Price> prices) {
        if (prices.size() > MAX_PRICES) {
            throw new IllegalArgumentException("at most " + MAX_PRICES + " prices");
        }
        database.updateConfig(sql -> {
            sql.update("DELETE FROM prices").execute();
            if (!prices.isEmpty()) {
                List<Row> rows = new ArrayList<>(prices.size());
                for (int i = 0; i < prices.size(); i++) {
                    Price p = prices.get(i);
                    rows.add(new Row(i, p.model(), p.inputPerMTok(), p.outputPerMTok(), p.cachedInputPerMTok()));
                }
                sql.update("INSERT INTO prices (position, model, input_per_mtok, output_per_mtok, cached_input_per_mtok) "
                        + "VALUES (:position, :model, :inputPerMTok, :outputPerMTok, :cachedInputPerMTok)").executeBatch(rows);
            }
        });
        refresh();
    }

    private record Row(int position, String model, double inputPerMTok, double outputPerMTok, Double cachedInputPerMTok) { }

    /** Reads the table again (another instance may have changed it). */
    public void refresh() {
        snapshot = Snapshot.of(load());
    }

    private List<Price> load() {
        return database.read(sql -> sql.query("SELECT model, input_per_mtok, output_per_mtok, cached_input_per_mtok "
                + "FROM prices ORDER BY position").list(rs -> new Price(rs.getString("model"), rs.getDouble("input_per_mtok"),
                rs.getDouble("output_per_mtok"), RowMapper.nullableDouble(rs, "cached_input_per_mtok"))));
    }
}
