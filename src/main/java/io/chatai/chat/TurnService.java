package io.chatai.chat;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.conversation.ContextWindow;
import io.chatai.conversation.ConversationLocks;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.Scope;
import io.chatai.conversation.StoredTurn;
import io.chatai.conversation.TurnCommit;
import io.chatai.memory.TurnMemory;
import io.chatai.preset.Preset;
import io.chatai.preset.PresetRepository;
import io.chatai.preset.PromptTemplate;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.provider.DeltaJoiner;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.StreamEvent;
import io.chatai.tokens.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Runs a chat turn, and is the only place that knows the order of its steps: resolve preset and
 * conversation, own the conversation, read history, call the model through the router, commit the turn
 * atomically, release. A failed or abandoned turn commits nothing. Thread-safe; every turn runs on its
 * request's virtual thread.
 */
public final class TurnService {
    private final PresetRepository presets;
    private final ConversationRepository conversations;
    private final ConversationLocks locks;
    private final ModelCalls calls;
    private final TokenCounter tokens;
    private final Clock clock;
    private final String defaultModel;
    private final Duration turnWait;
    private final TurnMemory memory;

    public TurnService(PresetRepository presets, ConversationRepository conversations, ConversationLocks locks,
                       ModelCalls calls, TokenCounter tokens, Clock clock,
                       String defaultModel, Duration turnWait, TurnMemory memory) {
        this.presets = presets;
        this.conversations = conversations;
        this.locks = locks;
        this.calls = calls;
        this.tokens = tokens;
        this.clock = clock;
        this.defaultModel = defaultModel;
        this.turnWait = turnWait;
        this.memory = memory;
    }

    /** A non-streamed turn: the whole answer, committed. */
    public TurnResult chat(ChatRequest request, String keyId, Cancellation cancellation) {
        return run(request, keyId, cancellation, null);
    }

    /** A streamed turn: deltas go to {@code out} as they arrive; {@code end} follows the commit. */
    public TurnResult stream(ChatRequest request, String keyId, Cancellation cancellation, TurnStream out) {
        return run(request, keyId, cancellation, out);
    }

    private TurnResult run(ChatRequest request, String keyId, Cancellation cancellation, TurnStream out) {
        long receivedAt = clock.millis();
        Preset preset = presets.find(request.preset()).orElseThrow(() -> new ApiException(ErrorCode.PRESET_NOT_FOUND,
                "No preset '" + request.preset() + "'"));
        Scope scope = new Scope(request.userId(), request.groupId());
        String model = request.model() != null ? request.model() : preset.model() != null ? preset.model() : defaultModel;
        if (request.requestId() != null) {
            var stored = conversations.findTurn(scope, request.requestId());
            if (stored.isPresent()) {
                return replay(stored.get(), out);
            }
        }
        calls.requireCandidates(model);
        try (ConversationLocks.TurnLease target = locks.beginTurn(scope, request.conversationId(), request.newConversation(),
                turnWait)) {
            // Everything below sees every turn committed before this one: we own the conversation now.
            if (request.requestId() != null) {
                var stored = conversations.findTurn(scope, request.requestId());
                if (stored.isPresent()) {
                    return replay(stored.get(), out);
                }
            }
            // A conversation deleted while this turn waited is refused by the commit (CONVERSATION_NOT_FOUND):
            // no extra read per turn for a race that is rare and costs only the model call.
            String system = memory.systemPrompt(preset, PromptTemplate.render(preset.systemPrompt(), scope.userId(),
                    scope.groupId(), ZonedDateTime.now(clock)), scope.userId(), scope.groupId(), request.message());
            int userTokens = tokens.count(request.message());
            ChatMessage.User userMessage = new ChatMessage.User(List.of(new Part.Text(request.message())), null);
            List<ChatMessage> messages = ContextWindow.build(system, tokens.countRepeated(system),
                    conversations.recentMessages(target.conversationId(), ContextWindow.historyRowsFor(preset.maxContextMessages())),
                    userMessage, userTokens, preset.maxContextMessages(), preset.maxContextTokens());
            ModelRequest modelRequest = new ModelRequest(model, messages, RequestOptions.builder()
                    .temperature(preset.temperature()).topP(preset.topP()).maxTokens(preset.maxTokens()).build());

            CallContext context = new CallContext(out == null ? "chat" : "chat_stream", keyId, scope.userId(),
                    scope.groupId(), target.conversationId());
            ModelCalls.Result answer = out == null
                    ? calls.complete(modelRequest, context, cancellation)
                    : streamInto(out, target.conversationId(), modelRequest, context, cancellation);
            if (cancellation.isCancelled()) {
                throw new CallCancelledException("client left before the turn was committed");
            }
            Completion completion = answer.completion();
            // The Chat API answers with the text parts only; reasoning and tool calls are stored with the
            // turn (history needs them) but never reach its response or its stream.
            String text = completion.text();
            conversations.commit(new TurnCommit(target.conversationId(), scope, preset.id(), target.mayCreate(),
                    userMessage, userTokens, receivedAt, completion.message(), tokens.count(text),
                    clock.millis(), request.requestId(), model, answer.usage()), target::verify);
            memory.committed(preset, model, keyId, scope.userId(), scope.groupId(), null, target.conversationId(),
                    request.message(), text, receivedAt);
            TurnResult result = new TurnResult(target.conversationId(), text, model, answer.usage(), answer.channel().name());
            if (out != null) {
                out.end(answer.usage());
            }
            return result;
        }
    }

    private ModelCalls.Result streamInto(TurnStream out, String conversationId, ModelRequest modelRequest,
                                         CallContext context, Cancellation cancellation) {
        boolean[] started = {false};
        ModelCalls.Result result = calls.stream(modelRequest, context, cancellation, () -> {
            // A fresh joiner per attempt: a failover only happens while nothing reached the client.
            DeltaJoiner joiner = new DeltaJoiner();
            return event -> {
                if (event instanceof StreamEvent.TextDelta delta) {
                    String ready = joiner.accept(delta.text());
                    if (!ready.isEmpty()) {
                        if (!started[0]) {
                            out.start(conversationId);
                            started[0] = true;
                        }
                        out.content(ready);
                    }
                }
            };
        }, () -> started[0]);
        if (!started[0]) {
            out.start(conversationId); // an empty answer still gets its start before its end
        }
        return result;
    }

    private static TurnResult replay(StoredTurn stored, TurnStream out) {
        if (out != null) {
            out.start(stored.conversationId());
            if (!stored.response().isEmpty()) {
                out.content(stored.response());
            }
            out.end(stored.usage());
        }
        return new TurnResult(stored.conversationId(), stored.response(), stored.model(), stored.usage(), null);
    }
}
