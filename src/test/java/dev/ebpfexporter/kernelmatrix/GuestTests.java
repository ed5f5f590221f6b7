package dev.ebpfexporter.kernelmatrix;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the test classes that must hold on any kernel (those that branch on kprobes, fentry or the
 * PMU) inside the guest, so their "the kernel has it" branches run for real: one cell per class,
 * green when every test in it passed and none was skipped.
 */
final class GuestTests {
    static final List<String> CLASSES = List.of(
            "dev.ebpfexporter.examples.TcpConnectAttemptsTest",
            "dev.ebpfexporter.examples.FsyncLatencyTest",
            "dev.ebpfexporter.examples.DcacheLookupsTest",
            "dev.ebpfexporter.compat.AttachKindsTest",
            "dev.ebpfexporter.compat.StrictModeTest",
            "dev.ebpfexporter.examples.LlcWithoutPmuTest");

    private GuestTests() {
    }

    static List<CellResult> run() {
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        CLASSES.forEach(c -> outcomes.put(c, new ArrayList<>()));
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    String outcome = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "passed"
                            : test.getDisplayName() + " " + result.getStatus() + ": "
                            + result.getThrowable().map(t -> String.valueOf(t.getMessage()).lines().findFirst().orElse(""))
                            .orElse("");
                    outcomes.computeIfAbsent(className(test), k -> new ArrayList<>()).add(outcome);
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                outcomes.computeIfAbsent(className(test), k -> new ArrayList<>())
                        .add(test.getDisplayName() + " skipped: " + reason);
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(CLASSES.stream().map(DiscoverySelectors::selectClass).toList()).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        List<CellResult> cells = new ArrayList<>();
        outcomes.forEach((name, results) -> {
            long passed = results.stream().filter("passed"::equals).count();
            boolean green = passed > 0 && passed == results.size();
            String detail = green ? passed + " passed"
                    : results.stream().filter(r -> !r.equals("passed")).findFirst().orElse("no test ran");
            cells.add(new CellResult("test " + name.substring(name.lastIndexOf('.') + 1), null, green, detail));
        });
        return cells;
    }

    private static String className(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
                .orElse(test.getLegacyReportingName());
    }
}
