package io.chatai.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every metric the server exports, named in one place ({@code chatai_*} plus JVM and connection pool
 * metrics), backed by Micrometer's Prometheus registry. Tag values are bounded, so no client can grow
 * the number of series: routes are templates, methods the standard ones (else {@code OTHER}), channels
 * come from configuration, and a model is its own tag only when the channel that took the call names it
 * (see {@code CallMetrics}), else {@code other}. Thread-safe.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger streamsInFlight = new AtomicInteger();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScrapeThread scrapeThread = new ScrapeThread();
    private volatile Runnable channelStates = () -> { };
    private final java.util.Map<HttpKey, Timer> httpTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<CallKey, Timer> upstreamTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<CallKey, Counter> tokenCounters = new java.util.concurrent.ConcurrentHashMap<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        Gauge.builder("chatai.streams.in.flight", streamsInFlight, AtomicInteger::get)
                .description("SSE responses currently open").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of everything, written on a platform thread ({@link ScrapeThread} says why). */
    public String scrape() {
        channelStates.run();
        return scrapeThread.scrape(registry::scrape);
    }

    public void httpRequest(String route, String method, int status, long nanos) {
        // Meters are looked up in a plain map: building a Micrometer id per request costs more than the request's own bookkeeping.
        httpTimers.computeIfAbsent(new HttpKey(route, method, status), key -> Timer.builder("chatai.http.requests")
                        .description("HTTP requests by route and status")
                        .tags("route", route, "method", method, "status", String.valueOf(status))
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(2))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private record HttpKey(String route, String method, int status) { }

    private record CallKey(String channel, String model, String outcome) { }

    /** One upstream call: its latency, time to first token (streams), outcome and tokens. */
    public void upstreamCall(String channel, String model, String outcome, long latencyNanos, Long ttftNanos,
                             int promptTokens, int completionTokens) {
        upstreamTimers.computeIfAbsent(new CallKey(channel, model, outcome), key -> Timer.builder("chatai.upstream.latency")
                        .description("Upstream call duration by channel and outcome")
                        .tags("channel", channel, "model", model, "outcome", outcome)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(5))
                        .register(registry))
                .record(latencyNanos, TimeUnit.NANOSECONDS);
        if (ttftNanos != null) {
            Timer.builder("chatai.upstream.ttft")
                    .description("Time to the first streamed token by channel")
                    .tags("channel", channel, "model", model)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(2))
                    .register(registry)
                    .record(ttftNanos, TimeUnit.NANOSECONDS);
        }
        if (promptTokens > 0) {
            tokens(channel, model, "prompt").increment(promptTokens);
        }
        if (completionTokens > 0) {
            tokens(channel, model, "completion").increment(completionTokens);
        }
    }

    /** A retryable failure that moved the request on to another key or channel. */
    public void failover(String channel, String reason) {
        Counter.builder("chatai.failovers").description("Upstream failures that moved a request on")
                .tags("channel", channel, "reason", reason).register(registry).increment();
    }

    /**
     * An upstream call that ended without saying anything about its channel's health: {@code client_left}
     * or {@code broken_after_content}. Neither cools the channel.
     */
    public void interrupted(String channel, String cause) {
        Counter.builder("chatai.upstream.interrupted")
                .description("Upstream calls ended by a departed client or broken after content reached the client")
                .tags("channel", channel, "cause", cause).register(registry).increment();
    }

    /** A channel began to cool down. */
    public void cooldown(String channel) {
        Counter.builder("chatai.cooldowns").description("Times a channel started cooling down")
                .tags("channel", channel).register(registry).increment();
    }

    /** One channel's health as the gauges show it. */
    public record ChannelStatus(String channel, String state, int consecutiveFailures) { }

    /**
     * Exposes each channel's state (healthy, cooling, disabled) as {@code chatai_channel_state{channel,state} 1}
     * and its failures in a row as {@code chatai_channel_consecutive_failures{channel}}, read at each scrape.
     */
    public void channelStates(Supplier<List<ChannelStatus>> statuses) {
        MultiGauge states = MultiGauge.builder("chatai.channel.state")
                .description("1 for each channel's current state").register(registry);
        MultiGauge failures = MultiGauge.builder("chatai.channel.consecutive.failures")
                .description("Failures in a row since the channel's last success; it cools down at CHATAI_COOLDOWN_AFTER")
                .register(registry);
        channelStates = () -> {
            // Names are the tag, and two channels may share one: the first (highest priority) speaks for it.
            java.util.Map<String, ChannelStatus> byName = new java.util.LinkedHashMap<>();
            statuses.get().forEach(s -> byName.putIfAbsent(s.channel(), s));
            List<ChannelStatus> now = List.copyOf(byName.values());
            states.register(now.stream().map(s -> MultiGauge.Row.of(Tags.of("channel", s.channel(), "state", s.state()), 1)).toList(), true);
            failures.register(now.stream().map(s -> MultiGauge.Row.of(Tags.of("channel", s.channel()), s.consecutiveFailures())).toList(), true);
        };
    }

    public void streamOpened() {
        streamsInFlight.incrementAndGet();
    }

    public void streamClosed() {
        streamsInFlight.decrementAndGet();
    }

    private Counter tokens(String channel, String model, String kind) {
        return tokenCounters.computeIfAbsent(new CallKey(channel, model, kind), key -> Counter.builder("chatai.tokens")
                .description("Tokens by channel, model and kind")
                .tags("channel", channel, "model", model, "kind", kind).register(registry));
    }

    @Override
    public void close() {
        scrapeThread.close();
        gc.close();
        registry.close();
    }
}
