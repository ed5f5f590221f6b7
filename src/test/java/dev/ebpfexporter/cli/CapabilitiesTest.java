package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --capabilities.keep} is the reference's flag; only its default, which changes nothing, is accepted. */
class CapabilitiesTest {
    @Test
    void allIsAccepted() {
        assertThatCode(() -> Capabilities.requireAll("all")).doesNotThrowAnyException();
        assertThatCode(() -> Capabilities.requireAll(" ALL ")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "cap_bpf,cap_perfmon", "cap_syslog", "cap_flying"})
    void anyDropIsRefusedInOneLineThatSaysWhyAndWhatToUse(String keep) {
        assertThatThrownBy(() -> Capabilities.requireAll(keep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--capabilities.keep=" + keep + ": only \"all\" is accepted: capabilities belong to each"
                        + " thread and the JVM's own threads (GC, JIT) cannot be reached, so a drop would leave most"
                        + " threads with every capability; use --runas.user=USER, which drops every capability of"
                        + " every thread");
    }
}
