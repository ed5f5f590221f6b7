package dev.ebpfexporter.examples;

import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.Attachment;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tcp-connect (kprobes): on a kernel with kprobes, loopback connects are counted by family; on one
 * without (this project's VMs), both programs are reported as not attached, with the reason.
 */
class TcpConnectAttemptsTest {
    private static final String NAME = "ebpf_exporter_tcp_connect_attempts_total";
    private static final String ATTACHED = "ebpf_exporter_ebpf_program_attached";

    @Test
    void loopbackConnectsAreCountedWhereKprobesExist() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("tcp-connect")) {
            LoadedConfig config = Attachment.config(exporter, "tcp-connect");
            boolean attached = Attachment.kprobesAttached(config, "tcp_v4_connect", "tcp_v6_connect");
            Samples before = exporter.scrape();
            if (!attached) {
                for (ProgramState program : config.programs()) {
                    assertThat(before.value(ATTACHED, "id", Integer.toString(program.id()))).isZero();
                }
                return;
            }
            Workloads.tcpConnects(5);
            exporter.scrapeUntilGrown(before, 5, NAME, "family", "ipv4");
        }
    }
}
