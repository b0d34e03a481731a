package io.chatai.gateway;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.channel.CallContext;
import io.chatai.channel.CallPurpose;
import io.chatai.channel.ChannelRouter;
import io.chatai.channel.ModelCalls;
import io.chatai.channel.RoutingException;
import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.Secrets;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Parts;
import io.chatai.core.message.ToolSpec;
import io.chatai.observe.AccessLog;
import io.chatai.observe.Metrics;
import io.chatai.provider.InputTokenCounting;
import io.chatai.provider.RawRelay;
import io.chatai.tokens.TokenCounter;
import io.chatai.web.ErrorResponses;
import io.chatai.web.KeepAlives;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.chatai.web.SseChannel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, Anthropic's Messages API, stateless
 * and routed like {@code /v1/chat/completions} (same admission, limits, budgets, usage and failover). An
 * {@code anthropic} channel gets the caller's body unchanged but for {@code model}, with the caller's
 * {@code anthropic-version} and {@code anthropic-beta}, and its answer comes back as sent; other channels get
 * the request translated through the rich model and their answer in Anthropic's shape and event order.
 * Errors in Anthropic's shape ({@link io.chatai.web.AnthropicErrors}).
 */
public final class AnthropicFrontRoutes implements HttpService {
    private final ModelCalls calls;
    private final ChannelRouter router;
    private final V1Admission admission;
    private final TokenCounter tokens;
    private final Metrics metrics;
    private final KeepAlives keepAlives;

    public AnthropicFrontRoutes(ModelCalls calls, ChannelRouter router, V1Admission admission, TokenCounter tokens,
                                Metrics metrics, KeepAlives keepAlives) {
        this.calls = calls;
        this.router = router;
        this.admission = admission;
        this.tokens = tokens;
        this.metrics = metrics;
        this.keepAlives = keepAlives;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/messages", this::messages)
                .post("/messages/count_tokens", this::countTokens);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        Requests.JsonText body = Requests.jsonText(req);
        AnthropicFrontRequest request = AnthropicFrontRequest.parse(body.text(), body.body().node(), false);
        CallContext context = admission.admit(caller, request.user(), CallPurpose.CHAT, res::header);
        String id = Secrets.newToken("msg_", 24); // distinct, not secret
        String model = request.model().model();
        RawRelay.Request raw = new RawRelay.Request(request.body(), request.stream(), false, RawRelay.Api.MESSAGES, null,
                anthropicHeaders(req));
        if (!request.stream()) {
            ModelCalls.Result result = V1Calls.relay(calls, request.model(), raw, request.relayOnly(), context, model);
            AccessLog.channel(result.channel().name());
            if (result.body() != null) {
                Responses.sendJson(res, result.body());
                return;
            }
            Responses.send(res, 200, AnthropicFrontFormat.message(id, model, result.completion()));
            return;
        }
        Cancellation cancellation = new Cancellation();
        metrics.streamOpened();
        try (SseChannel sse = new SseChannel(req, res, cancellation, keepAlives, metrics::streamClosed)) {
            AnthropicFrontStream stream = new AnthropicFrontStream(sse, id, model, promptTokens(request.model()));
            try {
                ModelCalls.Result result = calls.relay(request.model(), raw, request.relayOnly(), context, cancellation,
                        stream::sinkForAttempt, stream::started);
                AccessLog.channel(result.channel().name());
                stream.finish(result.completion());
            } catch (CallCancelledException gone) {
                // the client left: the upstream call is already aborted
            } catch (ApiException e) {
                stream.fail(GatewayErrors.translate(e, model));
            } catch (RuntimeException e) {
                stream.fail(ErrorResponses.toApiException(req, e));
            }
        }
    }

    /**
     * {@code {"input_tokens": N}} without running a model: the exact count of an Anthropic channel serving the
     * model that offers counting, else this server's tokenizer. Neither limits nor budgets are taken (no model runs).
     */
    private void countTokens(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        Requests.JsonText body = Requests.jsonText(req);
        AnthropicFrontRequest request = AnthropicFrontRequest.parse(body.text(), body.body().node(), true);
        if (request.user() != null) {
            caller.requireMayActAs(request.user());
        }
        String model = request.model().model();
        try {
            calls.requireCandidates(model);
        } catch (ApiException e) {
            throw GatewayErrors.translate(e, model);
        }
        OptionalInt exact = exactCount(model, body.text(), anthropicHeaders(req));
        int count = exact.isPresent() ? exact.getAsInt() : promptTokens(request.model());
        Responses.send(res, 200, Map.of("input_tokens", count));
    }

    /** Asks the Anthropic channels for the model; any failure of theirs falls back to the tokenizer, never to an error. */
    private OptionalInt exactCount(String model, String body, Map<String, String> headers) {
        try {
            return router.route(model, CallPurpose.CHAT, channel -> true,
                    (channel, provider, upstreamModel) -> provider instanceof InputTokenCounting
                            ? java.util.Optional.empty() : java.util.Optional.of("count_tokens"),
                    (channel, provider, upstream, upstreamModel) -> {
                        try {
                            return ((InputTokenCounting) provider).countInputTokens(upstream, body, upstreamModel, headers,
                                    new Cancellation());
                        } catch (RuntimeException e) {
                            return OptionalInt.empty();
                        }
                    }, new Cancellation(), () -> false).result();
        } catch (RoutingException noAnthropicChannel) {
            return OptionalInt.empty();
        }
    }

    /** The prompt as this server's tokenizer counts it: messages, tool calls and results, and the tools offered. */
    private int promptTokens(ModelRequest request) {
        int total = tokens.countPrompt(request.messages());
        for (ChatMessage message : request.messages()) {
            if (message instanceof ChatMessage.Assistant assistant) {
                total += tokens.count(Parts.countedText(assistant.content())) - tokens.count(assistant.text());
            }
        }
        for (ToolSpec tool : request.options().tools()) {
            total += tokens.count(tool.name() + " " + (tool.description() == null ? "" : tool.description()) + " "
                    + (tool.parameters() == null ? "" : Json.writeString(tool.parameters())));
        }
        return total;
    }

    private static Map<String, String> anthropicHeaders(ServerRequest req) {
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {"anthropic-version", "anthropic-beta"}) {
            req.headers().first(io.helidon.http.HeaderNames.create(name)).ifPresent(value -> headers.put(name, value));
        }
        return headers;
    }
}
