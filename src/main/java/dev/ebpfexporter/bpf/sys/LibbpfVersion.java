package dev.ebpfexporter.bpf.sys;

import java.nio.file.Path;

/**
 * Which libbpf this process runs, for {@code --version}, the start-up log and {@code ebpf_exporter_build_info}:
 * the version the library reports ({@code libbpf_version_string()}, e.g. {@code 1.5}) and the file it was
 * loaded from (e.g. {@code .../target/native/libbpf.so.1.5.0}).
 */
public record LibbpfVersion(String version, Path file) {
    /** Loads our libbpf if it is not loaded yet; a missing or unloadable library is one line in the exception. */
    public static LibbpfVersion loaded() {
        if (NativeLibraries.find(LibBpf.LIBRARY).isEmpty()) {
            throw new IllegalStateException(NativeLibraries.missing(LibBpf.LIBRARY));
        }
        try {
            return new LibbpfVersion(LibBpf.version(), LibBpf.file());
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // LibBpf's initialisation opens the library: dlopen's reason (a missing libelf.so.1, say) is the cause.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot load " + NativeLibraries.find(LibBpf.LIBRARY).orElseThrow() + ": "
                    + cause.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "libbpf " + version + " (" + file + ")";
    }
}
