package io.chatai.embedding;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.core.Cancellation;
import io.chatai.observe.AccessLog;
import io.chatai.ratelimit.ChatLimits;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API with the keys, per-key and per-user limits
 * ({@code user}) and usage records of chat completions, routed by {@link EmbeddingCalls}; errors in
 * OpenAI's shape like every {@code /v1} route.
 */
public final class EmbeddingRoutes implements HttpService {
    private final EmbeddingCalls calls;
    private final ChatLimits limits;

    public EmbeddingRoutes(EmbeddingCalls calls, ChatLimits limits) {
        this.calls = calls;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/embeddings", this::embeddings);
    }

    private void embeddings(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        EmbeddingRequest request = EmbeddingRequest.parse(Requests.json(req));
        String user = request.user();
        if (user != null) {
            caller.requireMayActAs(user);
        } else {
            user = caller.boundUserId();
        }
        limits.take(caller, user, res::header);
        CallContext context = new CallContext("v1", caller.keyId(), user, null, null, CallPurpose.EMBEDDING);
        EmbeddingCalls.Result result = calls.embed(request, context, new Cancellation());
        AccessLog.channel(req, result.channel());
        Responses.send(res, 200, EmbeddingFormat.body(request, result));
    }
}
