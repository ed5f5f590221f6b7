package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static dev.ebpfexporter.decoder.Fixtures.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import org.junit.jupiter.api.Test;

class KstackDecoderTest {
    @Test
    void joinsFrameSymbolsWithNewlinesUpToTheFirstZeroAddress() throws Exception {
        byte[] stack = u64(0x1011L, 0xffffffff81000104L, 0x1040L, 0, 0x1080L);
        assertThat(text(Fixtures.decoder("kstack").decode(stack)))
                .isEqualTo("do_one\ntcp_keepalive_timer\ndo_two.constprop.0");
    }

    @Test
    void frameWithoutSymbolIsQuestionMarks() throws Exception {
        assertThat(text(Fixtures.decoder("kstack").decode(u64(0x10L, 0x1010L, 0x10L)))).isEqualTo("??\ndo_one\n??");
    }

    @Test
    void emptyStackIsEmptyLabel() throws Exception {
        assertThat(Fixtures.decoder("kstack").decode(u64(0, 0))).isEmpty();
    }

    @Test
    void bytesThatAreNotWholeAddressesAreAnError() {
        assertThatThrownBy(() -> Fixtures.decoder("kstack").decode(new byte[12])).isInstanceOf(DecoderException.class);
        assertThatThrownBy(() -> new DecoderRegistry(Fixtures.lookups()).create(DecoderConfig.named("kstack"), 12))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void decodesARealStack() throws Exception {
        long schedule = RealSystem.symbolAddress("schedule");
        dev.ebpfexporter.testing.BpfAvailability.requireThat(schedule != 0, "kallsyms addresses are hidden (not root?)");
        Decoder kstack = DecoderRegistry.forSystem().create(DecoderConfig.named("kstack"), 24);
        assertThat(text(kstack.decode(u64(schedule + 4, schedule, 0)))).isEqualTo("schedule\nschedule");
    }
}
