package report;

import json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's report: markdown lines printed as they come and kept for {@code report.md}, the raw results for
 * {@code results.json} (in the order they were measured), the targets with their verdicts, and the
 * warnings. Written by the orchestrator's thread; {@link #write} may also run from the shutdown path.
 */
public final class Report {
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public void out(String line) {
        System.out.println(line);
        System.out.flush();
        text.append(line).append('\n');
    }

    /** The results by section (machine, processes, each scenario, targets); scenarios read earlier ones. */
    public Map<String, Object> results() {
        return results;
    }

    public void check(String what, String measured, String required, Boolean pass) {
        checks.add(new Check(what, measured, required, pass));
    }

    public void warn(String message) {
        warnings.add(message);
        System.err.println("WARNING: " + message);
    }

    /** The closing section: every check with its verdict, the warnings, the load average at the end. */
    public void targetsTable(boolean quick) {
        out("");
        out("## The issue's targets");
        out("");
        if (quick) {
            out("_A --quick smoke run: durations, clients and stream counts are far below the issue's; these verdicts only show the checks work._");
            out("");
        }
        out("| target | measured | required | verdict |");
        out("|---|---|---|---|");
        for (Check c : checks) {
            out("| " + c.target() + " | " + c.measured() + " | " + c.required() + " | " + c.verdict() + " |");
        }
        if (checks.isEmpty()) {
            out("| (no scenario with a target was run) | | | |");
        }
        List<Map<String, String>> list = new ArrayList<>();
        for (Check c : checks) {
            list.add(Map.of("target", c.target(), "measured", c.measured(), "required", c.required(), "verdict", c.verdict()));
        }
        results.put("targets", list);
        if (!warnings.isEmpty()) {
            out("");
            out("Warnings:");
            warnings.forEach(w -> out("- " + w));
        }
        try {
            out("");
            out("Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            // no /proc: the line is left out
        }
    }

    /** Writes {@code report.md} and {@code results.json} into the run directory. */
    public void write(Path runDir) {
        try {
            Files.writeString(runDir.resolve("report.md"), text.toString());
            Files.writeString(runDir.resolve("results.json"), JsonWriter.write(results) + "\n");
        } catch (IOException e) {
            System.err.println("bench: could not write the report: " + e);
        }
    }
}
