package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class TimersExampleTest {
    private static final String METRIC = "ebpf_exporter_timer_starts_total";

    @Test
    void countsKernelTimersByCallbackName() throws Exception {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("timers")) {
            armTcpTimers();
            Samples first = exporter.scrape();
            assertThat(first.named(METRIC)).isNotEmpty();
            // Real kernel function names, not raw addresses.
            assertThat(first.named(METRIC)).extracting(s -> s.label("function"))
                    .allSatisfy(name -> assertThat(name).matches("[A-Za-z_][A-Za-z0-9_.]*( \\[\\w+\\])?|unknown_addr:0x[0-9a-f]+"))
                    .anySatisfy(name -> assertThat(name).startsWith("tcp_"));
            armTcpTimers();
            Samples second = exporter.scrape();
            assertThat(second.sum(METRIC)).isGreaterThan(first.sum(METRIC));
        }
    }

    /** Loopback TCP traffic arms the retransmit and delayed-ACK timers (mod_timer → timer_start). */
    private static void armTcpTimers() {
        Workloads.tcpTraffic(50, 512);
    }
}
