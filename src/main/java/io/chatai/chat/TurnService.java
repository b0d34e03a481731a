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
import io.chatai.provider.DeltaJoiner;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.StreamEvent;
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

    public TurnService(PresetRepository presets, ConversationRepository conversations, ConversationLocks locks,
                       ModelCalls calls, TokenCounter tokens, Clock clock,
                       String defaultModel, Duration turnWait, ImageIntake images, TurnMemory memory) {
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
        // Fetched and checked before the conversation is owned: a slow image host never holds up other turns.
        List<StoredImage> accepted = new ArrayList<>(images.accept(request.images())); // gains captions below
        try (ConversationLocks.TurnLease target = locks.beginTurn(scope, request.conversationId(), request.newConversation(),
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
            system = memory.systemPrompt(preset, system, request.userId(), request.groupId(), request.message());
            int userTokens = tokens.count(speaker == null ? request.message() : speaker.label() + request.message());
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
            ChatMessage.User userMessage = new ChatMessage.User(userParts, null); // stored as sent, the speaker beside it
            List<ChatMessage> messages = ContextWindow.build(system, tokens.countRepeated(system),
                    conversations.recentMessages(target.conversationId(), ContextWindow.historyRowsFor(preset.maxContextMessages())),
                    speaker == null ? userMessage : speaker.attribute(userMessage), userTokens, preset.maxContextMessages(),
                    preset.maxContextTokens());
            CallContext context = new CallContext(out == null ? "chat" : "chat_stream", keyId, request.userId(),
                    request.groupId(), target.conversationId());
            if (hasImages(messages) && !calls.seesImages(model)) {
                messages = captions.describe(messages, accepted, preset, context, cancellation);
            }
            ModelRequest modelRequest = new ModelRequest(model, messages, RequestOptions.builder()
                    .temperature(preset.temperature()).topP(preset.topP()).maxTokens(preset.maxTokens())
                    .reasoning(reasoning(preset.reasoningEffort())).build());

            ModelCalls.Result answer = out == null
                    ? calls.complete(modelRequest, context, cancellation)
                    : streamInto(out, request.reasoningEvents(), target.conversationId(), modelRequest, context, cancellation);
            if (cancellation.isCancelled()) {
                throw new CallCancelledException("client left before the turn was committed");
            }
            Completion completion = answer.completion();
            // The Chat API answers with the text parts only; reasoning (think blocks a model wrote into its text
            // included) and tool calls are stored with the turn but never reach its response or its stream.
            ChatMessage.Assistant reply = ThinkTags.separate(completion.message());
            String text = reply.text();
            conversations.commit(new TurnCommit(target.conversationId(), scope, preset.id(), target.mayCreate(),
                    userMessage, userTokens, receivedAt, reply, tokens.count(text),
                    clock.millis(), request.requestId(), model, answer.usage(), accepted, speaker), target::verify);
            memory.committed(preset, model, keyId, request.userId(), request.groupId(), request.userName(),
                    target.conversationId(), request.message(), text, receivedAt);
            TurnResult result = new TurnResult(target.conversationId(), text, model, answer.usage(), answer.channel().name(),
                    ThinkTags.reasoningOf(reply));
            if (out != null) {
                out.end(answer.usage());
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

    private ModelCalls.Result streamInto(TurnStream out, boolean reasoningEvents, String conversationId,
                                         ModelRequest modelRequest, CallContext context, Cancellation cancellation) {
        boolean[] started = {false};
        ThinkTags[] tags = new ThinkTags[1];
        ModelCalls.Result result = calls.stream(modelRequest, context, cancellation, () -> {
            // A fresh joiner and tag splitter per attempt: a failover only happens while nothing reached the client.
            DeltaJoiner joiner = new DeltaJoiner();
            DeltaJoiner reasoningJoiner = new DeltaJoiner();
            tags[0] = new ThinkTags();
            return event -> {
                switch (event) {
                    case StreamEvent.TextDelta delta -> send(out, conversationId, started, reasoningEvents,
                            tags[0].accept(joiner.accept(delta.text())));
                    case StreamEvent.ReasoningDelta delta when reasoningEvents && delta.text() != null ->
                            send(out, conversationId, started, true,
                                    new ThinkTags.Split("", reasoningJoiner.accept(delta.text())));
                    default -> { }
                }
            };
        }, () -> started[0]);
        if (tags[0] != null) {
            send(out, conversationId, started, reasoningEvents, tags[0].finish()); // a tag that never completed
        }
        if (!started[0]) {
            out.start(conversationId); // an empty answer still gets its start before its end
        }
        return result;
    }

    private static void send(TurnStream out, String conversationId, boolean[] started, boolean reasoningEvents,
                             ThinkTags.Split split) {
        boolean reasoning = reasoningEvents && !split.reasoning().isEmpty();
        if (split.text().isEmpty() && !reasoning) {
            return;
        }
        if (!started[0]) {
            out.start(conversationId);
            started[0] = true;
        }
        if (reasoning) {
            out.reasoning(split.reasoning());
        }
        if (!split.text().isEmpty()) {
            out.content(split.text());
        }
    }

    private static TurnResult replay(StoredTurn stored, TurnStream out) {
        if (out != null) {
            out.start(stored.conversationId());
            if (!stored.response().isEmpty()) {
                out.content(stored.response());
            }
            out.end(stored.usage());
        }
        return new TurnResult(stored.conversationId(), stored.response(), stored.model(), stored.usage(), null, null);
    }
}
