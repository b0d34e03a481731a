package io.chatai.chat;

import io.chatai.channel.CallContext;
import io.chatai.channel.Channel;
import io.chatai.channel.ModelCalls;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.TokenUsage;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import io.chatai.tool.ToolDefinition;
import io.chatai.tool.ToolSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The model and tool rounds of one turn: the model is offered the turn's tools; while it answers with tool calls
 * and rounds are left, the calls run ({@link ToolRound}) and their results go back to it; when the rounds run out,
 * one last call with tool choice {@code none} gives the user an answer. Every model call goes through the router
 * with the turn's context. Each assistant message goes back as the provider produced it, so signed thinking, thought
 * signatures and {@code reasoning_content} return within the turn. Nothing is stored here: the caller commits the
 * {@link Outcome} or, on any failure, nothing. Used by one turn's thread.
 */
final class ToolLoop {
    private final ModelCalls calls;
    private final ToolRound round;

    ToolLoop(ModelCalls calls, ToolRound round) {
        this.calls = calls;
        this.round = round;
    }

    /**
     * What a turn sends, fixed for all its rounds.
     *
     * @param tools     the tools offered (empty: a plain turn, exactly as before tools existed)
     * @param maxRounds rounds of tool calls allowed before the last, tool-less call
     * @param required  the first round must call a tool (the preset's {@code toolChoice: required})
     */
    record Turn(String model, List<ChatMessage> messages, RequestOptions options, ToolSet tools, int maxRounds,
                boolean required, CallContext context, List<ToolSpec> clientTools) {
        Turn {
            clientTools = List.copyOf(clientTools);
        }

        boolean isClientTool(String name) {
            return clientTools.stream().anyMatch(tool -> tool.name().equals(name));
        }
    }

    /** How a turn's loop ended: with an answer, or paused on the bot's own tools. */
    sealed interface Result permits Outcome, Paused {
    }

    /**
     * What the loop has done so far, enough to go on from it (on any instance, once stored).
     *
     * @param messages  everything the next model call sends
     * @param firstStep the index in {@code messages} of the turn's first tool step
     * @param round     the number of the last model call made
     */
    record Progress(List<ChatMessage> messages, int firstStep, List<ToolCallView> views, String text, String reasoning,
                    TokenUsage usage, int round) {
    }

    /**
     * A turn paused because the model called a client tool: the round's server tools already ran.
     *
     * @param step    the assistant message with the round's calls
     * @param ran     the results of the round's server tools
     * @param pending the client tool calls the bot must answer, in the model's order
     */
    record Paused(Progress progress, ChatMessage.Assistant step, List<ChatMessage.Tool> ran,
                  List<ToolCallView> pending) implements Result {
    }

    /**
     * What a turn produced.
     *
     * @param steps     the assistant messages with tool calls and the tool results, in order
     * @param answer    the final assistant message (never holding a tool call)
     * @param text      the text of every assistant message of the turn, joined: what a stream showed
     * @param reasoning the readable reasoning of the turn's assistant messages, joined (empty when none)
     * @param usage     the tokens of all the turn's model calls
     * @param channel   the channel of the last call
     */
    record Outcome(List<ChatMessage> steps, ChatMessage.Assistant answer, String text, String reasoning,
                   List<ToolCallView> toolCalls, TokenUsage usage, Channel channel) implements Result {
    }

    Result run(Turn turn, Cancellation cancellation, TurnOutput out) {
        return run(turn, new Progress(turn.messages(), turn.messages().size(), List.of(), "", "", null, -1), cancellation, out);
    }

    /** Goes on with a paused turn once the bot answered every pending call ({@code answers} by call id). */
    Result resume(Turn turn, Paused paused, java.util.Map<String, ChatMessage.Tool> answers, Cancellation cancellation,
                  TurnOutput out) {
        Progress progress = paused.progress();
        List<ChatMessage> messages = new ArrayList<>(progress.messages());
        List<ToolCallView> views = new ArrayList<>(progress.views());
        messages.add(paused.step());
        for (Part.ToolCall call : paused.step().toolCalls()) {
            ChatMessage.Tool result = paused.ran().stream().filter(tool -> tool.toolCallId().equals(call.id())).findFirst()
                    .orElseGet(() -> answers.get(call.id()));
            messages.add(result);
        }
        for (ToolCallView pending : paused.pending()) {
            ChatMessage.Tool answer = answers.get(pending.id());
            ToolCallView view = pending.finished(answer.text(), answer.isError(), 0);
            views.add(view);
            out.toolResult(view);
        }
        return run(turn, new Progress(messages, progress.firstStep(), views, progress.text(), progress.reasoning(),
                progress.usage(), progress.round()), cancellation, out);
    }

