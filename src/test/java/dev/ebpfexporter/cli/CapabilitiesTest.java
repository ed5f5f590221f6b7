package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilitiesTest {
    @Test
    void parsesNamesAllAndNone() {
        assertThat(Capabilities.Keep.parse("all").all()).isTrue();
        assertThat(Capabilities.Keep.parse("none").capabilities()).isEmpty();
        assertThat(Capabilities.Keep.parse("cap_bpf, CAP_PERFMON,syslog").capabilities()).containsExactlyInAnyOrder(39, 38, 34);
        assertThatThrownBy(() -> Capabilities.Keep.parse("cap_bpf,cap_nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown capability \"cap_nope\"");
    }

    @Test
    void dropsEverySetOfTheCallingThreadOnly() throws Exception {
        dev.ebpfexporter.testing.BpfAvailability.requireThat(Long.parseLong(status("self").get("CapEff"), 16) != 0,
                "the test process has no capabilities to drop");
        AtomicReference<Map<String, String>> after = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                Capabilities.drop(Capabilities.Keep.parse("cap_bpf,cap_perfmon"));
                after.set(status("thread-self"));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        assertThat(failure.get()).isNull();
        long expected = (1L << 38) | (1L << 39);
        assertThat(Long.parseLong(after.get().get("CapEff"), 16)).isEqualTo(expected);
        assertThat(Long.parseLong(after.get().get("CapPrm"), 16)).isEqualTo(expected);
        assertThat(Long.parseLong(after.get().get("CapBnd"), 16)).isEqualTo(expected);
        assertThat(Long.parseLong(after.get().get("CapInh"), 16)).isZero();
        // The test's own thread keeps what it had.
        assertThat(Long.parseLong(status("thread-self").get("CapEff"), 16)).isNotEqualTo(expected);
    }

    private static Map<String, String> status(String which) throws java.io.IOException {
        Map<String, String> fields = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", which, "status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }
}
