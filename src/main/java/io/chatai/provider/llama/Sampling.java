package io.chatai.provider.llama;

import de.kherud.llama.InferenceParameters;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;

/**
 * The request options as llama.cpp's sampling parameters: temperature, top_p, top_k, the output limit, stop
 * strings, the seed, presence and frequency penalties over the whole context, and a grammar for structured
 * output ({@link JsonSchemaGrammar}). Options the local model cannot honour never get here
 * ({@link LlamaRefusals}). Stateless.
 */
final class Sampling {
    /** The path of the schema in an OpenAI request, named when a part of it is refused. */
    static final String SCHEMA_PATH = "response_format.json_schema.schema";

    private Sampling() {
    }

    static InferenceParameters of(String prompt, RequestOptions options, int maxTokens) {
        InferenceParameters parameters = new InferenceParameters(prompt)
                .setNPredict(maxTokens)
                .setCachePrompt(true); // the next turn of a conversation reuses this one's evaluated prefix
        if (options.temperature() != null) {
            parameters.setTemperature(options.temperature().floatValue());
        }
        if (options.topP() != null) {
            parameters.setTopP(options.topP().floatValue());
        }
        if (options.topK() != null) {
            parameters.setTopK(options.topK());
        }
        // An empty stop string would match at once and end every answer empty.
        String[] stop = options.stop().stream().filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (stop.length > 0) {
            parameters.setStopStrings(stop);
        }
        if (options.seed() != null) {
            parameters.setSeed(seed(options.seed()));
        }
        if (options.presencePenalty() != null || options.frequencyPenalty() != null) {
            // OpenAI's penalties count every token so far; llama.cpp's look back 64 tokens unless told -1 (the context).
            parameters.setRepeatLastN(-1);
            if (options.presencePenalty() != null) {
                parameters.setPresencePenalty(options.presencePenalty().floatValue());
            }
            if (options.frequencyPenalty() != null) {
                parameters.setFrequencyPenalty(options.frequencyPenalty().floatValue());
            }
        }
        String grammar = grammar(options.responseFormat());
        if (grammar != null) {
            parameters.setGrammar(grammar);
        }
        return parameters;
    }

    /**
     * llama.cpp's seed is 32 bits and 0xFFFFFFFF means "random": a 64-bit seed is folded into 31 bits, so
     * equal seeds sample alike and none turns into a random one.
     */
    static int seed(long seed) {
        return (int) ((seed ^ (seed >>> 32)) & 0x7FFF_FFFFL);
    }

    /** The grammar the answer must follow, or null for free text. */
    static String grammar(ResponseFormat format) {
        return switch (format) {
            case null -> null;
            case ResponseFormat.Text text -> null;
            case ResponseFormat.JsonObject object -> Gbnf.anyObject();
            case ResponseFormat.JsonSchema schema -> JsonSchemaGrammar.of(schema.schema(), SCHEMA_PATH);
        };
    }
}
