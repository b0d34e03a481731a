package io.chatai.conversation;

import java.time.Duration;

/**
 * The locks of a single instance (SQLite): in-memory resolution of pending conversations and a fair
 * semaphore per busy conversation. Nothing survives the process, and nothing needs to: a restarted
 * instance has no turn in flight. Thread-safe.
 */
public final class SingleNodeConversationLocks implements ConversationLocks {
    private final SingleNodeConversationResolver resolver;
    private final SingleNodeConversationGate gate;

    public SingleNodeConversationLocks(ConversationRepository conversations, int maxWaiters) {
        this.resolver = new SingleNodeConversationResolver(conversations);
        this.gate = new SingleNodeConversationGate(maxWaiters);
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
        return new TurnLease() {
            public String conversationId() {
                return target.id();
            }

            public boolean mayCreate() {
                return target.mayCreate();
            }

            public void close() {
                lease.close();
                target.close();
            }
        };
    }

    @Override
    public Lease own(String conversationId, Duration maxWait) {
        return gate.acquire(conversationId, maxWait);
    }
}
