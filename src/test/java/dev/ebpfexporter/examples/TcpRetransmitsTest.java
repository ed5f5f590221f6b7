package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.NetNs;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** tcp-retransmits: an unanswered SYN (in a scratch network namespace) is retransmitted in state syn_sent. */
class TcpRetransmitsTest {
    private static final String NAME = "ebpf_exporter_tcp_retransmits_total";
    private static final String[] SYN_SENT = {"family", "ipv4", "state", "syn_sent"};

    @Test
    void unansweredSynIsRetransmittedInSynSent() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("tcp-retransmits");
             NetNs ns = Workloads.netns("rt")) {
            Samples before = exporter.scrape();
            Process connect = Workloads.unansweredSyn(ns);
            try {
                // The first retransmission is due 1 s after the SYN.
                Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                        s -> s.increaseSince(before, NAME, SYN_SENT) >= 1);
                assertThat(after.increaseSince(before, NAME, SYN_SENT)).as("SYN retransmissions").isGreaterThanOrEqualTo(1);
                assertThat(connect.isAlive()).as("the connect is still waiting for an answer").isTrue();
            } finally {
                Workloads.kill(connect);
            }
        }
    }
}
