package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Change;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static dev.ebpfexporter.testing.Samples.where;
import static org.assertj.core.api.Assertions.assertThat;

/** softirq-latency: loopback TCP packets are received in NET_RX softirqs, counted per CPU and timed. */
class SoftirqLatencyTest {
    private static final String COUNT = "ebpf_exporter_softirqs_total";
    private static final String ENTRY = "ebpf_exporter_softirq_entry_latency_seconds";
    private static final String SERVICE = "ebpf_exporter_softirq_service_seconds";
    private static final int ROUND_TRIPS = 200;

    @Test
    void loopbackTrafficRunsNetRxSoftirqs() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("softirq-latency")) {
            // Each round trip is two packets; allow some to be received in one softirq run.
            Change change = exporter.whileRunning(() -> Workloads.tcpTraffic(ROUND_TRIPS, 100),
                    (start, s) -> s.increaseSince(start, COUNT, where("kind", "net_rx")) >= ROUND_TRIPS / 2.0);
            Samples before = change.before();
            Samples after = change.after();
            assertThat(after.increaseSince(before, COUNT, where("kind", "net_rx"))).as("net_rx runs, summed over CPUs")
                    .isGreaterThanOrEqualTo(ROUND_TRIPS / 2.0);
            assertThat(after.increaseSince(before, ENTRY + "_count", "kind", "net_rx")).isGreaterThanOrEqualTo(ROUND_TRIPS / 2.0);
            assertThat(after.increaseSince(before, SERVICE + "_count", "kind", "net_rx")).isGreaterThanOrEqualTo(ROUND_TRIPS / 2.0);
            // One series per kind and CPU: the cpu label is a CPU number.
            assertThat(after.named(COUNT)).extracting(s -> s.label("cpu"))
                    .allSatisfy(cpu -> assertThat(cpu).matches("[0-9]+"));
        }
    }
}
