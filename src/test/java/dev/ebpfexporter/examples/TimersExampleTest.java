package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

class TimersExampleTest {
    private static final String METRIC = "ebpf_exporter_timer_starts_total";

    @Test
    void countsKernelTimersByCallbackName() throws Exception {
        try (InProcessExporter exporter = InProcessExporter.examples("timers")) {
            assertThat(exporter.failures()).isEmpty();
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
    private static void armTcpTimers() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            InputStream in = accepted.getInputStream();
            for (int i = 0; i < 50; i++) {
                out.write(new byte[512]);
                out.flush();
                in.readNBytes(512);
            }
        }
    }
}
