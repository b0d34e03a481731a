package io.chatai.gateway;

import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.ratelimit.ChatLimits;
import java.util.function.BiConsumer;

/**
 * What every OpenAI-compatible call does before it is routed, the same for chat completions and
 * embeddings: the OpenAI {@code user} it names is one the caller may act for (a key bound to a user may
 * name only that user, and without a name the call counts for it), and the key and that user each take
 * a token of the chat limits. Thread-safe.
 */
public final class V1Admission {
    private final ChatLimits limits;

    public V1Admission(ChatLimits limits) {
        this.limits = limits;
    }

    /**
     * The context of an admitted call, usage records included.
     *
     * @param user    the request's {@code user}, or null
     * @param headers receives the rate-limit headers (name, value), also when the call is refused
     * @throws io.chatai.core.ApiException 403 for a user the key is not bound to, 429 with {@code Retry-After}
     */
    public CallContext admit(Caller caller, String user, CallPurpose purpose, BiConsumer<String, String> headers) {
        if (user != null) {
            caller.requireMayActAs(user);
        } else {
            user = caller.boundUserId();
        }
        limits.take(caller, user, headers);
        return new CallContext("v1", caller.keyId(), user, null, null, purpose);
    }
}
