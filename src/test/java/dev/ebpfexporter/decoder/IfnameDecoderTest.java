package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.decodeU32;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static dev.ebpfexporter.decoder.Fixtures.u32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IfnameDecoderTest {
    @Test
    void namesInterfacesByIndex() throws Exception {
        assertThat(decodeU32("ifname", 1)).isEqualTo("lo");
        assertThat(decodeU32("ifname", 2)).isEqualTo("eth0");
    }

    @Test
    void readsTheIndexAsUnsigned32Bits() throws Exception {
        assertThat(decodeU32("ifname", 2734686214L)).isEqualTo("bond0");
    }

    @Test
    void unknownIndexIsUnknownColonIndex() throws Exception {
        assertThat(decodeU32("ifname", 0)).isEqualTo("unknown:0");
        assertThat(decodeU32("ifname", 4000000000L)).isEqualTo("unknown:4000000000");
    }

    @Test
    void namesTheRealLoopback() throws Exception {
        String name = Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim();
        Decoder ifname = DecoderRegistry.forSystem().create(DecoderConfig.named("ifname"), 4);
        assertThat(text(ifname.decode(u32(Long.parseLong(name))))).isEqualTo("lo");
    }
}
