package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Block device names from /proc/partitions ({@code major minor #blocks name}), falling back to the
 * /sys/dev/block/MAJOR:MINOR link for devices the partitions table leaves out. Names found are
 * kept; a miss reads the files again.
 */
public final class ProcPartitions implements BlockDevices {
    private final Path partitions;
    private final Path sysDevBlock;
    private final Map<String, String> found = new ConcurrentHashMap<>();

    public ProcPartitions(Path partitions, Path sysDevBlock) {
        this.partitions = partitions;
        this.sysDevBlock = sysDevBlock;
    }

    @Override
    public Optional<String> name(long major, long minor) throws DecoderException {
        String key = major + ":" + minor;
        String name = found.get(key);
        if (name == null) {
            name = fromPartitions(major, minor).or(() -> fromSysfs(key)).orElse(null);
            if (name != null) {
                found.put(key, name);
            }
        }
        return Optional.ofNullable(name);
    }

    private Optional<String> fromPartitions(long major, long minor) throws DecoderException {
        List<String> lines;
        try {
            lines = Files.readAllLines(partitions);
        } catch (IOException e) {
            throw new DecoderException("cannot read " + partitions + ": " + e.getMessage(), e);
        }
        String majorText = Long.toString(major);
        String minorText = Long.toString(minor);
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 4 && fields[0].equals(majorText) && fields[1].equals(minorText)) {
                return Optional.of(fields[3]);
            }
        }
        return Optional.empty();
    }

    /** /sys/dev/block/8:0 links to .../block/sda; its last component is the name. */
    private Optional<String> fromSysfs(String key) {
        try {
            Path target = Files.readSymbolicLink(sysDevBlock.resolve(key));
            return Optional.of(target.getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // no such device in sysfs: the caller falls back to the numbers
        }
    }
}
