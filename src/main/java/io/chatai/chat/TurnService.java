package io.chatai.chat;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.conversation.ContextWindow;
import io.chatai.conversation.ConversationLocks;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.Scope;
import io.chatai.conversation.Speaker;
import io.chatai.conversation.StoredTurn;
import io.chatai.conversation.TurnCommit;
import io.chatai.memory.TurnMemory;
import io.chatai.preset.Preset;
import io.chatai.preset.PresetRepository;
import io.chatai.preset.PromptTemplate;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import io.chatai.core.message.Parts;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.TokenUsage;
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
import java.util.Set;

/**
 * Runs a chat turn, and is the only place that knows the order of its steps: resolve preset and
 * conversation, own the conversation, read history, call the model through the router, commit the turn
 * atomically, release. A failed or abandoned turn commits nothing. Thread-safe; every turn runs on its
 * request's virtual thread.
 */
public final class TurnService {
    /** The one line a group-context turn's system prompt gains, after the preset's own. */
    static final String GROUP_LINE = "This is a group chat with several people; each of their messages starts with "
            + "[name(id)] of its speaker.";
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
    private final TurnMemory memory;
    private final ToolExecutor executor;
    private final ToolLoop loop;
    private final PausedTurns paused;
    private final Duration resultWait;

    public TurnService(PresetRepository presets, ConversationRepository conversations, ConversationLocks locks,
                       ModelCalls calls, TokenCounter tokens, Clock clock, String defaultModel, Duration turnWait,
                       ImageIntake images, TurnMemory memory, ToolExecutor executor, ToolExecutionRepository executions,
                       io.chatai.store.Database database, Duration resultWait) {
        this.paused = new PausedTurns(database);
        this.resultWait = resultWait;
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
        this.memory = memory;
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

    /**
     * Records a group message the bot saw but was not addressed by ({@code reply: false}): no model call, no
     * usage; the next turn of the group's conversation sends it as history. Serialized with the turns.
     *
     * @return the id of the group's conversation
     */
    public String observe(ChatRequest request) {
        long receivedAt = clock.millis();
        Preset preset = preset(request);
        if (!preset.sharesGroupConversation()) {
            throw ApiException.invalid("reply: false needs a preset with context \"group\" (one shared conversation per "
                    + "group); preset '" + preset.id() + "' keeps per-user conversations");
        }
        Scope scope = Scope.group(request.groupId());
        Scope requester = new Scope(request.userId(), request.groupId());
        Speaker speaker = new Speaker(request.userId(), request.userName());
        if (request.requestId() != null) {
            var stored = conversations.findTurn(requester, request.requestId());
            if (stored.isPresent()) {
                return stored.get().conversationId();
            }
        }
        try (ConversationLocks.TurnLease target = locks.beginTurn(scope, request.conversationId(), request.newConversation(),
                turnWait)) {
            if (request.requestId() != null) {
                var stored = conversations.findTurn(requester, request.requestId());
                if (stored.isPresent()) {
                    return stored.get().conversationId();
                }
            }
            conversations.observe(new ConversationRepository.Observation(target.conversationId(), scope, preset.id(),
                    target.mayCreate(), request.message(), tokens.count(speaker.label() + request.message()), receivedAt,
                    speaker, request.requestId()), target::verify);
            return target.conversationId();
        }
    }

    private Preset preset(ChatRequest request) {
        return presets.find(request.preset()).orElseThrow(() -> new ApiException(ErrorCode.PRESET_NOT_FOUND,
                "No preset '" + request.preset() + "'"));
    }

    private TurnResult run(ChatRequest request, String keyId, Cancellation cancellation, TurnStream out) {
        if (request.turnId() != null) {
            return resume(request, keyId, cancellation, out);
        }
        long receivedAt = clock.millis();
        Preset preset = preset(request);
        // A group-context preset shares one conversation among a group's members; private chats stay per user.
        boolean shared = preset.sharesGroupConversation() && request.groupId() != null;
        Scope scope = shared ? Scope.group(request.groupId()) : new Scope(request.userId(), request.groupId());
        Scope requester = new Scope(request.userId(), request.groupId()); // whose idempotency records
        Speaker speaker = shared ? new Speaker(request.userId(), request.userName()) : null;
        String model = request.model() != null ? request.model() : preset.model() != null ? preset.model() : defaultModel;
        if (request.requestId() != null) {
            var stored = conversations.findTurn(requester, request.requestId());
            if (stored.isPresent()) {
                return replay(stored.get(), out);
            }
        }
        calls.requireCandidates(model);
        ToolSet tools = toolsFor(preset, request); // a refused tools list costs no wait for the conversation
        for (var own : request.clientTools()) {
            if (tools.definitions().stream().anyMatch(t -> t.modelName().equals(own.name()))) {
                throw ApiException.invalid("clientTools declares '" + own.name() + "', the name of one of the turn's "
                        + "server tools; give the bot's tool another name");
            }
        }
        // Fetched and checked before the conversation is owned: a slow image host never holds up other turns.
        List<StoredImage> accepted = new ArrayList<>(images.accept(request.images())); // gains captions below
        // The message's embedding for memory (if any) starts now and runs while the turn waits for its
        // conversation and reads its history; the prompt waits for it below.
        try (TurnMemory.Recall recall = memory.begin(preset, request.userId(), request.groupId(), request.message(), cancellation);
             ConversationLocks.TurnLease target = locks.beginTurn(scope, request.conversationId(), request.newConversation(),
                turnWait)) {
            // Everything below sees every turn committed before this one: we own the conversation now.
            if (request.requestId() != null) {
                var stored = conversations.findTurn(requester, request.requestId());
                if (stored.isPresent()) {
                    return replay(stored.get(), out);
                }
            }
            // A conversation deleted while this turn waited is refused by the commit (CONVERSATION_NOT_FOUND):
            // no extra read per turn for a race that is rare and costs only the model call.
            String system = PromptTemplate.render(preset.systemPrompt(), request.userId(), request.groupId(),
                    ZonedDateTime.now(clock));
            if (shared) {
                system = system.isEmpty() ? GROUP_LINE : system + "\n" + GROUP_LINE;
            }
            int userTokens = tokens.count(speaker == null ? request.message() : speaker.label() + request.message());
            List<Part> userParts = new ArrayList<>(accepted.size() + 1);
            if (!request.message().isEmpty()) {
                userParts.add(new Part.Text(request.message()));
            }
            // Each provider counts a picture its own way; the turn may land on any channel serving the model.
            Set<String> imageProviders = accepted.isEmpty() ? Set.of() : calls.imageProviderTypes(model);
            for (StoredImage image : accepted) {
                userParts.add(image.part());
                userTokens += ImageTokens.estimate(imageProviders, image.width(), image.height());
            }
            ChatMessage.User userMessage = new ChatMessage.User(userParts, null); // stored as sent, the speaker beside it
            // The history is read while the message's embedding for memory may still run; only now the prompt waits for it.
            var history = conversations.recentMessages(target.conversationId(),
                    ContextWindow.historyRowsFor(preset.maxContextMessages()));
            system = recall.systemPrompt(system);
            List<ChatMessage> messages = ContextWindow.build(system, tokens.countRepeated(system),
                    history,
                    speaker == null ? userMessage : speaker.attribute(userMessage), userTokens, preset.maxContextMessages(),
                    preset.maxContextTokens());
            String turnId = Secrets.newToken("turn_", 24);
            // The requester, not the scope: a group's shared conversation has no user, its speaker does.
            CallContext context = new CallContext(out == null ? "chat" : "chat_stream", keyId, request.userId(),
                    request.groupId(), target.conversationId(), CallPurpose.CHAT, turnId);
            if (Parts.anyImage(messages) && !calls.seesImages(model)) {
                messages = captions.describe(messages, accepted, preset, context, cancellation);
            }
            RequestOptions options = options(preset);
            TurnOutput output = out == null ? TurnOutput.none()
                    : TurnOutput.streaming(out, target.conversationId(), request.reasoningEvents());
            TurnDraft draft = new TurnDraft(turnId, keyId, request.userId(), request.groupId(), request.userName(),
                    target.conversationId(), scope, speaker, preset.id(), target.mayCreate(), model, request.message(),
                    userTokens, receivedAt, request.requestId(), accepted,
                    request.tools() == null ? null : request.tools().written(), request.clientTools());
            ToolLoop.Turn turn = new ToolLoop.Turn(model, messages, options, tools, preset.maxToolRounds(),
                    Preset.REQUIRED.equals(preset.toolChoice()), context, draft.clientTools());
            return finish(draft, preset, userMessage, loop.run(turn, cancellation, output), target, cancellation, output, out);
        }
    }

    /**
     * Continues a paused turn with the bot's results. Refusals (unknown turn, another owner, a pending call left
     * unanswered) leave it paused; once claimed, it ends as any turn: committed, paused again, or failed and gone.
     */
    private TurnResult resume(ChatRequest request, String keyId, Cancellation cancellation, TurnStream out) {
        PausedTurns.Stored stored = paused.find(request.turnId())
                .filter(turn -> turn.draft().keyId().equals(keyId) && turn.draft().userId().equals(request.userId()))
                .filter(turn -> turn.expiresAt() > clock.millis())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No paused turn " + request.turnId()
                        + " for this key and userId (it may have expired after " + resultWait.toSeconds() + " s)"));
        TurnDraft draft = stored.draft();
        if (!draft.conversationId().equals(request.conversationId())
                || !java.util.Objects.equals(draft.groupId(), request.groupId())) {
            throw ApiException.invalid("Turn " + request.turnId() + " belongs to conversation " + draft.conversationId()
                    + " and groupId " + draft.groupId() + "; send those");
        }
        java.util.Map<String, ChatMessage.Tool> answers = new java.util.HashMap<>();
        List<String> pendingIds = stored.paused().pending().stream().map(ToolCallView::id).toList();
        for (ClientTools.Result result : request.toolResults()) {
            if (!pendingIds.contains(result.id())) {
                throw ApiException.invalid("toolResults answers '" + result.id() + "', which turn " + request.turnId()
                        + " does not wait for; it waits for " + pendingIds);
            }
            String name = stored.paused().pending().stream().filter(v -> v.id().equals(result.id())).findFirst()
                    .orElseThrow().name();
            answers.put(result.id(), new ChatMessage.Tool(result.id(), name, List.of(new Part.Text(result.result())),
                    result.isError()));
        }
        List<String> missing = pendingIds.stream().filter(id -> !answers.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw ApiException.invalid("toolResults must answer every pending call; missing " + missing);
        }
        if (!paused.take(draft.turnId(), clock.millis())) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No paused turn " + request.turnId()
                    + " (it expired or was continued meanwhile)");
        }
        Preset preset = presets.find(draft.presetId()).orElseThrow(() -> new ApiException(ErrorCode.PRESET_NOT_FOUND,
                "Preset '" + draft.presetId() + "' of this turn was deleted while it was paused; nothing was saved"));
        try (ConversationLocks.TurnLease target = locks.resume(stored.lockToken(), draft.conversationId(), draft.mayCreate())) {
            ToolSet tools = draft.toolPatterns() == null
                    ? toolsFor(preset, request)
                    : toolsFor(preset, new ChatRequest("", request.userId(), request.groupId(), preset.id(), null, false,
                    null, null, List.of(), false, false, null, true, ToolPatterns.parse("tools", draft.toolPatterns()),
                    false, List.of(), null, null));
            CallContext context = new CallContext(out == null ? "chat" : "chat_stream", keyId, draft.userId(),
                    draft.groupId(), draft.conversationId(), CallPurpose.CHAT, draft.turnId());
            TurnOutput output = out == null ? TurnOutput.none()
                    : TurnOutput.streaming(out, draft.conversationId(), request.reasoningEvents());
            ToolLoop.Turn turn = new ToolLoop.Turn(draft.model(), List.of(), options(preset), tools, preset.maxToolRounds(),
                    Preset.REQUIRED.equals(preset.toolChoice()), context, draft.clientTools());
            return finish(draft, preset, stored.userMessage(), loop.resume(turn, stored.paused(), answers, cancellation, output),
                    target, cancellation, output, out);
        }
    }

    private static RequestOptions options(Preset preset) {
        return RequestOptions.builder()
                .temperature(preset.temperature()).topP(preset.topP()).maxTokens(preset.maxTokens())
                .reasoning(reasoning(preset.reasoningEffort())).build();
    }

    /** Commits a turn that answered, or keeps a paused one (its hold on the conversation and its state). */
    private TurnResult finish(TurnDraft draft, Preset preset, ChatMessage.User userMessage, ToolLoop.Result result,
                              ConversationLocks.TurnLease target, Cancellation cancellation, TurnOutput output,
                              TurnStream out) {
        if (cancellation.isCancelled()) {
            throw new CallCancelledException("client left before the turn was committed");
        }
        return switch (result) {
            case ToolLoop.Paused pause -> pause(draft, userMessage, pause, target, output, out);
            case ToolLoop.Outcome outcome -> commit(draft, preset, userMessage, outcome, target, output, out);
        };
    }

    private TurnResult pause(TurnDraft draft, ChatMessage.User userMessage, ToolLoop.Paused pause,
                             ConversationLocks.TurnLease target, TurnOutput output, TurnStream out) {
        // The hold outlives the request by a margin, so the row (claimed first) always expires before it does.
        String token = target.hold(resultWait.plusSeconds(5));
        try {
            paused.save(new PausedTurns.Stored(draft, userMessage, pause, token, clock.millis() + resultWait.toMillis()));
        } catch (RuntimeException e) {
            locks.abandon(token, draft.conversationId());
            throw e;
        }
        TokenUsage usage = pause.progress().usage();
        if (out != null) {
            output.begin();
            out.paused(draft.turnId(), pause.pending(), usage);
        }
        return TurnResult.paused(draft.conversationId(), pause.progress().text(), draft.model(), usage, draft.turnId(),
                pause.progress().views(), pause.pending());
    }

    private TurnResult commit(TurnDraft draft, Preset preset, ChatMessage.User userMessage, ToolLoop.Outcome outcome,
                              ConversationLocks.TurnLease target, TurnOutput output, TurnStream out) {
        // The Chat API answers with the text parts only; reasoning and tool calls are stored with the turn
        // (history needs them) and reach its response only when asked for (reasoning) or as toolCalls.
        String text = outcome.text();
        conversations.commit(new TurnCommit(target.conversationId(), draft.scope(), preset.id(), target.mayCreate(),
                userMessage, draft.userTokens(), draft.receivedAt(), outcome.steps(),
                outcome.steps().stream().map(this::tokensOf).toList(), outcome.answer(), text, tokens.count(text),
                clock.millis(), draft.requestId(), draft.model(), outcome.usage(), draft.images(), draft.speaker()),
                target::verify);
        memory.committed(preset, draft.model(), draft.keyId(), draft.userId(), draft.groupId(), draft.userName(),
                target.conversationId(), draft.message(), text, draft.receivedAt());
        TurnResult result = new TurnResult(target.conversationId(), text, draft.model(), outcome.usage(),
                outcome.channel().name(), outcome.reasoning(), outcome.toolCalls());
        if (out != null) {
            output.begin();
            out.end(outcome.usage());
        }
        return result;
    }

    /** Lets go of paused turns that got no results in time: they commit nothing and free their conversation. */
    public void start(io.chatai.core.Background background) {
        background.every("paused-turn-expiry", java.time.Duration.ofSeconds(1), () -> {
            for (String[] expired : paused.expire(clock.millis())) {
                locks.abandon(expired[2], expired[1]);
            }
        });
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
