package io.chatai.chat;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.observe.AccessLog;
import io.chatai.observe.Metrics;
import io.chatai.core.CallCancelledException;
import io.chatai.ratelimit.ChatLimits;
import io.chatai.core.Cancellation;
import io.chatai.web.ErrorResponses;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.chatai.web.KeepAlives;
import io.chatai.web.SseChannel;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/chat} and {@code POST /api/chat/stream}: the published Chat API. */
public final class ChatRoutes implements HttpService {
    private final TurnService turns;
    private final ChatLimits limits;
    private final Metrics metrics;
    private final int maxMessageChars;
    private final KeepAlives keepAlives;
    private final int maxImages;
    private final long maxBodyBytes;

    public ChatRoutes(TurnService turns, ChatLimits limits, Metrics metrics, int maxMessageChars, int maxImages,
                      long maxBodyBytes, KeepAlives keepAlives) {
        this.maxImages = maxImages;
        this.maxBodyBytes = maxBodyBytes;
        this.turns = turns;
        this.limits = limits;
        this.metrics = metrics;
        this.maxMessageChars = maxMessageChars;
        this.keepAlives = keepAlives;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::chat).post("/stream", this::stream);
    }

    /** Authentication, validation, permission, then the rate limits: a refused request costs no token. */
    private ChatRequest accept(ServerRequest req, ServerResponse res, Caller caller, boolean streaming) {
        ChatRequest chat = ChatRequest.parse(Requests.json(req), maxMessageChars, maxImages);
        if (streaming && !chat.reply()) {
            throw ApiException.invalid("reply: false has nothing to stream; send it to POST /api/chat");
        }
        // The listener admits a body as large as the images may make it; without them the body limit stands.
        long length = req.headers().contentLength().orElse(0L);
        long images = chat.images().stream().mapToLong(i -> i.data() != null ? i.data().length() : i.url().length()).sum();
        if (length - images > maxBodyBytes) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is " + length + " bytes, "
                    + images + " of them images; the limit is " + maxBodyBytes + " besides images (CHATAI_MAX_BODY_BYTES)");
        }
        caller.requireMayActAs(chat.userId());
        limits.take(caller, chat.userId(), res::header);
        return chat;
    }

    private void chat(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        ChatRequest chat = accept(req, res, caller, false);
        if (!chat.reply()) {
            Map<String, Object> observed = new LinkedHashMap<>();
            observed.put("status", "observed");
            observed.put("conversationId", turns.observe(chat));
            Responses.ok(res, observed);
            return;
        }
        TurnResult result = turns.chat(chat, caller.keyId(), new Cancellation());
        if (result.channel() != null) {
            AccessLog.channel(result.channel());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", result.isPaused() ? "tool_calls" : "completed");
        if (result.isPaused()) {
            data.put("turnId", result.turnId());
            data.put("pendingToolCalls", PendingCall.of(result.pending()));
        }
        data.put("response", result.response());
        data.put("conversationId", result.conversationId());
        data.put("usage", UsageView.of(result.usage()));
        data.put("model", result.model());
        if (chat.includeReasoning() && result.reasoning() != null && !result.reasoning().isEmpty()) {
            data.put("reasoning", result.reasoning());
        }
        data.put("toolCalls", result.toolCalls());
        Responses.ok(res, data);
    }

    private void stream(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        ChatRequest chat = accept(req, res, caller, true);
        Cancellation cancellation = new Cancellation();
        metrics.streamOpened();
        try (SseChannel sse = new SseChannel(req, res, cancellation, keepAlives, metrics::streamClosed)) {
            SseTurnStream out = new SseTurnStream(sse, chat.toolEvents());
            try {
                AccessLog.channel(turns.stream(chat, caller.keyId(), cancellation, out).channel());
            } catch (CallCancelledException gone) {
                // the client left: the upstream call is already aborted and nothing was committed
            } catch (ApiException e) {
                out.fail(e);
            } catch (RuntimeException e) {
                out.fail(ErrorResponses.toApiException(req, e)); // a bug: logged there with the request id
            }
        }
    }
}
