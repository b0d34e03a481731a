package io.chatai.provider.llama;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import java.util.List;
import java.util.Optional;

/**
 * What a local model run through binding 4.1.0 cannot honour, named in OpenAI's spelling: images (the
 * binding loads no vision projector), tool calls and tool results (see below), more than one choice,
 * log probabilities (the rich answer has no place for them), reasoning options (a local model has no
 * thinking switch the binding can reach), and the parts of a JSON schema {@link JsonSchemaGrammar} cannot
 * enforce. Hints are dropped instead: a user's {@code name}, {@code parallel_tool_calls} and a {@code
 * tool_choice} of none (no tool can be called, which is what the model does), reasoning text in the history.
 *
 * <p>Tools are refused because the binding can render them but not read calls back: its {@code applyTemplate}
 * returns only the prompt (llama.cpp's tool-call grammar, triggers and chat format are dropped) and it exposes
 * no parser for the model's call syntax; and chat templates raise errors on ordinary tool histories (Llama 3.1
 * on parallel calls, Mistral on call ids not 9 characters long), which inside the binding abort the JVM.
 * Stateless.
 */
final class LlamaRefusals {
    private LlamaRefusals() {
    }

    /** The first field of the request a local model cannot honour, or empty. */
    static Optional<String> first(ModelRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case ChatMessage.System system -> { }
                case ChatMessage.User user -> {
                    for (int j = 0; j < user.content().size(); j++) {
                        if (user.content().get(j) instanceof Part.Image) {
                            return Optional.of("messages[" + i + "].content[" + j + "]");
                        }
                    }
                }
                case ChatMessage.Assistant assistant -> {
                    if (!assistant.toolCalls().isEmpty()) {
                        return Optional.of("messages[" + i + "].tool_calls");
                    }
                }
                case ChatMessage.Tool tool -> {
                    return Optional.of("messages[" + i + "].role");
                }
            }
        }
        return options(request.options());
    }

    private static Optional<String> options(RequestOptions options) {
        if (options.n() != null && options.n() > 1) {
            return Optional.of("n");
        }
        if (Boolean.TRUE.equals(options.logprobs())) {
            return Optional.of("logprobs");
        }
        if (options.topLogprobs() != null && options.topLogprobs() > 0) {
            return Optional.of("top_logprobs");
        }
        if (options.reasoning() != null && (options.reasoning().effort() != null || options.reasoning().budgetTokens() != null)) {
            return Optional.of("reasoning_effort");
        }
        if (options.offersTools()) {
            return Optional.of("tools");
        }
        if (options.toolChoice() instanceof ToolChoice.Required || options.toolChoice() instanceof ToolChoice.Named) {
            return Optional.of("tool_choice"); // a call is demanded with no tools offered
        }
        if (options.responseFormat() instanceof ResponseFormat.JsonSchema format) {
            return JsonSchemaGrammar.unsupported(format.schema(), Sampling.SCHEMA_PATH);
        }
        return Optional.empty();
    }
}
