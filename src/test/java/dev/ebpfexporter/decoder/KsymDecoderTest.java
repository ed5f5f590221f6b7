package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static dev.ebpfexporter.decoder.Fixtures.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import org.junit.jupiter.api.Test;

class KsymDecoderTest {
    @Test
    void namesTheFunctionAtAnAddress() throws Exception {
        assertThat(text(Fixtures.decoder("ksym").decode(u64(0xffffffff81000100L)))).isEqualTo("tcp_keepalive_timer");
    }

    @Test
    void addressInsideAFunctionNamesThatFunction() throws Exception {
        assertThat(text(Fixtures.decoder("ksym").decode(u64(0xffffffff81000184L)))).isEqualTo("__x64_sys_read");
    }

    @Test
    void addressWithoutSymbolIsUnknownAddrInHex() throws Exception {
        assertThat(text(Fixtures.decoder("ksym").decode(u64(0xabcL)))).isEqualTo("unknown_addr:0xabc");
    }

    @Test
    void labelShorterThanAnAddressFailsAtConfigTime() {
        assertThatThrownBy(() -> new DecoderRegistry(Fixtures.lookups()).create(DecoderConfig.named("ksym"), 4))
                .isInstanceOf(ConfigException.class).hasMessageContaining("\"ksym\"");
    }

    @Test
    void namesScheduleOnTheRealMachine() throws Exception {
        long schedule = RealSystem.symbolAddress("schedule");
        dev.ebpfexporter.testing.BpfAvailability.requireThat(schedule != 0, "kallsyms addresses are hidden (not root?)");
        Decoder ksym = DecoderRegistry.forSystem().create(DecoderConfig.named("ksym"), 8);
        assertThat(text(ksym.decode(u64(schedule)))).isEqualTo("schedule");
    }
}
