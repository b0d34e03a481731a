package io.chatai.channel;

import java.util.function.IntSupplier;

/**
 * The hook spend control plugs into: asked once per routed request before any upstream is called (a
 * refusal means no upstream call at all), and told about every call that request then makes, failed
 * attempts included, until it is closed. {@link ModelCalls} and the embeddings path go through it, so
 * every route that calls a model, and every later feature that calls one through them, is covered.
 * Implementations are thread-safe; an {@link Admitted} belongs to its request's thread.
 */
public interface CallAdmission {
    /** Admits everything and forgets what it hears: a server without budgets. */
    CallAdmission OPEN = (context, model, promptTokens, maxOutputTokens) -> Admitted.NOTHING;

    /**
     * Admits a request or refuses it.
     *
     * @param model           the model as requested
     * @param promptTokens    counts the request's input tokens; asked only when a limit applies (counting costs time)
     * @param maxOutputTokens the most the request lets the model generate, or null when it sets no limit
     * @throws io.chatai.core.ApiException {@code QUOTA_EXCEEDED} when a limit would be passed
     */
    Admitted admit(CallContext context, String model, IntSupplier promptTokens, Integer maxOutputTokens);

    /** An admitted request: hears the report of each upstream call it makes, and settles when closed. */
    interface Admitted extends CallListener, AutoCloseable {
        /** Nothing to settle. */
        Admitted NOTHING = new Admitted() {
            @Override
            public void onCall(CallReport report) {
            }

            @Override
            public void close() {
            }
        };

        /** Settles what the request reserved to what its calls reported; never throws. */
        @Override
        void close();
    }
}
