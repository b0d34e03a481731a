package harness;

import java.nio.file.Path;
import report.Report;

/** What a scenario works with: the options, the run directory, the report, the targets, the load driver and ChatAI's client. Immutable. */
public record Harness(BenchOptions options, Path runDir, Report report, Targets targets, LoadRunner load, ChataiClient chatai) {
}
