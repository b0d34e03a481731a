package harness;

import java.util.ArrayList;
import java.util.List;

/**
 * One target of the load: a peer's URL path, the API it speaks ({@code kind}: {@code openai} chat completions,
 * ChatAI's {@code chat}, Anthropic's {@code messages}, OpenAI's {@code responses}), streamed or not, with its
 * extra headers and bearer token. Immutable.
 */
public record Target(String id, Proc proc, String path, String kind, boolean stream, List<String> headers, String auth) {

    /** The load driver's arguments that aim it at this target; {@code prefix} keeps each run's user ids fresh. */
    public List<String> loadArgs(String model, String prefix) {
        List<String> a = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + proc.port() + path, "--kind", kind, "--auth", auth,
                "--prefix", prefix));
        // ChatAI's default preset already asks for "fake" (CHATAI_DEFAULT_MODEL): a bot's request names no model.
        if (model != null && !(kind.equals("chat") && model.equals("fake"))) {
            a.add("--model");
            a.add(model);
        }
        if (stream) {
            a.add("--stream");
        }
        for (String h : headers) {
            a.add("-H");
            a.add(h);
        }
        return a;
    }
}
