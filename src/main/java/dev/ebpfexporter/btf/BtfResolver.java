package dev.ebpfexporter.btf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Turns {@code --btf.path} into the kernel BTF a load uses ({@link KernelBtf}). Without the flag: the kernel's own.
 * With a file: that file, if it is BTF. With a directory laid out like the public BTF archives,
 * {@code <dir>/<os id>/<version id>/<arch>/<kernel release>.btf} or, beside it, {@code <release>.btf.tar.xz}
 * holding {@code <release>.btf}, which is extracted to a private temporary file. Anything else is one line that
 * names the path.
 *
 * @param flag      {@code --btf.path}, if given
 * @param kernel    what picks the file in a directory
 * @param extractTo directory for extracted files (the JVM's temporary directory)
 */
public record BtfResolver(Optional<Path> flag, RunningKernel kernel, Path extractTo) {
    /** {@code struct btf_header}'s magic, 0xeB9F, as its first two bytes read on a little- or big-endian host. */
    private static final int MAGIC_LE = 0x9feb;
    private static final int MAGIC_BE = 0xeb9f;

    /** This machine, extracting to {@code java.io.tmpdir}. */
    public static BtfResolver forSystem(Optional<Path> flag) {
        try {
            return new BtfResolver(flag, RunningKernel.current(), Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell which kernel this is (" + RunningKernel.OSRELEASE + ")", e);
        }
    }

    /** The BTF to use now; call again for each load (start-up, reload), and close what it returns after it. */
    public KernelBtf resolve() throws BtfException {
        if (flag.isEmpty()) {
            return KernelBtf.kernel();
        }
        Path path = flag.get();
        if (Files.isDirectory(path)) {
            return fromArchive(path);
        }
        if (!Files.exists(path)) {
            throw new BtfException(path + ": no such file or directory");
        }
        requireBtf(path, path.toString());
        return KernelBtf.external(path);
    }

    private KernelBtf fromArchive(Path root) throws BtfException {
        Path dir = kernel.archiveDirectory(root);
        String name = kernel.release() + ".btf";
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            requireBtf(plain, plain.toString());
            return new KernelBtf(plain, true, plain.toString(), Optional.empty());
        }
        Path packed = dir.resolve(name + ".tar.xz");
        if (!Files.isRegularFile(packed)) {
            throw new BtfException(root + ": no BTF for this kernel: looked for " + plain + " and " + packed);
        }
        Path target;
        try {
            target = Files.createTempFile(extractTo, "ebpf-exporter-" + kernel.release() + "-", ".btf",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new BtfException(packed + ": cannot make a file in " + extractTo + " to extract it to: " + e, e);
        }
        try {
            if (!TarXz.extract(packed, name, target)) {
                throw new BtfException(packed + ": has no " + name + " inside");
            }
            requireBtf(target, packed + ": " + name);
        } catch (IOException e) {
            BtfException failure = new BtfException(packed + ": cannot extract " + name + ": " + e.getMessage(), e);
            discard(target, failure);
            throw failure;
        } catch (BtfException e) {
            discard(target, e);
            throw e;
        }
        return new KernelBtf(target, true, packed + " (" + name + ", extracted to " + target + ")",
                Optional.of(target));
    }

    /** Refuses a file that does not start with BTF's magic, naming it as {@code shown}. */
    private static void requireBtf(Path file, String shown) throws BtfException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(2);
        } catch (IOException e) {
            throw new BtfException(shown + ": cannot read: " + e, e);
        }
        int magic = start.length == 2 ? (start[0] & 0xff) << 8 | start[1] & 0xff : -1;
        if (magic != MAGIC_LE && magic != MAGIC_BE) {
            throw new BtfException(shown + ": not a BTF file (it does not start with BTF's magic 0xeB9F)");
        }
    }

    /** Deletes a partly extracted file; a failure to is kept beside the reason it was being deleted. */
    private static void discard(Path file, Exception reason) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            reason.addSuppressed(e);
        }
    }
}
