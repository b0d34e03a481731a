package io.chatai.embedding;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.core.ApiException;
import io.chatai.core.Cancellation;
import io.chatai.gateway.GatewayErrors;
import io.chatai.gateway.V1Admission;
import io.chatai.observe.AccessLog;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/embeddings}: OpenAI's embeddings API with the keys, per-key and per-user limits
 * ({@code user}, through {@link V1Admission}) and usage records of chat completions, routed by
 * {@link EmbeddingCalls}; errors in OpenAI's shape and statuses like every {@code /v1} route ({@link GatewayErrors}).
 */
public final class EmbeddingRoutes implements HttpService {
    private final EmbeddingCalls calls;
    private final V1Admission admission;

    public EmbeddingRoutes(EmbeddingCalls calls, V1Admission admission) {
        this.calls = calls;
        this.admission = admission;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/embeddings", this::embeddings);
    }

    private void embeddings(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        EmbeddingRequest request = EmbeddingRequest.parse(Requests.json(req));
        CallContext context = admission.admit(caller, request.user(), CallPurpose.EMBEDDING, res::header);
        EmbeddingCalls.Result result;
        try {
            result = calls.embed(request, context, new Cancellation());
        } catch (ApiException e) {
            throw GatewayErrors.translate(e, request.model());
        }
        AccessLog.channel(result.channel());
        Responses.send(res, 200, EmbeddingFormat.body(request, result));
    }
}
