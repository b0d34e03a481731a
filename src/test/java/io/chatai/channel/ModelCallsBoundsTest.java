package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.Cancellation;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Provider;
import io.chatai.core.message.StreamSink;
import io.chatai.provider.TypeFields;
import io.chatai.provider.Providers;
import io.chatai.provider.Upstream;
import io.chatai.testing.MutableClock;
import io.chatai.tokens.TokenCounter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounds ModelCalls puts on one answer, whatever the adapter yields: characters and parts. */
class ModelCallsBoundsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger emptyParts = new AtomicInteger();
    private final List<CallReport> reports = new ArrayList<>();

    /** Streams {@code emptyParts} tool-call parts that each carry no characters at all, then ends. */
    private final Provider manyParts = new Provider() {
        @Override
        public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < emptyParts.get(); i++) {
                parts.add(new Part.ToolCall("c" + i, "", "{}", null));
            }
            return new Completion(parts, FinishReason.TOOL_CALLS, null);
        }

        @Override
        public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
            for (int i = 0; i < emptyParts.get(); i++) {
                sink.accept(new StreamEvent.ToolCallDelta(i, null, null, null, null));
            }
            sink.accept(new StreamEvent.Done(null, FinishReason.TOOL_CALLS));
        }

        @Override
        public ChannelRules channelRules() {
            return new HttpChannelRules(null);
        }
    };

    private ModelCalls calls() {
        Channel channel = Channel.defaults("id-a", "a", "openai", 0)
                .typeFields(TypeFields.NONE.withBaseUrl("http://a").withApiKeys(List.of("k"))).models(List.of("m")).build();
        ChannelHealth health = new ChannelHealth(clock, new SingleNodeBreakers(), 3, c -> { });
        ChannelRouter router = new ChannelRouter(new ChannelCatalog(() -> List.of(channel)), health,
                new Providers(Map.of("openai", manyParts)), 1, clock);
        return new ModelCalls(router, new TokenCounter(), reports::add, 400_000);
    }

    private static ModelRequest request() {
        return new ModelRequest("m", List.of(ChatMessage.user("hi")), null, null, null);
    }

    @Test
    void should_accept_an_answer_of_as_many_parts_as_the_bound() {
        emptyParts.set(ModelCalls.MAX_PARTS);

        ModelCalls.Result result = calls().stream(request(), new CallContext("chat", "k", "u", null, null),
                new Cancellation(), () -> event -> { }, () -> false);

        assertThat(result.completion().content()).hasSize(ModelCalls.MAX_PARTS);
    }

    @Test
    void should_stop_a_stream_that_opens_parts_without_end_even_when_they_carry_no_characters() {
        emptyParts.set(1_000_000);

        assertThatThrownBy(() -> calls().stream(request(), new CallContext("chat", "k", "u", null, null),
                new Cancellation(), () -> event -> { }, () -> false))
                .isInstanceOf(RoutingException.class).hasMessageContaining("more than 1024 parts");
    }

    @Test
    void should_refuse_a_whole_answer_of_too_many_parts() {
        emptyParts.set(ModelCalls.MAX_PARTS + 1);

        assertThatThrownBy(() -> calls().complete(request(), new CallContext("chat", "k", "u", null, null), new Cancellation()))
                .isInstanceOf(RoutingException.class).hasMessageContaining("more than 1024 parts");
    }
}
