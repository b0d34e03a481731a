package io.chatai.core.message;

import java.util.Objects;

/** Whether and which tool the model must call. Immutable. */
public sealed interface ToolChoice {
    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();

    /** The model decides. */
    record Auto() implements ToolChoice {
    }

    /** No tool may be called. */
    record None() implements ToolChoice {
    }

    /** Some tool must be called. */
    record Required() implements ToolChoice {
    }

    /** This function must be called. */
    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }
}
