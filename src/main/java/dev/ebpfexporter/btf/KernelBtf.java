package dev.ebpfexporter.btf;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel BTF one load of the configs uses: the kernel's own ({@code /sys/kernel/btf/vmlinux}), or the file
 * {@code --btf.path} names or picks from an archive directory. A file extracted from a {@code .tar.xz} is this
 * object's own and is deleted by {@link #close()}, once the load that needed it is done.
 *
 * @param file      the BTF to read the kernel's types from (libbpf's CO-RE, bpftool's vmlinux.h)
 * @param external  whether {@code file} comes from {@code --btf.path} (passed to libbpf as {@code btf_custom_path})
 * @param picked    how it was found, for the start-up log
 * @param extracted a file of ours to delete on close
 */
public record KernelBtf(Path file, boolean external, String picked, Optional<Path> extracted) implements AutoCloseable {
    /** Where the kernel publishes its own BTF when it was built with it. */
    public static final Path SYSFS = Path.of("/sys/kernel/btf/vmlinux");
    /** Why a CO-RE config cannot load without {@code --btf.path} here, and what to pass. */
    public static final String MISSING = "this kernel has no BTF (" + SYSFS + " is missing); pass --btf.path with"
            + " this kernel's BTF file or a BTF archive directory";

    /** The kernel's own BTF at {@link #SYSFS}, whether or not this kernel has it. */
    public static KernelBtf kernel() {
        return new KernelBtf(SYSFS, false, SYSFS.toString(), Optional.empty());
    }

    /** A BTF file given as it is (tests, and {@code --btf.path FILE}). */
    public static KernelBtf external(Path file) {
        return new KernelBtf(file, true, file.toString(), Optional.empty());
    }

    /** What libbpf gets as {@code btf_custom_path}: the file when it is not the kernel's own. */
    public Optional<Path> customPath() {
        return external ? Optional.of(file) : Optional.empty();
    }

    /** Whether there is a file to read (the kernel's own is missing on kernels built without BTF). */
    public boolean available() {
        return Files.isRegularFile(file);
    }

    /** Deletes the extracted file, if there is one; more calls do nothing. A failure is logged: it only leaves a file. */
    @Override
    public void close() {
        if (extracted.isPresent()) {
            try {
                Files.deleteIfExists(extracted.get());
            } catch (IOException e) {
                LoggerFactory.getLogger(KernelBtf.class).warn("{}: cannot delete the extracted kernel BTF: {}",
                        extracted.get(), e.toString(), e);
            }
        }
    }
}
