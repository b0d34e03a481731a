import harness.BenchOptions;
import harness.ChataiClient;
import harness.Harness;
import harness.LoadRunner;
import harness.Machine;
import harness.Peers;
import harness.Processes;
import harness.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import report.Report;
import scenario.Scenario;
import scenario.WarmUp;

/**
 * The benchmark orchestrator behind {@code bench/run.sh}: starts the fake upstream, nginx, Portkey and ChatAI
 * on free loopback ports ({@code harness/}), runs the scenarios ({@code scenario/}) with the load driver
 * ({@code Load}), prints one markdown table per scenario plus the ratios and the targets
 * ({@code report/}), writes {@code report.md} and {@code results.json} into the run's directory, and stops
 * everything, also when interrupted. See bench/README.md.
 */
public class Bench {
    public static void main(String[] args) throws Exception {
        BenchOptions cfg;
        try {
            cfg = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (cfg.help) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = cfg.out != null ? cfg.out : cfg.repo.resolve("bench/results/" + stamp);
        Files.createDirectories(runDir);
        Report report = new Report();
        Processes processes = new Processes(runDir, cfg.keepData);
        Runtime.getRuntime().addShutdownHook(new Thread(processes::stopAll));
        int status = 0;
        try {
            run(cfg, runDir, report, processes);
        } catch (Exception e) {
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            processes.stopAll();
            report.write(runDir);
        }
        System.exit(status);
    }

    private static void run(BenchOptions cfg, Path runDir, Report report, Processes processes) throws Exception {
        report.out("# ChatAI benchmark — " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                + (cfg.quick ? " (--quick smoke run)" : ""));
        report.out("");
        long clockTicks = Machine.describe(cfg, report);
        Peers peers = Peers.start(cfg, runDir, processes, report);
        ChataiClient chatai = new ChataiClient(cfg, peers.chatai());
        Targets targets = new Targets(peers, chatai.setUp(peers.adminKey(), peers.fake().port()));
        report.out("");
        Harness h = new Harness(cfg, runDir, report, targets, new LoadRunner(cfg, runDir, peers.fake(), clockTicks), chatai);
        List<Scenario> scenarios = cfg.scenarios.stream().map(Scenario::named).toList();
        WarmUp.run(h, scenarios);
        for (Scenario scenario : scenarios) {
            scenario.run(h);
        }
        report.targetsTable(cfg.quick);
        report.out("");
        report.out("Run directory: " + cfg.repo.relativize(runDir) + " (report.md, results.json, process logs)");
    }
}
