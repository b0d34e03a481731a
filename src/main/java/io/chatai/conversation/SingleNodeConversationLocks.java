package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.Background;
import io.chatai.core.ErrorCode;
import io.chatai.core.Secrets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks of a single instance (SQLite): in-memory resolution of pending conversations and a fair
 * semaphore per busy conversation. A paused turn's hold stays in a map until it is resumed, abandoned or
 * expires (a sweep every second lets it go). Nothing survives the process, and nothing needs to: a restarted
 * instance has no turn in flight. Thread-safe.
 */
public final class SingleNodeConversationLocks implements ConversationLocks {
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private final SingleNodeConversationResolver resolver;
    private final SingleNodeConversationGate gate;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(Turn turn, long expiresAtNanos) { }

    public SingleNodeConversationLocks(ConversationRepository conversations, int maxWaiters) {
        this.resolver = new SingleNodeConversationResolver(conversations);
        this.gate = new SingleNodeConversationGate(maxWaiters);
    }

    /** Lets go of paused turns' holds once they expire. */
    public void start(Background background) {
        background.every("paused-turn-holds", SWEEP, this::sweep);
    }

    @Override
    public TurnLease beginTurn(Scope scope, String conversationId, boolean newConversation, Duration maxWait) {
        SingleNodeConversationResolver.Target target = resolver.resolve(scope, conversationId, newConversation);
        Lease lease;
        try {
            lease = gate.acquire(target.id(), maxWait);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return new Turn(target, lease);
    }

    @Override
    public TurnLease resume(String token, String conversationId, boolean mayCreate) {
        Held hold = held.remove(token);
        if (hold == null || System.nanoTime() - hold.expiresAtNanos() > 0) {
            if (hold != null) {
                hold.turn().release();
            }
            throw new ApiException(ErrorCode.CONVERSATION_BUSY, "This paused turn no longer holds conversation "
                    + conversationId + " (it expired); nothing was saved, send the message again", null, 1);
        }
        return new Turn(hold.turn().target, hold.turn().lease);
    }

    @Override
    public void abandon(String token, String conversationId) {
        Held hold = held.remove(token);
        if (hold != null) {
            hold.turn().release();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        held.forEach((token, hold) -> {
            if (now - hold.expiresAtNanos() > 0 && held.remove(token, hold)) {
                hold.turn().release();
            }
        });
    }

    @Override
    public Lease own(String conversationId, Duration maxWait) {
        return gate.acquire(conversationId, maxWait);
    }

    /** One turn's ownership; after {@link #hold} its close leaves the release to the map. */
    private final class Turn implements TurnLease {
        private final SingleNodeConversationResolver.Target target;
        private final Lease lease;
        private boolean kept;

        Turn(SingleNodeConversationResolver.Target target, Lease lease) {
            this.target = target;
            this.lease = lease;
        }

        public String conversationId() {
            return target.id();
        }

        public boolean mayCreate() {
            return target.mayCreate();
        }

        public synchronized String hold(Duration ttl) {
            kept = true;
            String token = Secrets.newToken("hold_", 16);
            held.put(token, new Held(this, System.nanoTime() + ttl.toNanos()));
            return token;
        }

        public synchronized void close() {
            if (!kept) {
                release();
            }
        }

        void release() {
            lease.close();
            target.close();
        }
    }
}
