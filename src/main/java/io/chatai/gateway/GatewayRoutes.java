package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.channel.ModelCalls;
import io.chatai.observe.AccessLog;
import io.chatai.observe.Metrics;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.provider.RawRelay;
import io.chatai.web.ErrorResponses;
import io.chatai.web.OpenAiError;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.chatai.web.KeepAlives;
import io.chatai.web.SseChannel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/chat/completions}, {@code GET /v1/models} and {@code GET /v1/models/{id}}: OpenAI-compatible
 * and stateless (no preset, no history), routed through the same channels, failover, keys and limits as the
 * Chat API. An {@code openai}-type channel gets the caller's body unchanged but for {@code model} and returns
 * its answer with every field ({@link RawRelay}); other channels get the request translated through the rich
 * model and their answer is written back in OpenAI's format. Errors in OpenAI's shape ({@link GatewayErrors}).
 */
public final class GatewayRoutes implements HttpService {
    private final ModelCalls calls;
    private final V1Admission admission;
    private final ModelDirectory models;
    private final Metrics metrics;
    private final Clock clock;
    private final KeepAlives keepAlives;

    public GatewayRoutes(ModelCalls calls, V1Admission admission, ModelDirectory models, Metrics metrics, Clock clock,
                         KeepAlives keepAlives) {
        this.calls = calls;
        this.admission = admission;
        this.models = models;
        this.metrics = metrics;
        this.clock = clock;
        this.keepAlives = keepAlives;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/completions", this::completions)
                .get("/models", this::models)
                .get("/models/*", this::model);
    }

    private void models(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req);
        Responses.send(res, 200, Map.of("object", "list", "data", models.reachable().stream().map(ModelDirectory::view).toList()));
    }

    /** One model, by the rest of the path: ids such as {@code meta-llama/Llama-3-8B} hold slashes. */
    private void model(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req);
        String raw = req.path().rawPath();
        String id = URLDecoder.decode(raw.substring(raw.indexOf("/models/") + "/models/".length()), StandardCharsets.UTF_8);
        if (!models.serves(id)) {
            throw new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                    "The model '" + id + "' does not exist or no channel serves it");
        }
        Responses.send(res, 200, ModelDirectory.view(id));
    }

    private void completions(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        Requests.JsonText body = Requests.jsonText(req);
        CompletionRequest request = CompletionRequest.parse(body.text(), body.body().node());
        CallContext context = admission.admit(caller, request.user(), CallPurpose.CHAT, res::header);
        String id = "chatcmpl-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36); // distinct, not secret
        long created = clock.millis() / 1000;
        String model = request.model().model();
        RawRelay.Request raw = new RawRelay.Request(request.body(), request.stream(), request.includeUsage());
        if (!request.stream()) {
            ModelCalls.Result result = V1Calls.relay(calls, request.model(), raw, request.relayOnly(), context, model);
            AccessLog.channel(result.channel().name());
            if (result.body() != null) {
                Responses.sendJson(res, result.body());
                return;
            }
            Responses.send(res, 200, OpenAiFormat.completion(id, created, model, result.completion()));
            return;
        }
        Cancellation cancellation = new Cancellation();
        metrics.streamOpened();
        try (SseChannel sse = new SseChannel(req, res, cancellation, keepAlives, metrics::streamClosed)) {
            OpenAiStream stream = new OpenAiStream(sse, id, created, model);
            try {
                ModelCalls.Result result = calls.relay(request.model(), raw, request.relayOnly(), context, cancellation,
                        stream::sinkForAttempt, stream::started);
                AccessLog.channel(result.channel().name());
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
