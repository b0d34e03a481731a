package io.chatai.channel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Breakers in this process's memory, for a single instance. Thread-safe (each channel's entry is updated atomically). */
public final class SingleNodeBreakers implements Breaker.Store {
    private record Entry(Breaker breaker, boolean probing) { }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public ChannelHealth.Admission admit(Channel channel, long now) {
        ChannelHealth.Admission[] admission = new ChannelHealth.Admission[1];
        entries.compute(channel.id(), (id, entry) -> {
            Entry e = entry == null ? new Entry(Breaker.HEALTHY, false) : entry;
            if (e.breaker().cooling(now)) {
                admission[0] = new ChannelHealth.Admission.Cooling(e.breaker().coolingUntil());
            } else if (!e.breaker().tripped()) {
                admission[0] = new ChannelHealth.Admission.Ready();
            } else if (e.probing()) {
                admission[0] = new ChannelHealth.Admission.Cooling(now);
            } else {
                admission[0] = new ChannelHealth.Admission.Probe();
                return new Entry(e.breaker(), true);
            }
            return e;
        });
        return admission[0];
    }

    @Override
    public void succeeded(Channel channel) {
        entries.remove(channel.id());
    }

    @Override
    public Breaker failed(Channel channel, UnaryOperator<Breaker> failure) {
        return entries.compute(channel.id(), (id, entry) ->
                new Entry(failure.apply(entry == null ? Breaker.HEALTHY : entry.breaker()), false)).breaker();
    }

    @Override
    public void released(Channel channel) {
        entries.computeIfPresent(channel.id(), (id, entry) -> new Entry(entry.breaker(), false));
    }

    @Override
    public Breaker state(Channel channel) {
        Entry entry = entries.get(channel.id());
        return entry == null ? Breaker.HEALTHY : entry.breaker();
    }

    @Override
    public void forget(String channelId) {
        entries.remove(channelId);
    }
}
