package io.chatai.gateway;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.channel.ModelCalls;
import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.observe.AccessLog;
import io.chatai.observe.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.provider.RawRelay;
import io.chatai.web.ErrorResponses;
import io.chatai.web.KeepAlives;
import io.chatai.web.OpenAiError;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.chatai.web.SseChannel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}}: OpenAI's Responses API on
 * every channel type, translated through the rich model, with the same keys, limits, budgets, usage and
 * failover as chat completions ({@link ModelCalls}, {@link V1Admission}, {@link GatewayErrors}). Tools the
 * server cannot run are left out and named in {@code X-ChatAI-Omitted-Tools}. With {@code store} (the
 * default) the response is kept for its key ({@link ResponseStore}) and {@code previous_response_id}
 * continues from it. Errors in OpenAI's shape.
 */
public final class ResponsesRoutes implements HttpService {
    static final String OMITTED_TOOLS = "X-ChatAI-Omitted-Tools";

    private final ModelCalls calls;
    private final V1Admission admission;
    private final ResponseStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final KeepAlives keepAlives;

    public ResponsesRoutes(ModelCalls calls, V1Admission admission, ResponseStore store, Metrics metrics, Clock clock,
                           KeepAlives keepAlives) {
        this.calls = calls;
        this.admission = admission;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.keepAlives = keepAlives;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/responses", this::create)
                .get("/responses/{id}", this::get)
                .delete("/responses/{id}", this::delete);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        String id = req.path().pathParameters().get("id");
        Responses.sendJson(res, store.find(id, caller.keyId()).orElseThrow(() -> notFound(id)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        String id = req.path().pathParameters().get("id");
        if (!store.delete(id, caller.keyId())) {
            throw notFound(id);
        }
        Responses.send(res, 200, Map.of("id", id, "object", "response", "deleted", true));
    }

    private static OpenAiError notFound(String id) {
        return new OpenAiError(404, "invalid_request_error", null, null, "Response with id '" + id + "' not found.");
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        Requests.JsonText body = Requests.jsonText(req);
        ResponsesRequest request = ResponsesRequest.parse(body.text(), body.body().node());
        ResponseStore.Chain chain = request.previousResponseId() == null ? new ResponseStore.Chain(List.of(), null)
                : store.chain(request.previousResponseId(), caller.keyId());
        List<ChatMessage> input = request.input(chain.messages());
        ModelRequest model = request.modelRequest(chain.messages(), input);
        // A continued response passes through only to the upstream that holds the one it continues.
        RawRelay.Request raw = request.previousResponseId() != null && chain.channelId() == null ? null
                : new RawRelay.Request(request.body(), request.stream(), false, RawRelay.Api.RESPONSES, chain.channelId());
        CallContext call = admission.admit(caller, request.user(), CallPurpose.CHAT, res::header);
        String id = ResponsesFormat.id("resp_");
        long createdAt = clock.millis() / 1000;
        Runnable omitted = () -> {
            if (!request.tools().omitted().isEmpty()) {
                res.header(OMITTED_TOOLS, String.join(", ", request.tools().omitted()));
            }
        };
        if (!request.stream()) {
            ModelCalls.Result result = V1Calls.relay(calls, model, raw, null, call, request.model());
            AccessLog.channel(result.channel().name());
            Completion completion = result.completion();
            if (result.body() != null) { // passed through: the upstream's own response
                if (request.store()) {
                    JsonNode relayed = Json.parseObject(result.body());
                    keep(caller, call, request, relayed.path("id").asText(id), result.channel().id(), createdAt, input,
                            completion.message(), result.body());
                }
                Responses.sendJson(res, result.body());
                return;
            }
            omitted.run();
            var output = ResponsesFormat.output(completion, request);
            String status = ResponsesFormat.status(completion.finishReason());
            var response = ResponsesFormat.response(id, createdAt, request, status, output, completion.usage(),
                    completion.finishReason(), null);
            if (request.store() && !keep(caller, call, request, id, null, createdAt, input, completion.message(),
                    Json.writeString(response))) {
                response.put("store", false);
            }
            Responses.send(res, 200, response);
            return;
        }
        Cancellation cancellation = new Cancellation();
        metrics.streamOpened();
        try (SseChannel sse = new SseChannel(req, res, cancellation, keepAlives, metrics::streamClosed)) {
            ResponsesStream stream = new ResponsesStream(sse, id, createdAt, request, omitted);
            try {
                ModelCalls.Result result = calls.relay(model, raw, null, call, cancellation, stream::sinkForAttempt, stream::started);
                AccessLog.channel(result.channel().name());
                Completion completion = result.completion();
                stream.finish(completion);
                if (request.store() && stream.relayedResponse() != null) {
                    JsonNode relayed = stream.relayedResponse();
                    keep(caller, call, request, relayed.path("id").asText(id), result.channel().id(), createdAt, input,
                            completion.message(), Json.writeString(relayed));
                } else if (request.store()) {
                    String status = ResponsesFormat.status(completion.finishReason());
                    var response = ResponsesFormat.response(id, createdAt, request, status, stream.output(),
                            completion.usage(), completion.finishReason(), null);
                    keep(caller, call, request, id, null, createdAt, input, withCallIds(completion.message(), stream.output()),
                            Json.writeString(response));
                }
            } catch (CallCancelledException gone) {
                // the client left: the upstream call is already aborted
            } catch (ApiException e) {
                stream.fail(GatewayErrors.translate(e, request.model()));
            } catch (RuntimeException e) {
                stream.fail(ErrorResponses.toApiException(req, e));
            }
        }
    }

    private boolean keep(Caller caller, CallContext call, ResponsesRequest request, String id, String channelId, long createdAt,
                         List<ChatMessage> input, ChatMessage.Assistant output, String response) {
        return store.save(new ResponseStore.Stored(id, caller.keyId(), call.userId(), request.previousResponseId(), channelId,
                request.model(), createdAt, input, output, response));
    }

    /** The answer with the call ids the stream sent (an upstream without ids got them from the stream). */
    private static ChatMessage.Assistant withCallIds(ChatMessage.Assistant message, List<Map<String, Object>> output) {
        Iterator<String> ids = output.stream().filter(item -> "function_call".equals(item.get("type")))
                .map(item -> (String) item.get("call_id")).iterator();
        List<Part> parts = new ArrayList<>();
        for (Part part : message.content()) {
            if (part instanceof Part.ToolCall c && ids.hasNext()) {
                parts.add(new Part.ToolCall(ids.next(), c.name(), c.arguments(), c.signature()));
            } else {
                parts.add(part);
            }
        }
        return new ChatMessage.Assistant(parts);
    }
}
