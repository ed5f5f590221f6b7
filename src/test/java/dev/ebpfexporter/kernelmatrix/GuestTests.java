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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs test classes inside the guest, so their "the kernel has it" branches run for real: the
 * compatibility tests that branch on kprobes and fentry, and every bundled example's own test (its
 * workload and what it asserts the metrics show), so the matrix reuses them instead of a second
 * workload per example. One cell per class, green when every test in it passed and none was skipped.
 */
final class GuestTests {
    /** The compatibility tests that branch on kernel features. */
    static final List<String> COMPAT = List.of(
            "dev.ebpfexporter.compat.AttachKindsTest",
            "dev.ebpfexporter.compat.StrictModeTest");

    /** Every bundled example (examples/NAME.yaml) → the test that makes it count and checks what it shows. */
    static final Map<String, String> EXAMPLES = exampleTests(
            "biolatency", "BlockIoLatencyByDeviceTest",
            "biosize", "BlockIoSizeTest",
            "cgroup", "CgroupSchedSwitchesTest",
            "cpu-profile", "KernelCpuProfileTest",
            "dcstat", "DcacheLookupsTest",
            "exec", "CountedByLabelTest",
            "fsync-latency", "FsyncLatencyTest",
            "llc", "LlcWithoutPmuTest",
            "oomkill", "OomKillsTest",
            "page-cache", "PageCacheActivityTest",
            "read-latency", "ReadWriteLatencyTest",
            "runqlat", "RunQueueLatencyTest",
            "softirq-latency", "SoftirqLatencyTest",
            "syscalls", "CountedByLabelTest",
            "tcp-connect", "TcpConnectAttemptsTest",
            "tcp-retransmits", "TcpRetransmitsTest",
            "timers", "TimersExampleTest",
            "uprobe", "CountedByLabelTest");

    static final List<String> CLASSES = Stream.concat(COMPAT.stream(), EXAMPLES.values().stream()).distinct()
            .toList();

    private GuestTests() {
    }

    /** How one test (or one invocation of a parameterized test) ended. */
    record Outcome(String displayName, boolean passed, String detail) {
    }

    /** Every outcome of the tests run, by test class. */
    record Results(Map<String, List<Outcome>> byClass) {
        /** A class's cell: green when every test in it passed and none was skipped. */
        CellResult classCell(String className) {
            return cell("test " + simpleName(className), className, byClass.getOrDefault(className, List.of()));
        }

        /**
         * An example's test outcome: the invocations of its class named after the example where the
         * class tests several examples (a parameterized test, e.g. CountedByLabelTest), else the whole class.
         */
        CellResult exampleCell(String example) {
            String className = EXAMPLES.get(example);
            List<Outcome> all = byClass.getOrDefault(className, List.of());
            List<Outcome> own = all.stream().filter(o -> o.displayName().equals(example)).toList();
            String name = simpleName(className) + (own.isEmpty() ? "" : "[" + example + "]");
            return cell("test " + name, className, own.isEmpty() ? all : own);
        }

        private static CellResult cell(String name, String className, List<Outcome> outcomes) {
            long passed = outcomes.stream().filter(Outcome::passed).count();
            boolean green = passed > 0 && passed == outcomes.size();
            String detail = green ? passed + " passed" : outcomes.stream().filter(o -> !o.passed())
                    .map(o -> o.displayName() + " " + o.detail()).findFirst().orElse("no test of " + className + " ran");
            return new CellResult(name, null, green, detail);
        }
    }

    static Results run() {
        Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
        CLASSES.forEach(c -> outcomes.put(c, new ArrayList<>()));
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                    String detail = passed ? "passed" : result.getStatus() + ": "
                            + result.getThrowable().map(GuestTests::summary).orElse("");
                    outcomes.computeIfAbsent(className(test), k -> new ArrayList<>())
                            .add(new Outcome(test.getDisplayName(), passed, detail));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                outcomes.computeIfAbsent(className(test), k -> new ArrayList<>())
                        .add(new Outcome(test.getDisplayName(), false, "skipped: " + reason));
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(CLASSES.stream().map(DiscoverySelectors::selectClass).toList()).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        return new Results(outcomes);
    }

    /** A failure in one line: its message's first three non-blank lines (AssertJ's start with a blank one). */
    private static String summary(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(3).collect(Collectors.joining(" "));
    }

    /** The simple name of a test class: the cell's name after "test ". */
    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static Map<String, String> exampleTests(String... pairs) {
        Map<String, String> tests = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            tests.put(pairs[i], "dev.ebpfexporter.examples." + pairs[i + 1]);
        }
        return Collections.unmodifiableMap(tests);
    }

    private static String className(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
                .orElse(test.getLegacyReportingName());
    }
}
