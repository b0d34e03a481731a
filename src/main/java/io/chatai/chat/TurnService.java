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
import io.chatai.preset.Preset;
import io.chatai.preset.PresetRepository;
import io.chatai.preset.PromptTemplate;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.Secrets;
import io.chatai.channel.CallPurpose;
import io.chatai.tool.ToolExecutionRepository;
import io.chatai.tool.ToolExecutor;
import io.chatai.tool.ToolPatterns;
import io.chatai.tool.ToolSet;
import io.chatai.tokens.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import io.chatai.image.ImageIntake;
import io.chatai.image.ImageTokens;
import io.chatai.image.StoredImage;
import java.util.ArrayList;
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
    private final ImageIntake images;
    private final ImageCaptions captions;
    private final ToolExecutor executor;
    private final ToolLoop loop;

    public TurnService(PresetRepository presets, ConversationRepository conversations, ConversationLocks locks,
                       ModelCalls calls, TokenCounter tokens, Clock clock, String defaultModel, Duration turnWait,
                       ImageIntake images, ToolExecutor executor, ToolExecutionRepository executions) {
        this.images = images;
        this.captions = new ImageCaptions(calls, conversations);
        this.presets = presets;
        this.conversations = conversations;
        this.locks = locks;
        this.calls = calls;
        this.tokens = tokens;
        this.clock = clock;
        this.defaultModel = defaultModel;
        this.turnWait = turnWait;
        this.executor = executor;
        this.loop = new ToolLoop(calls, new ToolRound(executions, clock));
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
        ToolSet tools = toolsFor(preset, request); // a refused tools list costs no wait for the conversation
        // Fetched and checked before the conversation is owned: a slow image host never holds up other turns.
        List<StoredImage> accepted = new ArrayList<>(images.accept(request.images())); // gains captions below
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
            String system = PromptTemplate.render(preset.systemPrompt(), scope.userId(), scope.groupId(),
                    ZonedDateTime.now(clock));
            int userTokens = tokens.count(request.message());
            List<Part> userParts = new ArrayList<>(accepted.size() + 1);
            if (!request.message().isEmpty()) {
                userParts.add(new Part.Text(request.message()));
            }
            // Each provider counts a picture its own way; the turn may land on any channel serving the model.
            var imageProviders = accepted.isEmpty() ? java.util.Set.<String>of() : calls.imageProviderTypes(model);
            for (StoredImage image : accepted) {
                userParts.add(image.part());
                userTokens += ImageTokens.estimate(imageProviders, image.width(), image.height());
            }
            ChatMessage.User userMessage = new ChatMessage.User(userParts, null);
            List<ChatMessage> messages = ContextWindow.build(system, tokens.countRepeated(system),
                    conversations.recentMessages(target.conversationId(), ContextWindow.historyRowsFor(preset.maxContextMessages())),
                    userMessage, userTokens, preset.maxContextMessages(), preset.maxContextTokens());
            String turnId = Secrets.newToken("turn_", 24);
            CallContext context = new CallContext(out == null ? "chat" : "chat_stream", keyId, scope.userId(),
                    scope.groupId(), target.conversationId(), CallPurpose.CHAT, turnId);
            if (hasImages(messages) && !calls.seesImages(model)) {
                messages = captions.describe(messages, accepted, preset, context, cancellation);
            }
            RequestOptions options = RequestOptions.builder()
                    .temperature(preset.temperature()).topP(preset.topP()).maxTokens(preset.maxTokens())
                    .reasoning(reasoning(preset.reasoningEffort())).build();
            TurnOutput output = out == null ? TurnOutput.none()
                    : TurnOutput.streaming(out, target.conversationId(), request.reasoningEvents());
            ToolLoop.Outcome outcome = loop.run(new ToolLoop.Turn(model, messages, options, tools, preset.maxToolRounds(),
                    Preset.REQUIRED.equals(preset.toolChoice()), context), cancellation, output);
            if (cancellation.isCancelled()) {
                throw new CallCancelledException("client left before the turn was committed");
            }
            // The Chat API answers with the text parts only; reasoning and tool calls are stored with the turn
            // (history needs them) and reach its response only when asked for (reasoning) or as toolCalls.
            String text = outcome.text();
            conversations.commit(new TurnCommit(target.conversationId(), scope, preset.id(), target.mayCreate(),
                    userMessage, userTokens, receivedAt, outcome.steps(), outcome.steps().stream().map(this::tokensOf).toList(),
                    outcome.answer(), text, tokens.count(text), clock.millis(), request.requestId(), model,
                    outcome.usage(), accepted), target::verify);
            TurnResult result = new TurnResult(target.conversationId(), text, model, outcome.usage(),
                    outcome.channel().name(), outcome.reasoning(), outcome.toolCalls());
            if (out != null) {
                output.begin();
                out.end(outcome.usage());
            }
            return result;
        }
    }

    private static boolean hasImages(List<ChatMessage> messages) {
        return messages.stream().anyMatch(m -> m.content().stream().anyMatch(Part.Image.class::isInstance));
    }

    /** A preset's {@code reasoningEffort} as the adapters take it: {@code off} is the model's {@code none}. */
    private static ReasoningOptions reasoning(String effort) {
        return effort == null ? null : new ReasoningOptions(effort.equals("off") ? "none" : effort, null, null);
    }

    /** The tools a turn offers: the preset's, narrowed by the request; none when either says none. */
    private ToolSet toolsFor(Preset preset, ChatRequest request) {
        ToolPatterns offered = preset.tools() == null ? ToolPatterns.NONE : ToolPatterns.parse("tools", preset.tools());
        if (request.tools() == null) {
            return offered.isEmpty() ? ToolSet.NONE : executor.tools(offered);
        }
        List<String> outside = offered.outside(request.tools());
        if (!outside.isEmpty()) {
            throw ApiException.invalid("tools may only narrow the preset's tools; preset '" + preset.id()
                    + "' does not offer " + String.join(", ", outside)
                    + (offered.isEmpty() ? " (it offers no tools)" : " (it offers " + String.join(", ", offered.written()) + ")"));
        }
        return request.tools().isEmpty() ? ToolSet.NONE : executor.tools(offered, request.tools());
    }

    /** A tool step's cost in a prompt: its text, and for a call its tool's name and arguments. */
    private int tokensOf(ChatMessage step) {
        int count = tokens.count(step.text());
        if (step instanceof ChatMessage.Assistant assistant) {
            for (Part.ToolCall call : assistant.toolCalls()) {
                count += tokens.count(call.name()) + tokens.count(call.arguments());
            }
        }
        return count;
    }

    private static TurnResult replay(StoredTurn stored, TurnStream out) {
        if (out != null) {
            out.start(stored.conversationId());
            if (!stored.response().isEmpty()) {
                out.content(stored.response());
            }
            out.end(stored.usage());
        }
        return new TurnResult(stored.conversationId(), stored.response(), stored.model(), stored.usage(), null, null,
                List.of());
    }
}
