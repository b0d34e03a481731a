package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.observe.AccessLog;
import io.chatai.observe.Metrics;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.ratelimit.ChatLimits;
import io.chatai.web.ErrorResponses;
import io.chatai.core.JsonBody;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.chatai.web.KeepAlives;
import io.chatai.web.SseChannel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/chat/completions} and {@code GET /v1/models}: OpenAI-compatible and stateless (no
 * preset, no history), routed through the same channels, failover, keys and limits as the Chat API,
 * answered in OpenAI's format whichever provider served the call, errors included ({@link GatewayErrors}).
 */
public final class GatewayRoutes implements HttpService {
    private final ModelCalls calls;
    private final ChatLimits limits;
    private final ModelDirectory models;
    private final Metrics metrics;
    private final Clock clock;
    private final KeepAlives keepAlives;

    public GatewayRoutes(ModelCalls calls, ChatLimits limits, ModelDirectory models, Metrics metrics, Clock clock,
                         KeepAlives keepAlives) {
        this.calls = calls;
        this.limits = limits;
        this.models = models;
        this.metrics = metrics;
        this.clock = clock;
        this.keepAlives = keepAlives;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/completions", this::completions).get("/models", this::models);
    }

    private void models(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req);
        Responses.send(res, 200, Map.of("object", "list", "data", models.reachable().stream()
                .map(id -> Map.of("id", id, "object", "model", "created", 0, "owned_by", "chatai"))
                .toList()));
    }

    private void completions(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        JsonBody body = Requests.json(req);
        CompletionRequest request = CompletionRequest.parse(body, body.node());
        String user = request.user();
        if (user != null) {
            caller.requireMayActAs(user);
        } else {
            user = caller.boundUserId();
        }
        limits.take(caller, user, res::header);
        CallContext context = new CallContext("v1", caller.keyId(), user, null, null);
        String id = "chatcmpl-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36); // distinct, not secret
        long created = clock.millis() / 1000;
        String model = request.model().model();
        if (!request.stream()) {
            ModelCalls.Result result;
            try {
                result = calls.complete(request.model(), context, new Cancellation());
            } catch (ApiException e) {
                throw GatewayErrors.translate(e, model);
            }
            AccessLog.channel(req, result.channel().name());
            Completion completion = result.completion();
            Responses.send(res, 200, OpenAiFormat.completion(id, created, model, completion.text(),
                    completion.finishReason(), completion.usage()));
            return;
        }
        Cancellation cancellation = new Cancellation();
        metrics.streamOpened();
        try (SseChannel sse = new SseChannel(req, res, cancellation, keepAlives, metrics::streamClosed)) {
            OpenAiStream stream = new OpenAiStream(sse, id, created, model);
            try {
                ModelCalls.Result result = calls.stream(request.model(), context, cancellation, stream::sinkForAttempt,
                        stream::started);
                AccessLog.channel(req, result.channel().name());
                stream.finish(result.completion(), request.includeUsage());
            } catch (CallCancelledException gone) {
                // the client left: the upstream call is already aborted
            } catch (ApiException e) {
                stream.fail(GatewayErrors.translate(e, model));
            } catch (RuntimeException e) {
                stream.fail(ErrorResponses.toApiException(req, e));
            }
        }
    }
}
