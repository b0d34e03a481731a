package scenario;

import harness.BenchOptions;
import harness.Harness;
import java.util.List;

/**
 * One scenario of the benchmark: the targets it loads (warmed up before the first scenario) and its run, which
 * prints its tables, records its rows under its name and adds its checks of the targets.
 */
public sealed interface Scenario permits Latency, Cost, Scaling, Concurrency, ConvLen, Streams, Soak {
    List<String> targets(BenchOptions o);

    void run(Harness h) throws Exception;

    /** The scenario of one of {@link BenchOptions#SCENARIOS}. */
    static Scenario named(String name) {
        return switch (name) {
            case "latency" -> new Latency();
            case "cost" -> new Cost();
            case "scaling" -> new Scaling();
            case "concurrency" -> new Concurrency();
            case "convlen" -> new ConvLen();
            case "streams" -> new Streams();
            case "soak" -> new Soak();
            default -> throw new IllegalStateException(name);
        };
    }
}