    private Result run(Turn turn, Progress progress, Cancellation cancellation, TurnOutput out) {
        boolean offer = (!turn.tools().isEmpty() || !turn.clientTools().isEmpty()) && turn.maxRounds() > 0;
        List<ToolSpec> specs = offer ? specs(turn) : null;
        List<ChatMessage> messages = new ArrayList<>(progress.messages());
        List<ToolCallView> views = new ArrayList<>(progress.views());
        StringBuilder text = new StringBuilder(progress.text());
        StringBuilder reasoning = new StringBuilder(progress.reasoning());
        TokenUsage usage = progress.usage();
        for (int number = progress.round() + 1; ; number++) {
            RequestOptions options = offer
                    ? turn.options().toBuilder().tools(specs).toolChoice(choice(number, turn)).build()
                    : turn.options();
            ModelRequest request = new ModelRequest(turn.model(), List.copyOf(messages), options);
            ModelCalls.Result answer = out.call(calls, request, turn.context(), cancellation);
            usage = usage == null ? answer.usage() : usage.plus(answer.usage());
            // Think blocks a model wrote into its text are reasoning, never part of the answer.
            ChatMessage.Assistant message = ThinkTags.separate(answer.completion().message());
            text.append(message.text());
            reasoning.append(ThinkTags.reasoningOf(message));
            List<Part.ToolCall> asked = message.toolCalls();
            if (!offer || asked.isEmpty() || number >= turn.maxRounds()) {
                List<ChatMessage> steps = List.copyOf(messages.subList(progress.firstStep(), messages.size()));
                return new Outcome(steps, answerOf(message), text.toString(), reasoning.toString(), views, usage,
                        answer.channel());
            }
            ChatMessage.Assistant step = message;
            List<Part.ToolCall> own = asked.stream().filter(call -> turn.isClientTool(call.name())).toList();
            List<Part.ToolCall> server = asked.stream().filter(call -> !turn.isClientTool(call.name())).toList();
            List<ChatMessage.Tool> results = server.isEmpty() ? List.of()
                    : round.run(server, turn.tools(), turn.context(), cancellation, out, views);
            if (cancellation.isCancelled()) {
                throw new CallCancelledException("client left during the tool loop");
            }
            if (!own.isEmpty()) {
                List<ToolCallView> pending = own.stream()
                        .map(call -> ToolCallView.asked(call.id(), call.name(), call.arguments())).toList();
                return new Paused(new Progress(List.copyOf(messages), progress.firstStep(), List.copyOf(views),
                        text.toString(), reasoning.toString(), usage, number), step, results, pending);
            }
            messages.add(step);
            messages.addAll(results);
        }
    }

    /** Round {@code number}'s tool choice: {@code none} once the rounds are used up, so the model must answer. */
    private static ToolChoice choice(int number, Turn turn) {
        if (number >= turn.maxRounds()) {
            return ToolChoice.NONE;
        }
        return number == 0 && turn.required() ? ToolChoice.REQUIRED : ToolChoice.AUTO;
    }

    private static List<ToolSpec> specs(Turn turn) {
        List<ToolSpec> specs = new ArrayList<>(turn.tools().definitions().stream()
                .map((ToolDefinition tool) -> new ToolSpec(tool.modelName(), tool.description(), tool.parameters(), null))
                .toList());
        specs.addAll(turn.clientTools());
        return specs;
    }

    /**
     * The final answer as stored: a model that still calls a tool on its last, tool-less call has its calls
     * dropped, since a call without a result would break the conversation's history at every provider.
     */
    private static ChatMessage.Assistant answerOf(ChatMessage.Assistant message) {
        if (message.toolCalls().isEmpty()) {
            return message;
        }
        return new ChatMessage.Assistant(message.content().stream()
                .filter(part -> !(part instanceof Part.ToolCall))
                .toList());
    }
}
