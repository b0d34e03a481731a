package io.chatai.channel;

import io.chatai.provider.UpstreamFailures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How channels are shown: keys and header values masked, with the live health state. Stateless. */
public final class ChannelView {
    private ChannelView() {
    }

    public static Map<String, Object> of(Channel c, ChannelHealth.View health) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("name", c.name());
        view.put("type", c.type());
        view.put("baseUrl", c.baseUrl());
        view.put("apiKeys", c.apiKeys().stream().map(UpstreamFailures::mask).toList());
        view.put("models", c.models());
        view.put("modelMapping", c.modelMapping());
        view.put("textOnlyModels", c.textOnlyModels());
        view.put("priority", c.priority());
        view.put("weight", c.weight());
        view.put("enabled", c.enabled());
        view.put("timeoutMs", c.timeoutMs());
        view.put("totalTimeoutMs", c.totalTimeoutMs());
        Map<String, String> headers = new LinkedHashMap<>();
        c.headers().forEach((name, value) -> headers.put(name, UpstreamFailures.mask(value)));
        view.put("headers", headers);
        view.put("proxy", c.proxy());
        if (c.modelPath() != null) {
            view.put("modelPath", c.modelPath());
            view.put("options", c.options());
        }
        view.put("state", health.state());
        view.put("coolingUntil", health.coolingUntil());
        view.put("consecutiveFailures", health.consecutiveFailures());
        view.put("refusedKeys", health.refusedKeys());
        view.put("createdAt", c.createdAt());
        view.put("updatedAt", c.updatedAt());
        return view;
    }

    public static List<Map<String, Object>> of(List<Channel> channels, ChannelHealth health) {
        return channels.stream().map(c -> of(c, health.view(c))).toList();
    }
}
