package io.chatai.core.message;

/** Why the model stopped, in OpenAI's four words; each adapter maps its provider's reasons onto them. */
public enum FinishReason {
    STOP("stop"), LENGTH("length"), TOOL_CALLS("tool_calls"), CONTENT_FILTER("content_filter");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** OpenAI's spelling back to the enum; null or unknown reasons read as {@link #STOP}. */
    public static FinishReason fromWire(String value) {
        for (FinishReason reason : values()) {
            if (reason.wire.equals(value)) {
                return reason;
            }
        }
        return "function_call".equals(value) ? TOOL_CALLS : STOP;
    }
}
