package io.chatai.conversation;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides which conversation a turn of one instance belongs to. Pending new conversations live in
 * memory, one per scope, counted by the turns that claim them and forgotten when the last claim closes. Resolution of one scope runs
 * under a striped lock around a short indexed read, so two first messages of a new user end up in one
 * conversation. Thread-safe.
 */
final class SingleNodeConversationResolver {
    private final ConversationRepository conversations;
    private final Map<Scope, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    SingleNodeConversationResolver(ConversationRepository conversations) {
        this.conversations = conversations;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    private final class Pending {
        final Scope scope;
        final String id = ConversationIds.newId();
        int claims; // guarded by the scope's stripe

        Pending(Scope scope) {
            this.scope = scope;
        }

        Target claim() {
            claims++;
            return new Target() {
                private boolean closed;

                public String id() {
                    return id;
                }

                public boolean mayCreate() {
                    return true;
                }

                public void close() {
                    ReentrantLock lock = stripe(scope);
                    lock.lock();
                    try {
                        if (!closed && --claims == 0) {
                            pending.remove(scope, Pending.this);
                        }
                        closed = true;
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }
    }

    /** A turn's claim on its conversation; close it when the turn ends, committed or not. */
    interface Target extends AutoCloseable {
        String id();

        /** True when the conversation may not exist yet, so the commit may create it. */
        boolean mayCreate();

        @Override
        void close();
    }

    /** @throws ApiException {@code CONVERSATION_NOT_FOUND} for an id outside the scope */
    Target resolve(Scope scope, String conversationId, boolean newConversation) {
        ReentrantLock lock = stripe(scope);
        lock.lock();
        try {
            Pending current = pending.get(scope);
            if (conversationId != null) {
                if (current != null && current.id.equals(conversationId)) {
                    return current.claim();
                }
                Conversation stored = conversations.find(conversationId)
                        .filter(c -> c.scope().equals(scope))
                        .orElseThrow(() -> new ApiException(ErrorCode.CONVERSATION_NOT_FOUND,
                                "No conversation " + conversationId + " for this userId and groupId"));
                return existing(stored.id());
            }
            if (!newConversation) {
                if (current != null) {
                    return current.claim(); // it will be the scope's newest once committed
                }
                var latest = conversations.latestId(scope);
                if (latest.isPresent()) {
                    return existing(latest.get());
                }
            }
            Pending created = new Pending(scope);
            pending.put(scope, created);
            return created.claim();
        } finally {
            lock.unlock();
        }
    }

    private static Target existing(String id) {
        return new Target() {
            public String id() {
                return id;
            }

            public boolean mayCreate() {
                return false;
            }

            public void close() {
            }
        };
    }

    private ReentrantLock stripe(Scope scope) {
        return stripes[Math.floorMod(scope.hashCode(), stripes.length)];
    }
}
