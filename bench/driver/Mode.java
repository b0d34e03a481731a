package driver;

import java.util.Map;

/** One way of loading a target (closed loop, stream ramp, open loop, growing conversations); {@link #run} returns the RESULT map. */
public sealed interface Mode permits ClosedLoop, StreamRamp, OpenLoop, Turns {
    Map<String, Object> run() throws Exception;

    /** The mode named on the command line ({@code closed}, {@code streams}, {@code rate}, {@code turns}). */
    static Mode named(String name, LoadOptions o) {
        return switch (name) {
            case "closed" -> new ClosedLoop(o);
            case "streams" -> new StreamRamp(o);
            case "rate" -> new OpenLoop(o);
            case "turns" -> new Turns(o);
            default -> throw new IllegalArgumentException("unknown mode " + name);
        };
    }
}
