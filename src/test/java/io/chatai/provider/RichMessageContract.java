package io.chatai.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.TokenUsage;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import io.chatai.testing.Received;
import io.chatai.testing.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every adapter must do with the rich message model, both ways, JSON and streamed, against a fake
 * speaking its provider's real wire format: images, tool calls (parallel, streamed in fragments, and the
 * result's round trip), reasoning whose opaque state comes back byte for byte, structured output, stop
 * sequences, every finish reason and the usage details. What the fake received is read back by the fake's
 * own parser ({@link io.chatai.testing.FakeUpstream#received}), never by the adapter's code.
 */
abstract class RichMessageContract extends ProviderContract {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    static final ToolSpec WEATHER = new ToolSpec("get_weather", "The weather in a city",
            json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"), null);
    static final ToolSpec TIME = new ToolSpec("get_time", "The time in a city",
            json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), null);

    /** The {@link Part.Reasoning#origin()} this adapter's answers carry. */
    abstract String reasoningOrigin();

    /** Whether the wire format carries opaque reasoning state: signatures or redacted data (not DeepSeek-style text). */
    boolean reasoningHasSignatures() {
        return true;
    }

    /** Whether the wire format has redacted reasoning blocks (Anthropic's {@code redacted_thinking}). */
    boolean hasRedactedReasoning() {
        return false;
    }

    /** Whether tool calls carry ids on the wire (Gemini's have none: the adapter makes them up). */
    boolean toolCallIdsOnTheWire() {
        return true;
    }

    /** The usage the adapter can report when the upstream sent {@code full} in its own fields. */
    TokenUsage usageAsReported(TokenUsage full) {
        return new TokenUsage(full.promptTokens(), full.completionTokens(), full.cachedPromptTokens(), 0,
                full.reasoningTokens(), false);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ModelRequest ask(RequestOptions options, ChatMessage... messages) {
        List<ChatMessage> all = new ArrayList<>();
        all.add(ChatMessage.system("Be brief."));
        all.addAll(List.of(messages));
        return new ModelRequest("model-x", all, options);
    }

    static RequestOptions tools(ToolSpec... specs) {
        return RequestOptions.builder().tools(List.of(specs)).toolChoice(ToolChoice.AUTO).maxTokens(1000).build();
    }

    Completion complete(ModelRequest request) {
        return provider.complete(upstream(Duration.ofSeconds(5)), request, new Cancellation());
    }

    List<StreamEvent> streamed(ModelRequest request) {
        List<StreamEvent> events = new ArrayList<>();
        provider.stream(upstream(Duration.ofSeconds(5)), request, events::add, new Cancellation());
        return events;
    }

    /** The answer assembled from the events, as {@code ModelCalls} assembles it. */
    static Completion assemble(List<StreamEvent> events) {
        CompletionBuilder builder = new CompletionBuilder();
        events.forEach(builder::accept);
        assertThat(events.getLast()).isInstanceOf(StreamEvent.Done.class);
        StreamEvent.Done done = (StreamEvent.Done) events.getLast();
        return builder.build(done.finishReason(), done.usage());
    }

    Received lastReceived() {
        return fake.received(fake.requests().getLast());
    }

    void assertSameCall(Part.ToolCall actual, String name, String arguments) {
        assertThat(actual.name()).isEqualTo(name);
        assertThat(json(actual.arguments())).isEqualTo(json(arguments));
        assertThat(actual.id()).isNotBlank();
    }

    @Test
    void should_send_an_inline_image_with_its_media_type() {
        fake.always(Reply.text("a red dot"));
        ChatMessage question = new ChatMessage.User(List.of(new Part.Text("What is this?"),
                new Part.Image(new ImageSource.Inline("image/png", PNG), null)), null);

        complete(ask(null, question));

        ChatMessage.User received = (ChatMessage.User) lastReceived().messages().getLast();
        assertThat(received.text()).isEqualTo("What is this?");
        assertThat(Parts.images(received)).containsExactly(new ImageSource.Inline("image/png", PNG));
    }

    @Test
    void should_offer_tools_and_complete_with_a_tool_call() {
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null)));

        Completion completion = complete(ask(tools(WEATHER, TIME), ChatMessage.user("Weather in Paris?")));

        assertThat(lastReceived().toolNames()).containsExactly("get_weather", "get_time");
        assertThat(lastReceived().toolChoice()).isIn("auto", null);
        assertThat(completion.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(completion.toolCalls()).singleElement()
                .satisfies(call -> assertSameCall(call, "get_weather", "{\"city\":\"Paris\"}"));
    }

    @Test
    void should_force_a_named_tool() {
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.ToolCall("call_1", "get_time", "{\"city\":\"Oslo\"}", null)));

        complete(ask(tools(WEATHER, TIME).toBuilder().toolChoice(new ToolChoice.Named("get_time")).build(),
                ChatMessage.user("Time in Oslo?")));

        assertThat(lastReceived().toolChoice()).isEqualTo("get_time");
    }

    @Test
    void should_complete_and_stream_parallel_tool_calls_with_distinct_ids() {
        Reply reply = Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null),
                new Part.ToolCall("call_2", "get_time", "{\"city\":\"Paris\"}", null));
        fake.always(reply);
        ModelRequest request = ask(tools(WEATHER, TIME), ChatMessage.user("Weather and time in Paris?"));

        for (Completion completion : List.of(complete(request), assemble(streamed(request)))) {
            assertThat(completion.toolCalls()).hasSize(2);
            assertSameCall(completion.toolCalls().get(0), "get_weather", "{\"city\":\"Paris\"}");
            assertSameCall(completion.toolCalls().get(1), "get_time", "{\"city\":\"Paris\"}");
            assertThat(completion.toolCalls().get(0).id()).isNotEqualTo(completion.toolCalls().get(1).id());
        }
    }

    @Test
    void should_stream_a_tool_call_with_id_and_name_first_then_its_arguments() {
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null,
                new Part.Text("Let me check."),
                new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}", null)));

        List<StreamEvent> events = streamed(ask(tools(WEATHER), ChatMessage.user("Weather in Paris?")));

        List<StreamEvent.ToolCallDelta> deltas = events.stream()
                .filter(StreamEvent.ToolCallDelta.class::isInstance).map(StreamEvent.ToolCallDelta.class::cast).toList();
        assertThat(deltas).isNotEmpty();
        assertThat(deltas.getFirst().id()).isNotBlank();
        assertThat(deltas.getFirst().name()).isEqualTo("get_weather");
        assertThat(deltas).extracting(StreamEvent.ToolCallDelta::part).containsOnly(deltas.getFirst().part());
        int textPart = events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .map(e -> ((StreamEvent.TextDelta) e).part()).findFirst().orElseThrow();
        assertThat(textPart).isNotEqualTo(deltas.getFirst().part());
        Completion completion = assemble(events);
        assertThat(completion.text()).isEqualTo("Let me check.");
        assertSameCall(completion.toolCalls().getFirst(), "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
        assertThat(completion.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void should_send_a_tool_call_and_its_result_back_on_the_next_request() {
        fake.always(Reply.text("It is 18 degrees."));
        Part.ToolCall call = new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null);

        complete(ask(tools(WEATHER), ChatMessage.user("Weather in Paris?"), new ChatMessage.Assistant(List.of(call)),
                new ChatMessage.Tool("call_1", "get_weather", List.of(new Part.Text("18 degrees, sunny")), false)));

        List<ChatMessage> received = lastReceived().messages();
        ChatMessage.Assistant assistant = (ChatMessage.Assistant) received.get(received.size() - 2);
        ChatMessage.Tool result = (ChatMessage.Tool) received.getLast();
        Part.ToolCall sentCall = assistant.toolCalls().getFirst();
        assertThat(sentCall.name()).isEqualTo("get_weather");
        assertThat(json(sentCall.arguments())).isEqualTo(json(call.arguments()));
        assertThat(result.text()).contains("18 degrees, sunny");
        assertThat(result.toolCallId()).isEqualTo(sentCall.id());
        if (toolCallIdsOnTheWire()) {
            assertThat(sentCall.id()).isEqualTo("call_1");
        }
    }

    @Test
    void should_send_the_reasoning_state_of_a_tool_round_back_byte_for_byte() {
        String signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" + reasoningOrigin();
        List<Part> answer = new ArrayList<>();
        answer.add(reasoningHasSignatures() ? new Part.Reasoning("The user wants Paris weather.", signature, null, reasoningOrigin())
                : Part.Reasoning.text("The user wants Paris weather.", reasoningOrigin()));
        if (hasRedactedReasoning()) {
            answer.add(new Part.Reasoning(null, null, "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3", reasoningOrigin()));
        }
        answer.add(new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null));
        fake.always(Reply.rich(FinishReason.TOOL_CALLS, null, answer.toArray(Part[]::new)));
        ModelRequest first = ask(tools(WEATHER), ChatMessage.user("Weather in Paris?"));

        for (Completion completion : List.of(complete(first), assemble(streamed(first)))) {
            assertThat(opaqueState(completion.content())).isNotEmpty();
            ToolCallRound round = new ToolCallRound(completion);
            fake.always(Reply.text("18 degrees."));

            complete(ask(tools(WEATHER), ChatMessage.user("Weather in Paris?"), completion.message(), round.result()));

            ChatMessage.Assistant sent = (ChatMessage.Assistant) lastReceived().messages().get(1);
            assertThat(opaqueState(sent.content())).isEqualTo(opaqueState(completion.content()));
            fake.always(Reply.rich(FinishReason.TOOL_CALLS, null, answer.toArray(Part[]::new)));
        }
    }

    /** The result of the answer's first tool call. */
    record ToolCallRound(Completion completion) {
        ChatMessage.Tool result() {
            Part.ToolCall call = completion.toolCalls().getFirst();
            return new ChatMessage.Tool(call.id(), call.name(), List.of(new Part.Text("18 degrees")), false);
        }
    }

    /** What must come back byte for byte: signatures, redacted data, and DeepSeek-style reasoning text. */
    List<String> opaqueState(List<Part> parts) {
        List<String> state = new ArrayList<>();
        for (Part part : parts) {
            switch (part) {
                case Part.Reasoning r -> {
                    state.add(r.signature());
                    state.add(r.redacted());
                    if (!reasoningHasSignatures()) {
                        state.add(r.text());
                    }
                }
                case Part.ToolCall c -> state.add(c.signature());
                case Part.Text t -> { }
                case Part.Image i -> { }
            }
        }
        state.removeIf(Objects::isNull);
        return state;
    }

    @Test
    void should_stream_reasoning_deltas_apart_from_the_answer_text() {
        Part.Reasoning reasoning = reasoningHasSignatures()
                ? new Part.Reasoning("Six times seven.", "c2lnbmF0dXJl" + reasoningOrigin(), null, reasoningOrigin())
                : Part.Reasoning.text("Six times seven.", reasoningOrigin());
        fake.always(Reply.rich(FinishReason.STOP, null, reasoning, new Part.Text("42")));

        List<StreamEvent> events = streamed(ask(null, ChatMessage.user("6 x 7?")));

        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(StreamEvent.ReasoningDelta.class));
        Completion completion = assemble(events);
        assertThat(completion.text()).isEqualTo("42");
        assertThat(completion.reasoningText()).isEqualTo("Six times seven.");
        assertThat(opaqueState(completion.content())).isEqualTo(opaqueState(List.of(reasoning)));
        assertThat(complete(ask(null, ChatMessage.user("6 x 7?"))).reasoningText()).isEqualTo("Six times seven.");
    }

    @Test
    void should_ask_for_structured_output_with_the_schema() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"}},\"required\":[\"answer\"],\"additionalProperties\":false}");
        fake.always(Reply.text("{\"answer\":42}"));

        Completion completion = complete(ask(RequestOptions.builder()
                .responseFormat(new ResponseFormat.JsonSchema("answer", null, schema, true)).build(), ChatMessage.user("6 x 7?")));

        assertThat(lastReceived().schema()).isEqualTo(schema);
        assertThat(json(completion.text())).isEqualTo(json("{\"answer\":42}"));
    }

    @Test
    void should_send_stop_sequences_and_the_token_limit() {
        fake.always(Reply.rich(FinishReason.STOP, null, new Part.Text("one, two")));

        complete(ask(RequestOptions.builder().stop(List.of("three", "\n\n")).maxTokens(77).build(), ChatMessage.user("Count.")));

        assertThat(lastReceived().stop()).containsExactly("three", "\n\n");
        assertThat(lastReceived().maxTokens()).isEqualTo(77);
    }

    @ParameterizedTest
    @EnumSource(FinishReason.class)
    void should_map_every_finish_reason_json_and_streamed(FinishReason reason) {
        Part last = reason == FinishReason.TOOL_CALLS
                ? new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", null) : new Part.Text("partial");
        fake.always(Reply.rich(reason, null, last));
        ModelRequest request = ask(tools(WEATHER), ChatMessage.user("Weather in Paris?"));

        assertThat(complete(request).finishReason()).isEqualTo(reason);
        assertThat(assemble(streamed(request)).finishReason()).isEqualTo(reason);
    }

    @Test
    void should_report_cached_and_reasoning_tokens() {
        TokenUsage full = new TokenUsage(1200, 300, 1000, 100, 120, false);
        fake.always(Reply.rich(FinishReason.STOP, full, new Part.Text("ok")));
        ModelRequest request = ask(null, ChatMessage.user("hi"));

        assertThat(complete(request).usage()).isEqualTo(usageAsReported(full));
        assertThat(assemble(streamed(request)).usage()).isEqualTo(usageAsReported(full));
    }

    /** Helpers over received parts. */
    static final class Parts {
        static List<ImageSource> images(ChatMessage message) {
            return io.chatai.core.message.Parts.of(message.content(), Part.Image.class).stream().map(Part.Image::source).toList();
        }
    }
}
