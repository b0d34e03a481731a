package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.Secrets;
import io.chatai.core.Background;
import io.chatai.store.Database;
import io.chatai.store.RowMapper;
import io.chatai.store.Sql;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation locks shared by every instance on one PostgreSQL, without holding a connection or a
 * transaction while a turn waits or while its model answers (thousands of streams need no thousands of
 * connections). Each turn takes a ticket in one short transaction; the lowest live ticket of a
 * conversation owns it, so turns run in arrival order across instances. Each instance renews its
 * tickets every third of the lease; an instance that dies stops renewing, its tickets expire and the
 * next ticket takes over. Fencing: the commit re-checks, under a row lock in its own transaction, that
 * its ticket is still live, and a waiter's ownership check takes the same row locks, so a stale owner
 * can never commit after its successor started. Thread-safe.
 */
public final class ClusterConversationLocks implements ConversationLocks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConversationLocks.class);
    /** The database's clock in epoch millis: instances' clocks never decide who owns what. */
    static final String NOW = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
    private static final Duration POLL = Duration.ofMillis(250);
    /** The instance id of a paused turn's ticket: no heartbeat renews it, so it lives exactly its hold. */
    private static final String HELD = "paused";

    private final Database database;
    private final Wakeups wakeups;
    private final Duration lease;
    private final int maxWaiters;
    private final String instanceId = Secrets.newToken("inst_", 12);
    private Background.Periodic heartbeat;

    private record Claim(String conversationId, boolean mayCreate, long ticket) { }

    public ClusterConversationLocks(Database database, String url, String user, String password, Duration lease, int maxWaiters) {
        this.database = database;
        this.wakeups = new Wakeups(url, user, password);
        this.lease = lease;
        this.maxWaiters = maxWaiters;
    }

    /** Starts listening for releases and renewing this instance's tickets every third of the lease. */
    public void start(Background background) {
        wakeups.start(background);
        heartbeat = background.every("conversation-heartbeat", lease.dividedBy(3), this::renew);
    }

    @Override
    public TurnLease beginTurn(Scope scope, String conversationId, boolean newConversation, Duration maxWait) {
        Claim claim = database.write(sql -> {
            // One scope at a time decides on pending conversations, so two first messages share one.
            // The key is length-prefixed so that no two scopes share one.
            sql.query("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7))")
                    .bind("key", scope.userId().length() + ":" + scope.userId() + scope.groupKey()).one(RowMapper.STRING);
            return resolve(sql, scope, conversationId, newConversation);
        });
        return new ClusterTurn(claim, await(claim, maxWait));
    }

    /** A paused turn's ticket: no instance renews it, it lives {@code ttl}, and whoever resumes it takes it over. */
    private String hold(Claim claim, Duration ttl) {
        database.update(sql -> sql.update("UPDATE conversation_tickets SET instance_id = :held, expires_at = " + NOW
                        + " + :ttl WHERE ticket = :ticket")
                .bind("held", HELD).bind("ttl", ttl.toMillis()).bind("ticket", claim.ticket()).execute());
        return Long.toString(claim.ticket());
    }

    @Override
    public TurnLease resume(String token, String conversationId, boolean mayCreate) {
        long ticket = Long.parseLong(token);
        int taken = database.write(sql -> sql.update("UPDATE conversation_tickets SET instance_id = :instance, expires_at = "
                        + NOW + " + :lease WHERE ticket = :ticket AND instance_id = :held AND expires_at > " + NOW)
                .bind("instance", instanceId).bind("lease", lease.toMillis()).bind("ticket", ticket).bind("held", HELD)
                .execute());
        if (taken == 0) {
            throw new ApiException(ErrorCode.CONVERSATION_BUSY, "This paused turn no longer holds conversation "
                    + conversationId + " (it expired); nothing was saved, send the message again", null, 1);
        }
        Claim claim = new Claim(conversationId, mayCreate, ticket);
        return new ClusterTurn(claim, lease(claim));
    }

    /** A turn's ownership; after {@link #hold} its close leaves the ticket to its resumer or its expiry. */
    private final class ClusterTurn implements TurnLease {
        private final Claim claim;
        private final Lease owned;
        private boolean kept;

        ClusterTurn(Claim claim, Lease owned) {
            this.claim = claim;
            this.owned = owned;
        }

        public String conversationId() {
            return claim.conversationId();
        }

        public boolean mayCreate() {
            return claim.mayCreate();
        }

        public void verify(Sql transaction) {
            owned.verify(transaction);
        }

        public synchronized String hold(Duration ttl) {
            kept = true;
            return ClusterConversationLocks.this.hold(claim, ttl);
        }

        public synchronized void close() {
            if (!kept) {
                owned.close();
            }
        }
    }

    @Override
    public void abandon(String token, String conversationId) {
        release(new Claim(conversationId, false, Long.parseLong(token)));
    }

    @Override
    public Lease own(String conversationId, Duration maxWait) {
        return await(database.write(sql -> new Claim(conversationId, false, enqueue(sql, conversationId))), maxWait);
    }

    private Claim resolve(Sql sql, Scope scope, String conversationId, boolean newConversation) {
        String pending = sql.query("SELECT p.conversation_id FROM pending_conversations p "
                        + "WHERE p.user_id = :user AND p.group_id = :group AND EXISTS (SELECT 1 FROM conversation_tickets t "
                        + "WHERE t.conversation_id = p.conversation_id AND t.expires_at > " + NOW + ")")
                .bind("user", scope.userId()).bind("group", scope.groupKey()).findOne(RowMapper.STRING).orElse(null);
        if (conversationId != null) {
            if (conversationId.equals(pending)) {
                return new Claim(conversationId, true, enqueue(sql, conversationId));
            }
            boolean inScope = sql.query("SELECT COUNT(*) FROM conversations WHERE id = :id AND user_id = :user AND group_id = :group")
                    .bind("id", conversationId).bind("user", scope.userId()).bind("group", scope.groupKey()).one(RowMapper.INT) > 0;
            if (!inScope) {
                throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId + " for this userId and groupId");
            }
            return new Claim(conversationId, false, enqueue(sql, conversationId));
        }
        if (!newConversation) {
            if (pending != null) {
                return new Claim(pending, true, enqueue(sql, pending)); // it will be the scope's newest once committed
            }
            String latest = sql.query("SELECT id FROM conversations WHERE user_id = :user AND group_id = :group "
                    + "ORDER BY updated_at DESC, id DESC LIMIT 1").bind("user", scope.userId()).bind("group", scope.groupKey())
                    .findOne(RowMapper.STRING).orElse(null);
            if (latest != null) {
                return new Claim(latest, false, enqueue(sql, latest));
            }
        }
        String created = ConversationIds.newId();
        sql.update("INSERT INTO pending_conversations (user_id, group_id, conversation_id) VALUES (:user, :group, :id) "
                        + "ON CONFLICT (user_id, group_id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id")
                .bind("user", scope.userId()).bind("group", scope.groupKey()).bind("id", created).execute();
        return new Claim(created, true, enqueue(sql, created));
    }

    /** Takes a ticket at the end of the conversation's queue, unless too many wait already. */
    private long enqueue(Sql sql, String conversationId) {
        int live = sql.query("SELECT COUNT(*) FROM conversation_tickets WHERE conversation_id = :id AND expires_at > " + NOW)
                .bind("id", conversationId).one(RowMapper.INT);
        if (live > maxWaiters) {
            throw busy(conversationId, live, null);
        }
        return sql.query("INSERT INTO conversation_tickets (conversation_id, instance_id, expires_at) "
                        + "VALUES (:id, :instance, " + NOW + " + :lease) RETURNING ticket")
                .bind("id", conversationId).bind("instance", instanceId).bind("lease", lease.toMillis())
                .one(RowMapper.LONG);
    }

    private Lease await(Claim claim, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Semaphore signal = wakeups.register(claim.conversationId());
        boolean owned = false;
        try {
            while (true) {
                int ahead = ahead(claim);
                if (ahead == 0) {
                    owned = true;
                    return lease(claim);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw busy(claim.conversationId(), ahead, maxWait);
                }
                Wakeups.await(signal, Duration.ofNanos(Math.min(left, POLL.toNanos())));
            }
        } finally {
            wakeups.forget(claim.conversationId(), signal);
            if (!owned) {
                release(claim);
            }
        }
    }

    /**
     * How many live tickets are ahead of ours (0: we own it). Locks those rows, so it waits for an owner
     * that is committing right now: we never start on history that misses its turn.
     */
    private int ahead(Claim claim) {
        return database.write(sql -> {
            List<Boolean> before = sql.query("SELECT expires_at > " + NOW + " AS live FROM conversation_tickets "
                            + "WHERE conversation_id = :id AND ticket < :ticket ORDER BY ticket FOR UPDATE")
                    .bind("id", claim.conversationId()).bind("ticket", claim.ticket()).list(RowMapper.BOOLEAN);
            return (int) before.stream().filter(live -> live).count();
        });
    }

    private Lease lease(Claim claim) {
        return new Lease() {
            private boolean closed;

            @Override
            public void verify(Sql transaction) {
                boolean live = transaction.query("SELECT expires_at > " + NOW + " FROM conversation_tickets "
                                + "WHERE ticket = :ticket FOR UPDATE")
                        .bind("ticket", claim.ticket())
                        .findOne(RowMapper.BOOLEAN).orElse(false);
                if (!live) {
                    throw new ApiException(ErrorCode.CONVERSATION_BUSY, "This turn lost its hold on conversation "
                            + claim.conversationId() + " (its lease expired); nothing was saved, send it again", null, 1);
                }
                // The commit creates the conversation if it was pending: it is pending no more.
                transaction.update("DELETE FROM pending_conversations WHERE conversation_id = :id")
                        .bind("id", claim.conversationId())
                        .execute();
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    release(claim);
                }
            }
        };
    }

    private void release(Claim claim) {
        try {
            database.update(sql -> {
                sql.update("DELETE FROM conversation_tickets WHERE ticket = :ticket").bind("ticket", claim.ticket()).execute();
                // A failed first turn leaves no pending conversation behind, unless others still queue for it.
                sql.update("DELETE FROM pending_conversations p WHERE p.conversation_id = :id AND NOT EXISTS "
                        + "(SELECT 1 FROM conversation_tickets t WHERE t.conversation_id = :id AND t.expires_at > " + NOW + ")")
                        .bind("id", claim.conversationId()).execute();
                sql.query("SELECT pg_notify(:channel, :id)").bind("channel", Wakeups.CHANNEL)
                        .bind("id", claim.conversationId()).one(RowMapper.STRING);
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not release ticket {} of {}; it expires within {} s", claim.ticket(), claim.conversationId(),
                    lease.toSeconds(), e);
        }
        wakeups.wake(claim.conversationId());
    }

    /** Renews this instance's live tickets; an expired one is never revived, so a successor stays the owner. */
    private void renew() {
        database.update(sql -> {
            sql.update("UPDATE conversation_tickets SET expires_at = " + NOW + " + :lease "
                    + "WHERE instance_id = :instance AND expires_at > " + NOW)
                    .bind("lease", lease.toMillis()).bind("instance", instanceId).execute();
            sql.update("DELETE FROM conversation_tickets WHERE expires_at < " + NOW + " - 60000").execute();
        });
    }

    private static ApiException busy(String conversationId, int ahead, Duration waited) {
        return new ApiException(ErrorCode.CONVERSATION_BUSY, "Conversation " + conversationId + " is busy with " + ahead
                + " earlier request(s)" + (waited == null ? "" : "; waited up to " + waited.toSeconds() + " s"), null,
                waited == null ? 1 : (int) Math.max(1, Math.min(waited.toSeconds(), 30)));
    }

    /** Stops renewing and listening; tickets still held expire within the lease. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        wakeups.close();
    }
}
