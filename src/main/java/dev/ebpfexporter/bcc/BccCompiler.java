package dev.ebpfexporter.bcc;

import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.trust.TrustedPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Compiles an inline BCC-style program into a CO-RE {@code .bpf.o}: rewrite, then clang, cached by the SHA-256 of
 * (generated source, clang version, kernel BTF, flags), so a restart with unchanged inputs skips clang. A cached
 * object is used only when it and its directories are root's alone and its bytes still have the SHA-256 recorded
 * when it was compiled; anything else is logged and compiled again.
 */
public final class BccCompiler {
    private static final Logger log = LoggerFactory.getLogger(BccCompiler.class);

    private final ClangToolchain toolchain;
    private final ObjectCache cache;

    public BccCompiler(ClangToolchain toolchain, ObjectCache cache) {
        this.toolchain = toolchain;
        this.cache = cache;
    }

    /**
     * System clang and bpftool, cache in {@code /var/cache/ebpf-exporter/bcc} (or the temp directory), types from
     * {@code kernelBtf}.
     */
    public static BccCompiler system(Path kernelBtf) {
        return new BccCompiler(ClangToolchain.system(kernelBtf), ObjectCache.defaultCache());
    }

    /** Result of a compile: the object and whether it came from the cache. */
    public record Compiled(Path objectFile, boolean cached, RewrittenProgram program) {
        public String source() {
            return program.source();
        }

        public List<String> maps() {
            return program.mapNames();
        }
    }

    /** @return the compiled object's path in the cache */
    public Path compile(ProgramSource program) throws ConfigException {
        return compileDetailed(program).objectFile();
    }

    public Compiled compileDetailed(ProgramSource program) throws ConfigException {
        List<String> cflags = CompilerFlags.check(program);
        try {
            Path includeDir = toolchain.vmlinuxHeaderDir(cache.dir());
            RewrittenProgram rewritten = BccRewriter.rewrite(program,
                    new KernelTracepointTypes(includeDir.resolve("vmlinux.h")));
            String source = rewritten.source();
            List<String> command = new ArrayList<>(List.of(toolchain.clang(), "-O2", "-g", "-target", "bpf",
                    "-D__TARGET_ARCH_" + ClangToolchain.targetArch(), "-I" + includeDir));
            // <bpf/bpf_helpers.h> and the rest from the libbpf we ship, before the host's libbpf-dev (if any).
            NativeLibraries.headers().ifPresent(headers -> command.add("-I" + headers));
            command.addAll(cflags);
            String key = key(source, command);
            Path object = cache.object(key);
            Path hashFile = cache.objectHash(key);
            if (Files.exists(object, LinkOption.NOFOLLOW_LINKS)) {
                Optional<String> problem = cachedObjectProblem(object, hashFile);
                if (problem.isEmpty()) {
                    log.info("{}: program \"{}\": cache hit, using {} (clang skipped)", program.yamlFile(),
                            program.name(), object);
                    return new Compiled(object, true, rewritten);
                }
                log.warn("cached object {}{}: recompiling", object, problem.get());
            }
            Path sourceFile = cache.source(key);
            // Written atomically: another exporter may be compiling the same program right now.
            writeAtomically(sourceFile, source);
            Path tmp = Files.createTempFile(object.getParent(), key + ".", ".tmp");
            try {
                command.addAll(List.of("-c", sourceFile.toString(), "-o", tmp.toString()));
                long start = System.nanoTime();
                ProcessRunner.Result r = ProcessRunner.run(command, null);
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (r.exitCode() != 0) {
                    log.debug("clang failed on {}:\n{}", sourceFile,
                            ClangDiagnostics.shown(program, r.stderr(), sourceFile));
                    throw new ConfigException(ClangDiagnostics.firstError(program, r.stderr(), sourceFile));
                }
                if (!r.stderr().isBlank()) {
                    log.debug("clang warnings for {}:\n{}", program.yamlFile(),
                            ClangDiagnostics.shown(program, r.stderr(), sourceFile));
                }
                writeAtomically(hashFile, sha256(Files.readAllBytes(tmp)));
                Files.move(tmp, object, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("{}: program \"{}\": compiled to {} in {} ms", program.yamlFile(), program.name(), object,
                        millis);
                return new Compiled(object, false, rewritten);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigException(program.yamlFile() + ": program \"" + program.name() + "\": cannot compile: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Why a cached object must not be used, if it must not: owned or writable by someone else, a link,
     * or bytes other than those whose SHA-256 was recorded when it was compiled.
     */
    private static Optional<String> cachedObjectProblem(Path object, Path hashFile) throws IOException {
        Optional<String> untrusted = TrustedPaths.problem(object);
        if (untrusted.isPresent()) {
            return Optional.of(": " + untrusted.get());
        }
        if (!Files.exists(hashFile, LinkOption.NOFOLLOW_LINKS) || TrustedPaths.problem(hashFile).isPresent()) {
            return Optional.of(" has no trusted recorded SHA-256");
        }
        String recorded = new String(TrustedPaths.read(hashFile, "object hash"), StandardCharsets.US_ASCII).strip();
        if (!recorded.equals(sha256(TrustedPaths.read(object, "cached object")))) {
            return Optional.of(" does not match its recorded SHA-256");
        }
        return Optional.empty();
    }

    /** Written to a temp file beside it, then renamed: another exporter may be compiling the same program. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(ClangToolchain.sha256().digest(bytes));
    }

    private String key(String source, List<String> command) throws IOException {
        MessageDigest digest = ClangToolchain.sha256();
        for (String part : List.of(source, toolchain.clangVersion(), toolchain.btfIdentity(), String.join("\u0000", command))) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
