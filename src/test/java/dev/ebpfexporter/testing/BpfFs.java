package dev.ebpfexporter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A BPF filesystem of the test's own, mounted on a fresh temporary directory (each bpffs mount is a
 * separate instance, so tests never see each other's pins nor the machine's /sys/fs/bpf). Closing
 * unmounts it; the maps pinned there go away with their last user.
 */
public final class BpfFs implements AutoCloseable {
    private final Path mountPoint;

    private BpfFs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static BpfFs mount() throws IOException, InterruptedException {
        BpfAvailability.require();
        Path dir = Files.createTempDirectory("bpffs-test-");
        run("mount", "-t", "bpf", "bpf", dir.toString());
        return new BpfFs(dir);
    }

    /** The root of the mount (which {@code --bpf.pin-path} refuses: give it a directory below). */
    public Path root() {
        return mountPoint;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(process.getInputStream().readAllBytes()));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", mountPoint.toString());
        Files.delete(mountPoint);
    }
}
