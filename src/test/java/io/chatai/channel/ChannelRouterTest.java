package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.Cancellation;
import io.chatai.core.message.Completion;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Provider;
import io.chatai.provider.TypeFields;
import io.chatai.provider.Providers;
import io.chatai.core.message.StreamSink;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamError;
import io.chatai.provider.UpstreamException;
import io.chatai.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Routing and failover against an in-memory provider whose answers each test scripts per channel. */
class ChannelRouterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Cools at the first failure, so a test sees at once whether a failure told the breaker anything. */
    private final ChannelHealth health = new ChannelHealth(clock, new SingleNodeBreakers(), 1, channel -> { });
    private final List<Channel> channels = new ArrayList<>();
    private final Map<String, UpstreamError> failures = new HashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Fails as scripted for the channel (by base URL) or key, else answers with the channel's name. */
    private final Provider scripted = new Provider() {
        @Override
        public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
            calls.add(upstream.channelName() + "/" + upstream.apiKey() + "/" + request.model());
            UpstreamError error = failures.getOrDefault(upstream.apiKey(), failures.get(upstream.baseUrl()));
            if (error != null) {
                throw new UpstreamException(error);
            }
            return Completion.ofText(upstream.channelName(), null, FinishReason.STOP);
        }

        @Override
        public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChannelRules channelRules() {
            return new HttpChannelRules(null);
        }
    };

    private ChannelRouter router(int maxAttempts) {
        return new ChannelRouter(new ChannelCatalog(() -> channels), health, new Providers(Map.of("openai", scripted)), maxAttempts, clock);
    }

    private Channel add(String name, int priority, int weight, List<String> models, String... keys) {
        Channel channel = Channel.defaults("id-" + name, name, "openai", 0)
                .typeFields(TypeFields.NONE.withBaseUrl(name).withApiKeys(List.of(keys)))
                .models(models)
                .modelMapping(Map.of("alias", "real-" + name))
                .priority(priority)
                .weight(weight)
                .timeoutMs(1000)
                .build();
        channels.add(channel);
        return channel;
    }

    private String route(ChannelRouter router, String model) {
        return router.route(model, (channel, provider, upstream, upstreamModel) ->
                provider.complete(upstream, new ModelRequest(upstreamModel, List.of(), null, null, null), new Cancellation()).text(),
                new Cancellation(), () -> false).result();
    }

    @Test
    void should_prefer_the_highest_priority_and_only_channels_serving_the_model() {
        add("low", 0, 1, List.of("*"), "k1");
        add("high", 5, 1, List.of("gpt"), "k2");
        add("other-model", 9, 1, List.of("claude"), "k3");

        assertThat(route(router(3), "gpt")).isEqualTo("high");
        assertThat(route(router(3), "llama")).isEqualTo("low");
    }

    @Test
    void should_apply_the_model_mapping_to_the_name_sent_upstream() {
        add("main", 0, 1, List.of("*"), "k");

        route(router(3), "alias");

        assertThat(calls).containsExactly("main/k/real-main");
    }

    @Test
    void should_skip_disabled_channels() {
        channels.add(Channel.defaults("id-off", "off", "openai", 0)
                .typeFields(TypeFields.NONE.withBaseUrl("off").withApiKeys(List.of("k")))
                .priority(9)
                .enabled(false)
                .timeoutMs(1000)
                .build());
        add("on", 0, 1, List.of("*"), "k2");

        assertThat(route(router(3), "m")).isEqualTo("on");
    }

    @Test
    void should_pick_by_weight_within_one_priority() {
        add("heavy", 0, 3, List.of("*"), "a");
        add("light", 0, 1, List.of("*"), "b");
        ChannelRouter router = router(3);
        int heavy = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            if (route(router, "m").equals("heavy")) {
                heavy++;
            }
        }
        assertThat(heavy / (double) n).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void should_rotate_the_keys_of_a_channel() {
        add("main", 0, 1, List.of("*"), "k1", "k2", "k3");
        ChannelRouter router = router(3);
        for (int i = 0; i < 6; i++) {
            route(router, "m");
        }
        assertThat(calls).containsExactly("main/k1/m", "main/k2/m", "main/k3/m", "main/k1/m", "main/k2/m", "main/k3/m");
    }

    @Test
    void should_fail_over_to_the_next_channel_on_a_server_error_and_cool_the_failed_one() {
        add("first", 5, 1, List.of("*"), "a");
        add("second", 0, 1, List.of("*"), "b");
        failures.put("first", new UpstreamError.ServerError(500, "down"));
        ChannelRouter router = router(3);

        assertThat(route(router, "m")).isEqualTo("second");
        assertThat(route(router, "m")).isEqualTo("second");
        assertThat(calls).containsExactly("first/a/m", "second/b/m", "second/b/m"); // cooling: not called again
        assertThat(health.view(channels.getFirst()).state()).isEqualTo("cooling");
    }

    @Test
    void should_recover_a_channel_after_its_cooldown_through_one_probe() {
        add("first", 5, 1, List.of("*"), "a");
        add("second", 0, 1, List.of("*"), "b");
        failures.put("first", new UpstreamError.ServerError(503, "down"));
        ChannelRouter router = router(3);
        route(router, "m");
        failures.clear();

        clock.advance(Duration.ofSeconds(29));
        assertThat(route(router, "m")).isEqualTo("second");
        clock.advance(Duration.ofSeconds(1));
        assertThat(route(router, "m")).isEqualTo("first"); // the probe
        assertThat(route(router, "m")).isEqualTo("first");
        assertThat(health.view(channels.getFirst()).state()).isEqualTo("healthy");
    }

    @Test
    void should_move_to_the_next_key_and_take_a_refused_key_out_of_rotation() {
        add("main", 0, 1, List.of("*"), "bad", "good");
        failures.put("bad", new UpstreamError.AuthFailed(401, "invalid key"));
        ChannelRouter router = router(3);

        for (int i = 0; i < 4; i++) {
            assertThat(route(router, "m")).isEqualTo("main");
        }
        assertThat(calls.stream().filter(c -> c.startsWith("main/bad"))).hasSize(1);
        assertThat(health.view(channels.getFirst()).state()).isEqualTo("healthy");
    }

    @Test
    void should_fail_at_once_with_model_error_on_a_bad_request() {
        add("first", 5, 1, List.of("*"), "a");
        add("second", 0, 1, List.of("*"), "b");
        failures.put("first", new UpstreamError.BadRequest(400, "context too long"));

        assertThatThrownBy(() -> route(router(3), "m")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MODEL_ERROR);
            assertThat(e.details()).containsEntry("status", 400);
        });
        assertThat(calls).containsExactly("first/a/m");
        assertThat(health.view(channels.getFirst()).state()).isEqualTo("healthy");
    }

    @Test
    void should_stop_after_max_attempts_and_list_what_was_tried_without_keys() {
        for (String name : List.of("a", "b", "c", "d")) {
            add(name, 0, 1, List.of("*"), "sk-secret-" + name);
            failures.put(name, new UpstreamError.ServerError(502, "bad gateway"));
        }

        assertThatThrownBy(() -> route(router(3), "m")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_UNAVAILABLE);
            assertThat(e.details()).containsEntry("attempts", 3);
            assertThat((List<?>) e.details().get("tried")).hasSize(3);
            assertThat(e.details().toString()).doesNotContain("sk-secret");
        });
        assertThat(calls).hasSize(3);
    }

    @Test
    void should_answer_503_with_retry_after_when_every_channel_is_cooling() {
        add("only", 0, 1, List.of("*"), "k");
        failures.put("only", new UpstreamError.Timeout("waiting for the first byte", 0));
        ChannelRouter router = router(3);
        assertThatThrownBy(() -> route(router, "m")).isInstanceOf(ApiException.class);

        assertThatThrownBy(() -> route(router, "m")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_UNAVAILABLE);
            assertThat(e.retryAfterSeconds()).isEqualTo(30);
        });
        assertThat(calls).hasSize(1);
    }

    @Test
    void should_not_fail_over_after_content_reached_the_client() {
        add("first", 5, 1, List.of("*"), "a");
        add("second", 0, 1, List.of("*"), "b");
        failures.put("first", new UpstreamError.BrokenStream("connection reset"));

        assertThatThrownBy(() -> router(3).route("m", (channel, provider, upstream, model) ->
                provider.complete(upstream, new ModelRequest(model, List.of(), null, null, null), new Cancellation()),
                new Cancellation(), () -> true)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_ERROR));
        assertThat(calls).containsExactly("first/a/m");
        assertThat(health.view(channels.getFirst()).state()).as("a stream broken mid-way fails only its request").isEqualTo("healthy");
        assertThat(health.view(channels.getFirst()).consecutiveFailures()).isZero();
    }

    @Test
    void should_leave_the_channel_healthy_when_the_client_leaves_during_the_call() {
        add("first", 5, 1, List.of("*"), "a");
        Cancellation cancellation = new Cancellation();

        assertThatThrownBy(() -> router(3).route("m", (channel, provider, upstream, model) -> {
            cancellation.cancel(); // the client left; the interrupted read fails as a broken stream
            throw new UpstreamException(new UpstreamError.BrokenStream("cancelled"));
        }, cancellation, () -> true)).isInstanceOf(io.chatai.core.CallCancelledException.class);
        assertThatThrownBy(() -> router(3).route("m", (channel, provider, upstream, model) -> {
            throw new io.chatai.core.CallCancelledException("the client closed the stream");
        }, new Cancellation(), () -> true)).isInstanceOf(io.chatai.core.CallCancelledException.class);

        assertThat(health.view(channels.getFirst()).state()).isEqualTo("healthy");
        assertThat(health.view(channels.getFirst()).consecutiveFailures()).isZero();
        assertThat(route(router(3), "m")).isEqualTo("first");
    }

    @Test
    void should_not_cool_a_channel_before_its_failures_in_a_row_reach_the_threshold() {
        ChannelHealth tolerant = new ChannelHealth(clock, new SingleNodeBreakers(), 3, channel -> { });
        add("only", 0, 1, List.of("*"), "k");
        ChannelRouter router = new ChannelRouter(new ChannelCatalog(() -> channels), tolerant,
                new Providers(Map.of("openai", scripted)), 3, clock);
        failures.put("only", new UpstreamError.ServerError(500, "hiccup"));

        assertThatThrownBy(() -> route(router, "m")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.retryAfterSeconds()).as("usable again at once").isEqualTo(1));
        failures.clear();

        assertThat(route(router, "m")).isEqualTo("only");
        assertThat(calls).hasSize(2);
        assertThat(tolerant.view(channels.getFirst()).state()).isEqualTo("healthy");
    }

    @Test
    void should_fail_over_on_a_404_and_skip_only_that_model_on_that_channel() {
        add("first", 5, 1, List.of("*"), "a");
        add("second", 0, 1, List.of("*"), "b");
        failures.put("first", new UpstreamError.NotFound(404, "model not found"));
        ChannelRouter router = router(3);

        assertThat(route(router, "missing")).isEqualTo("second");
        assertThat(route(router, "missing")).isEqualTo("second");
        assertThat(calls).containsExactly("first/a/missing", "second/b/missing", "second/b/missing");
        assertThat(health.view(channels.getFirst()).state()).as("other models still go there").isEqualTo("healthy");
        failures.clear();
        assertThat(route(router, "other")).isEqualTo("first");
    }

    @Test
    void should_cool_only_the_rate_limited_key_of_a_channel_with_several() {
        add("main", 0, 1, List.of("*"), "limited", "spare");
        failures.put("limited", new UpstreamError.RateLimited(429, "slow down", Duration.ofSeconds(20)));
        ChannelRouter router = router(3);

        for (int i = 0; i < 3; i++) {
            assertThat(route(router, "m")).isEqualTo("main");
        }
        assertThat(calls.stream().filter(c -> c.startsWith("main/limited"))).hasSize(1);
        clock.advance(Duration.ofSeconds(20));
        route(router, "m");
        route(router, "m");
        assertThat(calls.stream().filter(c -> c.startsWith("main/limited"))).as("back after Retry-After").hasSize(2);
    }

    @Test
    void should_tell_when_to_retry_once_every_key_is_rate_limited() {
        add("main", 0, 1, List.of("*"), "a", "b");
        failures.put("a", new UpstreamError.RateLimited(429, null, Duration.ofSeconds(8)));
        failures.put("b", new UpstreamError.RateLimited(429, null, Duration.ofSeconds(8)));
        ChannelRouter router = router(3);
        assertThatThrownBy(() -> route(router, "m")).isInstanceOf(ApiException.class);

        assertThatThrownBy(() -> route(router, "m")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_UNAVAILABLE);
            assertThat(e.retryAfterSeconds()).isEqualTo(8);
        });
        assertThat(calls).hasSize(2);
    }

    @Test
    void should_never_try_a_key_twice_in_one_request() {
        add("main", 0, 1, List.of("*"), "a", "b");
        failures.put("a", new UpstreamError.AuthFailed(401, "no"));
        failures.put("b", new UpstreamError.AuthFailed(401, "no"));

        assertThatThrownBy(() -> route(router(5), "m")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_UNAVAILABLE));
        assertThat(calls).containsExactlyInAnyOrder("main/a/m", "main/b/m");
    }

    @Test
    void should_skip_channels_that_cannot_honour_the_request_and_name_the_field_when_none_can() {
        add("main", 9, 1, List.of("*"), "k1");
        add("spare", 0, 1, List.of("*"), "k2");
        ChannelRouter router = router(3);
        ChannelRouter.Screen refusesMain = (channel, provider, upstreamModel) ->
                channel.name().equals("main") ? java.util.Optional.of("logprobs") : java.util.Optional.empty();

        String served = router.route("m", refusesMain, (channel, provider, upstream, upstreamModel) -> upstream.channelName(),
                new Cancellation(), () -> false).result();
        assertThat(served).isEqualTo("spare");

        ChannelRouter.Screen refusesAll = (channel, provider, upstreamModel) -> java.util.Optional.of("messages[0].content[1]");
        assertThatThrownBy(() -> router.route("m", refusesAll, (channel, provider, upstream, upstreamModel) -> {
            calls.add(channel.name());
            return "called";
        }, new Cancellation(), () -> false)).isInstanceOfSatisfying(RoutingException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).isEqualTo("messages[0].content[1] is not supported by channel type openai");
            assertThat(e.unsupportedField()).isEqualTo("messages[0].content[1]");
        });
        assertThat(calls).as("no upstream call").isEmpty();
    }
}
