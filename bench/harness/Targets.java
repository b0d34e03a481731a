package harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets of this run by id (direct, nginx, portkey, chatai-v1, chatai-chat, chatai-messages, chatai-responses, each also -stream), only for
 * the peers that run. Built once, then read-only.
 */
public final class Targets {
    private final Map<String, Target> byId = new LinkedHashMap<>();

    public Targets(Peers peers, String clientKey) {
        List<String> portkeyHeaders = List.of("x-portkey-provider: openai", "x-portkey-custom-host: http://127.0.0.1:" + peers.fake().port() + "/v1");
        for (boolean stream : new boolean[] {false, true}) {
            String s = stream ? "-stream" : "";
            add(new Target("direct" + s, peers.fake(), "/v1/chat/completions", "openai", stream, List.of(), "sk-x"));
            if (peers.nginx() != null) {
                add(new Target("nginx" + s, peers.nginx(), "/v1/chat/completions", "openai", stream, List.of(), "sk-x"));
            }
            if (peers.portkey() != null) {
                add(new Target("portkey" + s, peers.portkey(), "/v1/chat/completions", "openai", stream, portkeyHeaders, "sk-x"));
            }
            add(new Target("chatai-v1" + s, peers.chatai(), "/v1/chat/completions", "openai", stream, List.of(), clientKey));
            add(new Target("chatai-chat" + s, peers.chatai(), stream ? "/api/chat/stream" : "/api/chat", "chat", stream, List.of(), clientKey));
            // The Anthropic and Responses fronts, translated to the same OpenAI-format fake channel.
            add(new Target("chatai-messages" + s, peers.chatai(), "/v1/messages", "messages", stream, List.of(), clientKey));
            add(new Target("chatai-responses" + s, peers.chatai(), "/v1/responses", "responses", stream, List.of(), clientKey));
        }
    }

    private void add(Target t) {
        byId.put(t.id(), t);
    }

    /** The target of this id, or null when its peer does not run. */
    public Target get(String id) {
        return byId.get(id);
    }

    /** The targets of these ids in the given order, skipping those whose peer does not run. */
    public List<Target> select(List<String> ids) {
        List<Target> list = new ArrayList<>();
        for (String id : ids) {
            Target t = byId.get(id);
            if (t != null) {
                list.add(t);
            }
        }
        return list;
    }
}
