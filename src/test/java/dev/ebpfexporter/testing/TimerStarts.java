package dev.ebpfexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** The check shared by the timers example and the inline config it was first written as. */
public final class TimerStarts {
    private TimerStarts() {
    }

    /**
     * {@code metric} counts kernel timer starts by callback: after loopback TCP traffic it has series,
     * each labelled with a real kernel function name (not a raw address), some of them TCP's timers,
     * and more traffic makes the sum grow.
     */
    public static void assertCountedByKernelFunction(InProcessExporter exporter, String metric) {
        Workloads.armTcpTimers();
        Samples first = exporter.scrape();
        assertThat(first.named(metric)).isNotEmpty();
        assertThat(first.named(metric)).extracting(s -> s.label("function"))
                .allSatisfy(name -> assertThat(name).matches("[A-Za-z_][A-Za-z0-9_.]*( \\[\\w+\\])?|unknown_addr:0x[0-9a-f]+"))
                .anySatisfy(name -> assertThat(name).startsWith("tcp_"));
        Workloads.armTcpTimers();
        Samples second = exporter.scrape();
        assertThat(second.sum(metric)).isGreaterThan(first.sum(metric));
    }
}
