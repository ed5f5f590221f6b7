package dev.ebpfexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** What the exporter started with {@code --config.names=timers,biolatency} must serve, however it was started. */
public final class DefaultExamples {
    private DefaultExamples() {
    }

    /** Both configs enabled, every program attached, and the timers example already counting. */
    public static void assertServed(Samples samples) {
        assertThat(samples.named("ebpf_exporter_enabled_configs")).extracting(s -> s.label("name"))
                .containsExactlyInAnyOrder("timers", "biolatency");
        assertThat(samples.named("ebpf_exporter_ebpf_program_attached")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
        assertThat(samples.named("ebpf_exporter_timer_starts_total")).isNotEmpty();
    }
}
