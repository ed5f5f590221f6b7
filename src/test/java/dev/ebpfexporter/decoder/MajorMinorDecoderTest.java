package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.testing.BpfAvailability;

import static dev.ebpfexporter.decoder.Fixtures.decodeU32;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static dev.ebpfexporter.decoder.Fixtures.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MajorMinorDecoderTest {
    /** What the kernel's new_encode_dev() and the reference examples' MKDEV macro produce. */
    private static long encode(long major, long minor) {
        return (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
    }

    @Test
    void namesDevicesFromProcPartitions() throws Exception {
        assertThat(decodeU32("majorminor", 0x0800)).isEqualTo("sda");
        assertThat(decodeU32("majorminor", 0x0810)).isEqualTo("sdb");
        assertThat(decodeU32("majorminor", encode(259, 2))).isEqualTo("nvme0n1p2");
    }

    @Test
    void minorsAbove255UseTheHighBits() throws Exception {
        assertThat(decodeU32("majorminor", encode(8, 256))).isEqualTo("sdq");
    }

    @Test
    void unknownDeviceIsUnknownMajorColonMinor() throws Exception {
        assertThat(decodeU32("majorminor", 0x8810)).isEqualTo("unknown:136:16");
    }

    @Test
    void kernelInternalDevTIsNotReinterpreted() throws Exception {
        assertThat(decodeU32("majorminor", 8L << 20)).isEqualTo("unknown:0:2048");
    }

    @Test
    void onlyTheFirstFourBytesCount() throws Exception {
        byte[] padded = {0x00, 0x08, 0x00, 0x00, 0x7f, 0x7f};
        assertThat(text(Fixtures.decoder("majorminor").decode(padded))).isEqualTo("sda");
        assertThatThrownBy(() -> Fixtures.decoder("majorminor").decode(new byte[2])).isInstanceOf(DecoderException.class);
    }

    @Test
    void fallsBackToSysDevBlockForDevicesMissingFromPartitions(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/partitions"), "major minor  #blocks  name\n\n");
        Files.createDirectories(root.resolve("sys/dev/block"));
        Files.createSymbolicLink(root.resolve("sys/dev/block/253:3"), Path.of("../../devices/virtual/block/dm-3"));
        Decoder decoder = new DecoderRegistry(KernelLookups.under(root, Architecture.X86_64)).create(DecoderConfig.named("majorminor"), 4);
        assertThat(text(decoder.decode(u32(encode(253, 3))))).isEqualTo("dm-3");
    }

    @Test
    void missingPartitionsFileIsADecoderError(@TempDir Path root) throws Exception {
        Decoder decoder = new DecoderRegistry(KernelLookups.under(root, Architecture.X86_64)).create(DecoderConfig.named("majorminor"), 4);
        assertThatThrownBy(() -> decoder.decode(u32(0x800))).isInstanceOf(DecoderException.class);
    }

    @Test
    void namesARealDisk() throws Exception {
        List<String[]> disks = Files.readAllLines(Path.of("/proc/partitions")).stream()
                .map(line -> line.trim().split("\\s+")).filter(f -> f.length == 4 && f[0].matches("\\d+")).toList();
        BpfAvailability.requireThat(!(disks.isEmpty()), "no block devices");
        String[] disk = disks.getFirst();
        Decoder decoder = DecoderRegistry.forSystem().create(DecoderConfig.named("majorminor"), 4);
        assertThat(text(decoder.decode(u32(encode(Long.parseLong(disk[0]), Long.parseLong(disk[1]))))))
                .isEqualTo(disk[3]);
    }
}
