package io.chatai.channel;

import io.chatai.core.Background;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Channel breakers in the database, shared by every instance: failures in a row are counted across all
 * of them (each failure is one locked read-modify-write of the channel's row), a channel cools down once
 * for all of them, and after the cooldown exactly one instance claims the probe. Healthy traffic costs no
 * database work: admissions read a snapshot refreshed every second, and only failures, probes and
 * recoveries write. So another instance learns of a new cooldown within a second; calls it makes
 * meanwhile report the same outage and do not climb the ladder. A success resets the shared count when
 * this instance's snapshot shows one, so a success within a second of another instance's failure may
 * leave that count standing until the next success. Thread-safe.
 */
public final class ClusterBreakers implements Breaker.Store {
    /** A probing instance that dies frees its claim after this long. */
    private static final Duration PROBE_HOLD = Duration.ofMinutes(2);
    private static final String STATE = "failures, cooldowns, cooling_until";

    /** A breaker as stored: its failures in a row, its cooldowns in a row and the end of its cooldown. */
    private static final RowMapper<Breaker> BREAKER = rs -> new Breaker(rs.getInt("failures"), rs.getInt("cooldowns"),
            rs.getLong("cooling_until"));

    private final Database database;
    private volatile Map<String, Breaker> snapshot = Map.of();

    public ClusterBreakers(Database database) {
        this.database = database;
        refresh();
    }

    /** Refreshes the snapshot every {@code interval}; a failed refresh is logged and the next one runs. */
    public void start(Background background, Duration interval) {
        background.every("channel-breakers", interval, this::refresh);
    }

    @Override
    public ChannelHealth.Admission admit(Channel channel, long now) {
        Breaker breaker = state(channel);
        if (breaker.cooling(now)) {
            return new ChannelHealth.Admission.Cooling(breaker.coolingUntil());
        }
        if (!breaker.tripped()) {
            return new ChannelHealth.Admission.Ready();
        }
        boolean claimed = database.write(sql -> sql.update("UPDATE channel_breakers SET probe_until = :hold "
                        + "WHERE channel_id = :id AND cooldowns > 0 AND cooling_until <= :now AND probe_until <= :now")
                .bind("hold", now + PROBE_HOLD.toMillis()).bind("id", channel.id()).bind("now", now).execute() == 1);
        if (claimed) {
            return new ChannelHealth.Admission.Probe();
        }
        Breaker current = load(channel.id());
        remember(channel.id(), current);
        return !current.tripped() ? new ChannelHealth.Admission.Ready()
                : new ChannelHealth.Admission.Cooling(Math.max(now, current.coolingUntil()));
    }

    @Override
    public void succeeded(Channel channel) {
        if (state(channel).failures() > 0) {
            database.update(sql -> sql.update("UPDATE channel_breakers SET failures = 0, cooldowns = 0, "
                    + "cooling_until = 0, probe_until = 0 WHERE channel_id = :id").bind("id", channel.id()).execute());
            remember(channel.id(), Breaker.HEALTHY);
        }
    }

    @Override
    public Breaker failed(Channel channel, UnaryOperator<Breaker> failure) {
        Breaker after = database.write(sql -> {
            sql.update("INSERT INTO channel_breakers (channel_id, failures, cooldowns, cooling_until, probe_until) "
                    + "VALUES (:id, 0, 0, 0, 0) ON CONFLICT (channel_id) DO NOTHING").bind("id", channel.id()).execute();
            Breaker before = sql.query("SELECT " + STATE + " FROM channel_breakers WHERE channel_id = :id FOR UPDATE")
                    .bind("id", channel.id())
                    .one(BREAKER);
            Breaker next = failure.apply(before);
            sql.update("UPDATE channel_breakers SET failures = :failures, cooldowns = :cooldowns, cooling_until = :until, "
                    + "probe_until = 0 WHERE channel_id = :id").bind("failures", next.failures()).bind("cooldowns", next.cooldowns())
                    .bind("until", next.coolingUntil()).bind("id", channel.id()).execute();
            return next;
        });
        remember(channel.id(), after);
        return after;
    }

    @Override
    public void released(Channel channel) {
        database.update(sql -> sql.update("UPDATE channel_breakers SET probe_until = 0 WHERE channel_id = :id")
                .bind("id", channel.id()).execute());
    }

    @Override
    public Breaker state(Channel channel) {
        return snapshot.getOrDefault(channel.id(), Breaker.HEALTHY);
    }

    @Override
    public void forget(String channelId) {
        database.update(sql -> sql.update("DELETE FROM channel_breakers WHERE channel_id = :id").bind("id", channelId).execute());
        remember(channelId, Breaker.HEALTHY);
    }

    private Breaker load(String channelId) {
        return database.read(sql -> sql.query("SELECT " + STATE + " FROM channel_breakers WHERE channel_id = :id")
                .bind("id", channelId)
                .findOne(BREAKER).orElse(Breaker.HEALTHY));
    }

    private synchronized void remember(String channelId, Breaker breaker) {
        Map<String, Breaker> next = new HashMap<>(snapshot);
        if (breaker.failures() == 0 && breaker.coolingUntil() == 0) {
            next.remove(channelId);
        } else {
            next.put(channelId, breaker);
        }
        snapshot = Map.copyOf(next);
    }

    private void refresh() {
        Map<String, Breaker> all = new HashMap<>();
        database.read(sql -> sql.query("SELECT channel_id, " + STATE + " FROM channel_breakers "
                        + "WHERE failures > 0 OR cooling_until > 0")
                .list(rs -> all.put(rs.getString("channel_id"), BREAKER.map(rs))));
        snapshot = Map.copyOf(all);
    }
}
