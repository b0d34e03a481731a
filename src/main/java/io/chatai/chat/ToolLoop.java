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
                boolean required, CallContext context) {
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
                   List<ToolCallView> toolCalls, TokenUsage usage, Channel channel) {
    }

    Outcome run(Turn turn, Cancellation cancellation, TurnOutput out) {
        boolean offer = !turn.tools().isEmpty() && turn.maxRounds() > 0;
        List<ToolSpec> specs = offer ? specs(turn.tools()) : null;
        List<ChatMessage> messages = new ArrayList<>(turn.messages());
        List<ChatMessage> steps = new ArrayList<>();
        List<ToolCallView> views = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        TokenUsage usage = null;
        for (int number = 0; ; number++) {
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
                return new Outcome(steps, answerOf(message), text.toString(), reasoning.toString(), views, usage,
                        answer.channel());
            }
            ChatMessage.Assistant step = message;
            List<ChatMessage.Tool> results = round.run(asked, turn.tools(), turn.context(), cancellation, out, views);
            if (cancellation.isCancelled()) {
                throw new CallCancelledException("client left during the tool loop");
            }
            messages.add(step);
            messages.addAll(results);
            steps.add(step);
            steps.addAll(results);
        }
    }

    /** Round {@code number}'s tool choice: {@code none} once the rounds are used up, so the model must answer. */
    private static ToolChoice choice(int number, Turn turn) {
        if (number >= turn.maxRounds()) {
            return ToolChoice.NONE;
        }
        return number == 0 && turn.required() ? ToolChoice.REQUIRED : ToolChoice.AUTO;
    }

    private static List<ToolSpec> specs(ToolSet tools) {
        return tools.definitions().stream()
                .map((ToolDefinition tool) -> new ToolSpec(tool.modelName(), tool.description(), tool.parameters(), null))
                .toList();
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
